// SPDX-License-Identifier: MIT
// whatIf: what a log's options would mean at a measured write rate and payload size, before
// they are applied — how long records are kept, how much memory that takes, how often segments
// seal and purge, and which consumers the purge would overtake at their pace. A pure function
// of its input (no Qt, no clock), so the configuration panel shows exactly what the tests check.
//
// The rules, with S = segment size (records), r = write rate (records/s), p = a consumer's pace
// (records/s), L = its lag (records written that it has not read yet):
//
// - Retention: the log holds an active and a history segment. Once it has filled, it keeps
//   between S records (just after a seal purged the old history) and 2S (just before the next
//   seal): S/r to 2S/r seconds. At r = 0 nothing is written, so nothing is ever purged: records
//   are kept until writes resume (the seconds are infinite).
// - Memory: (mean payload + overhead per record) × retained records, at S and at 2S. The
//   overhead is what the log spends per record beyond its payload (slot, shared block). The log
//   keeps the slots of both segments once it has allocated them, so the minimum is what the
//   retained records need, not what the process gives back between seals.
// - Cadence: once the active segment is full, every S writes seal it, and every seal but the
//   first purges the previous history whole: r/S seals a second, one every S/r seconds.
// - Overtaking: a purge keeps the newest S records (the segment it just sealed), so it takes a
//   consumer exactly when its lag exceeds S at that moment; between purges nothing is dropped.
//   Purges come every S/r seconds, at a phase the figures cannot know, so they give a window:
//     · p < r: its lag grows by (r − p) a second and exceeds S after t = max(0, S − L) / (r − p);
//       the first purge after that takes it — at worst at t (a purge falls just then), at the
//       latest one seal interval later, t + S/r.
//     · p ≥ r with L ≤ S: its lag never grows past S: never overtaken. Exactly at the rate too.
//     · p ≥ r with L > S: it is beyond the newest segment already, so the next purge takes it
//       unless it closes the gap first: at worst now (0 s), at the latest S/r.
//     · p = 0 is an unthrottled consumer: it reads as fast as the log lets it, which outpaces
//       any writer here, so it is never overtaken. At r = 0 there are no purges: nobody is.
//   The pace it would need: r, at which its lag stops growing — enough from any lag within one
//   segment. Beyond one (L > S) no pace is sure to save it from the next purge, which may come
//   at once: `beyondSegment` says so. (Apply restarts the consumers at the new log's start, lag 0,
//   where r is enough again.)
//   A new log starts empty and purges first after 2S writes, so these times are the earliest:
//   right after Apply the first purge is later.
// - Records over the limit: a mean payload over max record size means writes of that size
//   would be refused (record_too_large).
//
// Threading: none (plain values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace what_if {

// "Never" and "for ever": seconds that do not come (no writes, or a consumer that keeps up).
inline constexpr double kNever = std::numeric_limits<double>::infinity();
// What the log spends per record beyond its payload, at most (DESIGN.md's target): used when
// nothing is measured yet.
inline constexpr double kOverheadBound = 64;

struct ConsumerPace {
  std::string name;
  double pace = 0;       // records/s it reads at; 0 = unthrottled (as fast as it can)
  std::int64_t lag = 0;  // records written that it has not read yet, >= 0
};

struct WhatIfInput {
  std::size_t segmentSize = 0;     // records per segment, > 0
  std::size_t maxRecordBytes = 0;  // the largest payload the log accepts
  double writeRate = 0;            // records/s, measured; 0 = nothing is written (a paused source)
  double meanPayloadBytes = 0;     // measured over the retained records
  double overheadPerRecord = 0;    // bytes per record beyond the payload, measured (or kOverheadBound)
  std::vector<ConsumerPace> consumers;
};

struct ConsumerOutlook {
  std::string name;
  double pace = 0;
  bool overtaken = false;             // a purge takes it at its pace (in the worst phase)
  double overtakenAfter = kNever;     // seconds from now, at worst (the earliest)
  double overtakenAtLatest = kNever;  // seconds from now, at the latest (if it is still behind then)
  bool beyondSegment = false;         // lag > S: the next purge may take it at any pace
  double neededPace = 0;              // records/s it needs never to be overtaken (from a lag <= S): writeRate
};

struct WhatIf {
  std::size_t retainedMin = 0;             // records: S
  std::size_t retainedMax = 0;             // records: 2S
  double retentionSecondsMin = kNever;     // S/r
  double retentionSecondsMax = kNever;     // 2S/r
  double memoryBytesMin = 0;               // (payload + overhead) × S
  double memoryBytesMax = 0;               // (payload + overhead) × 2S
  double sealsPerSecond = 0;               // r/S; purges come as often, after the first seal
  double secondsBetweenSeals = kNever;     // S/r
  bool payloadOverMax = false;             // the mean payload is over maxRecordBytes
  std::vector<ConsumerOutlook> consumers;  // in the input's order
};

// `input.segmentSize` must be > 0 and the rates, sizes and lags >= 0 (asserted).
WhatIf whatIf(const WhatIfInput& input);

}  // namespace what_if
