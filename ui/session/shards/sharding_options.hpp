// SPDX-License-Identifier: MIT
// How the monitor shards its log (--shards, --shard-key, --sharder; the configuration panel):
// checked in one place, with one message per bad value.
//
// Threading: plain values and pure functions.
#pragma once

#include <QString>

#include <memlog/source/payloads.hpp>
#include <memlog/source/sharder_spec.hpp>

struct ShardingOptions {
  int shards = 0;          // 0 = one log, not sharded; else kMinShards..kMaxShards
  QString keyField;        // the JSON field the key is taken from; empty = the natural one (see keyFieldFor)
  bool wholeLine = false;  // the whole record is the key (real sources without --shard-key)
  memlog::shard::SharderSpec sharder;

  bool sharded() const { return shards > 0; }
  // The field records are routed by: the given one, else the simulation's natural key
  // ("device", "sku", "ticket"); empty when the whole line is the key.
  std::string keyFieldFor(memlog::sim::SourceKind kind) const;
  friend bool operator==(const ShardingOptions&, const ShardingOptions&) = default;
};

namespace sharding {
// Each returns the reason a value is refused, or an empty string.
QString parseShards(const QString& text, int* shards);
QString parseKeyField(const QString& text, QString* field);
QString parseSharder(const QString& text, memlog::shard::SharderSpec* spec);
// The combination: a key list no longer than the shard count.
QString validate(const ShardingOptions& options);
}  // namespace sharding
