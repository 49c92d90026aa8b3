// SPDX-License-Identifier: MIT
// CompareSession: compare mode's two logs. Given the monitor's running session `a` and another
// log's Options and sharding (e.g. another segment size, or 16 shards where a has 4), it owns a
// second LogSession `b` made from those, whose own simulated source never runs: b is fed by a
// copier thread (RecordCopier) that reads every record a gets from when compare starts on and
// writes the same payload into b — into its log, or through its router when b is sharded (keyed
// by the field a's records are keyed by). b's consumers mirror a's (same names and paces), so the
// only difference between the two is the Options and the sharding.
//
// Two single logs hold the same records in the same order and at the same offsets (b starts at
// a's next offset). When a's log is replaced (reconfigured, crashed and replayed) the copier
// stops before the swap and b gets a fresh log with b's options at the new log's first offset:
// the two stay offset for offset. A sharded side has offsets per shard: the copier reads every
// shard of a sharded a (each key's records stay in order) and a sharded b routes them again, so
// the two hold the same records per key; a's shown shard changing replaces nothing. If the
// copier falls behind a's purge (a small segment on a, a busy machine), the records it could not
// read are counted (lostToPurge) and it resumes at a's earliest; b then lacks those records.
//
// Threading: a GUI-thread object; the copier thread never touches a QObject.
#pragma once

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include <memlog/log.hpp>
#include <memlog/source/consumer.hpp>

#include "compare/record_copier.hpp"
#include "shards/sharding_options.hpp"

class LogSession;
struct Frame;

// One side's figures for the compare window, from one frame of that side's log.
struct CompareFigures {
  std::size_t segmentSize = 0;
  std::int64_t retainedRecords = 0;     // history + active
  std::int64_t maxRetainedRecords = 0;  // 2 × segment size
  double writeRate = 0;                 // records/s written to this log lately (measured)
  double retainedSeconds = -1;          // retainedRecords / writeRate; -1 while nothing is written
  std::size_t memoryBytes = 0;          // Stats::memory_bytes
  // Since compare began (a's earlier purges are not the other log's to match), across a's
  // replaced logs.
  std::uint64_t purges = 0;
  std::uint64_t recordsPurged = 0;
  memlog::Offset nextOffset = 0;  // one log's; a sharded log's is per shard (-1 here)
  // A sharded log: its shard count (0 = one log), how uneven the load is (the busiest shard's
  // rate over the mean; -1 while unknown), and the shard that keeps records the shortest — then
  // retainedSeconds is that shard's (the retention a record can count on), writeRate the total.
  int shards = 0;
  std::string sharder;  // "fnv" or "keys"
  double skew = -1;
  int shortestShard = -1;
  // Paired across the sides: consumers[i] of a and of b are the same consumer; one that is
  // missing on a side (removed there) is a stopped snapshot with the name, and one that has no
  // counterpart there (it reads one shard of a, and b's shards are others) has the id kAbsent.
  static constexpr int kAbsent = -1;
  std::vector<memlog::sim::ConsumerSnapshot> consumers;
};

class CompareSession : public QObject {
  Q_OBJECT

 public:
  enum class Side { a, b };

  // `a` must outlive compare mode or be destroyed first (the copier then stops); `other` must
  // be valid (log_limits::validate), and so must `sharding` (sharding::validate; not sharded =
  // one log); a single b's start_offset is replaced by a's next offset.
  CompareSession(LogSession* a, memlog::Options other, ShardingOptions sharding = {}, QObject* parent = nullptr);
  ~CompareSession() override;  // stops the copier, then b goes

  LogSession* a() const;  // null once a was destroyed
  LogSession* b() const { return m_b; }

  // Records written to b so far, and those a purged before the copier read them.
  std::uint64_t copied() const { return m_copier.copied(); }
  std::uint64_t lostToPurge() const { return m_copier.lost(); }
  // Records of a written but not copied yet (the copier's lag).
  std::int64_t copyLag() const;
  // Records b refused: b's router found no key in them (b sharded, a not), or b's record limit.
  std::uint64_t refused() const { return m_copier.refused(); }
  bool isCopying() const { return m_copier.running(); }

  // The figures of a side, refreshed on every frame of a (figuresChanged).
  const CompareFigures& figures(Side side) const { return side == Side::a ? m_figuresA : m_figuresB; }

  // A consumer with these options on both logs (the same name, pace and start; a start offset
  // that b never held becomes b's earliest). A consumer of one shard goes on b only when b has
  // the same shards (else it is kAbsent there, as a mirrored one is). Returns a's id.
  int addConsumer(const memlog::sim::ConsumerOptions& options);

  // Stops the copier for good (closing compare mode); b keeps what it has. Idempotent.
  void stop();

 signals:
  void figuresChanged();
  // The copier fell behind a's purge again: `total` records could not be copied so far.
  void lostToPurgeChanged(quint64 total);

 private:
  struct RateMeter {                                       // records/s over the last two seconds of one log's frames
    std::deque<std::pair<qint64, std::uint64_t>> samples;  // (elapsed ms, records written)
    quint64 lastFrame = 0;
    double rate = 0;
    void add(const Frame& frame, std::uint64_t written);
  };

  struct SinceStart {  // a counter of a log's since compare began, carried across replaced logs
    std::uint64_t last = 0, total = 0;
    std::uint64_t add(std::uint64_t now);     // the log's count now; returns the total
    void replaced(std::uint64_t finalCount);  // the log's last count: the next log counts from 0
  };

  bool sameLayout() const;  // both one log, or the same shards and sharder: offsets and shards correspond
  void startCopier(memlog::Offset from);
  void followKeyField();
  void followReplacedLog();
  void mirrorConsumer(int aId);
  void forgetConsumer(int aId);
  void refreshFigures();
  static CompareFigures figuresOf(const LogSession* side, RateMeter& rate);

  QPointer<LogSession> m_a;
  LogSession* m_b;
  memlog::Options m_options;   // b's
  ShardingOptions m_sharding;  // b's
  RecordCopier m_copier;
  bool m_stopped = false;
  bool m_adding = false;  // addConsumer is adding to a: not a consumer to mirror
  static constexpr int kNotMirrored = -1;
  std::vector<std::pair<int, int>> m_paired;  // (a's id, b's id or kNotMirrored)
  RateMeter m_rateA, m_rateB;
  SinceStart m_purgesA, m_purgedA, m_purgesB, m_purgedB;
  CompareFigures m_figuresA, m_figuresB;
  std::uint64_t m_lostSeen = 0;
};
