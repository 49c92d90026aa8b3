// SPDX-License-Identifier: MIT
#include "adapter/log_limits.hpp"

using namespace Qt::StringLiterals;

namespace log_limits {

QString validate(const memlog::Options& options) {
  if (options.segment_size == 0) return u"Segment size must be at least 1 record."_s;
  if (options.segment_size > kMaxSegmentSize)
    return u"Segment size %1 is too large: at most %2 records (the log keeps two segments in memory)."_s
        .arg(options.segment_size)
        .arg(kMaxSegmentSize);
  if (options.max_record_bytes == 0) return u"Max record size must be at least 1 byte."_s;
  if (options.max_record_bytes > kMaxRecordBytes)
    return u"Max record size %1 is too large: at most %2 bytes (64 MiB)."_s.arg(options.max_record_bytes)
        .arg(kMaxRecordBytes);
  if (options.start_offset < 0) return u"Start offset must be 0 or more, not %1."_s.arg(options.start_offset);
  return {};
}

}  // namespace log_limits
