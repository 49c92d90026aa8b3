// SPDX-License-Identifier: MIT
#include "adapter/what_if.hpp"

#include <algorithm>
#include <cassert>

namespace what_if {

namespace {

// The rules are written down in the header; this applies them to one consumer.
ConsumerOutlook outlook(const ConsumerPace& consumer, double segment, double rate) {
  ConsumerOutlook o{.name = consumer.name, .pace = consumer.pace};
  const auto lag = static_cast<double>(consumer.lag);
  o.beyondSegment = lag > segment;
  // No writes, no purges: nobody is overtaken and any pace will do.
  if (rate == 0) return o;
  o.neededPace = rate;
  if (consumer.pace == 0) return o;  // unthrottled: keeps up with any writer
  const double sealInterval = segment / rate;
  if (consumer.pace < rate) {
    o.overtaken = true;
    o.overtakenAfter = std::max(0.0, segment - lag) / (rate - consumer.pace);
  } else if (lag > segment) {
    o.overtaken = true;  // beyond the newest segment already: the next purge may come now
    o.overtakenAfter = 0;
  } else {
    return o;  // at or above the rate and within a segment: its lag never exceeds S
  }
  o.overtakenAtLatest = o.overtakenAfter + sealInterval;
  return o;
}

}  // namespace

WhatIf whatIf(const WhatIfInput& input) {
  assert(input.segmentSize > 0 && "whatIf: a segment holds at least one record");
  assert(input.writeRate >= 0 && input.meanPayloadBytes >= 0 && input.overheadPerRecord >= 0 &&
         "whatIf: rates and sizes are never negative");
  const auto segment = static_cast<double>(input.segmentSize);
  const double rate = input.writeRate;
  const double perRecord = input.meanPayloadBytes + input.overheadPerRecord;

  WhatIf w;
  w.retainedMin = input.segmentSize;
  w.retainedMax = 2 * input.segmentSize;
  w.memoryBytesMin = perRecord * segment;
  w.memoryBytesMax = perRecord * 2 * segment;
  if (rate > 0) {
    w.retentionSecondsMin = segment / rate;
    w.retentionSecondsMax = 2 * segment / rate;
    w.sealsPerSecond = rate / segment;
    w.secondsBetweenSeals = segment / rate;
  }
  w.payloadOverMax = input.meanPayloadBytes > static_cast<double>(input.maxRecordBytes);
  w.consumers.reserve(input.consumers.size());
  for (const ConsumerPace& c : input.consumers) {
    assert(c.pace >= 0 && c.lag >= 0 && "whatIf: a consumer's pace and lag are never negative");
    w.consumers.push_back(outlook(c, segment, rate));
  }
  return w;
}

}  // namespace what_if
