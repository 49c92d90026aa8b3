// SPDX-License-Identifier: MIT
#include "shards/sharding_options.hpp"

#include <memlog/source/shard_key.hpp>

using namespace Qt::StringLiterals;

std::string ShardingOptions::keyFieldFor(memlog::sim::SourceKind kind) const {
  if (wholeLine) return {};
  if (!keyField.isEmpty()) return keyField.toStdString();
  return std::string(memlog::sim::natural_key_field(kind));
}

namespace sharding {

QString parseShards(const QString& text, int* shards) {
  bool ok = false;
  const qlonglong value = text.trimmed().toLongLong(&ok);
  const auto min = static_cast<qlonglong>(memlog::shard::kMinShards);
  const auto max = static_cast<qlonglong>(memlog::shard::kMaxShards);
  if (!ok || value < min || value > max)
    return u"'%1' is not a shard count: give a whole number from %2 to %3"_s.arg(text.left(80)).arg(min).arg(max);
  *shards = static_cast<int>(value);
  return {};
}

QString parseKeyField(const QString& text, QString* field) {
  if (!memlog::shard::valid_key_field(text.toStdString()))
    return u"'%1' is not a key field: name a top-level JSON field (printable ASCII, no quotes or backslashes, at "
           u"most 128 characters)"_s.arg(text.left(80));
  *field = text;
  return {};
}

QString parseSharder(const QString& text, memlog::shard::SharderSpec* spec) {
  auto parsed = memlog::shard::parse_sharder_spec(text.toStdString());
  if (!parsed) return QString::fromStdString(parsed.error());
  *spec = std::move(*parsed);
  return {};
}

QString validate(const ShardingOptions& options) {
  if (!options.sharded()) return {};
  if (options.shards < static_cast<int>(memlog::shard::kMinShards) ||
      options.shards > static_cast<int>(memlog::shard::kMaxShards))
    return u"%1 shards: give a whole number from %2 to %3"_s.arg(options.shards)
        .arg(memlog::shard::kMinShards)
        .arg(memlog::shard::kMaxShards);
  const auto fits = memlog::shard::check_sharder(options.sharder, static_cast<std::size_t>(options.shards));
  if (!fits) return QString::fromStdString(fits.error());
  return {};
}

}  // namespace sharding
