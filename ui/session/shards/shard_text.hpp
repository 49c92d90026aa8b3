// SPDX-License-Identifier: MIT
// A sharded log in words, the same for the status bar, the shard map's header and --headless:
// one line however many shards there are — the busiest and the idlest shard, the skew, the
// records the router could not place.
//
// Threading: plain functions of their arguments.
#pragma once

#include <QString>

#include "shards/shard_set.hpp"

// "64 shards (fnv by \"device\")", "4 shards (key list by the whole line)".
QString shardingText(const ShardingOptions& options, const std::string& keyField);
// "busiest #3 120/s · idlest #7 0/s · skew 3.2×" (`separator` between the parts).
QString shardLoadText(const ShardFrame& frame, const QString& separator);
// "refused 12 (the last: record 57, no field \"device\")", or empty when none was refused.
QString refusedText(const memlog::shard::RouterCounters& counters);
// --headless, every few seconds: "shards 64 written 12345 retained 6000 writes/s 500 busiest #3
// 120/s idlest #7 0/s skew 3.2 refused 0".
QString shardStatusLine(const ShardFrame& frame, double writesPerSecond);
// --headless, the summary: "written 12345 over 64 shards retained 6000 purges 40 busiest #3
// (1234 written) idlest #7 (0 written) refused 0".
QString shardSummary(const ShardFrame& frame);
