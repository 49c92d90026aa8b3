// SPDX-License-Identifier: MIT
#include "settings.hpp"

#include "adapter/log_limits.hpp"

using namespace Qt::StringLiterals;

namespace settings {
namespace {

// A stored whole number in [low, high]; missing: nullopt silently; bad: nullopt + a warning.
std::optional<qint64> readInteger(QSettings& store, const QString& key, qint64 low, qint64 high,
                                  QStringList& warnings) {
  if (!store.contains(key)) return std::nullopt;
  bool ok = false;
  const qint64 value = store.value(key).toString().toLongLong(&ok);
  if (!ok || value < low || value > high) {
    warnings << u"Ignored the saved %1 ('%2'): not a number from %3 to %4; using the default."_s
                    .arg(key, store.value(key).toString().left(40))
                    .arg(low)
                    .arg(high);
    return std::nullopt;
  }
  return value;
}

}  // namespace

void load(QSettings& store, MonitorOptions& o, QStringList& warnings) {
  if (!o.hasSegmentSize)
    if (auto v = readInteger(store, u"log/segmentSize"_s, 1, log_limits::kMaxSegmentSize, warnings))
      o.log.segment_size = static_cast<std::size_t>(*v);
  if (!o.hasMaxRecordBytes)
    if (auto v = readInteger(store, u"log/maxRecordBytes"_s, 1, log_limits::kMaxRecordBytes, warnings))
      o.log.max_record_bytes = static_cast<std::size_t>(*v);
  if (!o.hasRate && store.contains(u"source/rate"_s)) {
    bool ok = false;
    const double rate = store.value(u"source/rate"_s).toString().toDouble(&ok);
    if (ok && rate >= 0 && rate <= 10'000'000)
      o.source.rate = rate;
    else
      warnings << u"Ignored the saved source/rate: not a rate from 0 to 10000000; using the default."_s;
  }
  if (!o.hasSource && store.contains(u"source/kind"_s)) {
    const auto kind = memlog::sim::source_kind_from_string(store.value(u"source/kind"_s).toString().toStdString());
    if (kind)
      o.source.kind = *kind;
    else
      warnings << u"Ignored the saved source/kind: not sensor, inventory or tickets; using the default."_s;
  }
  if (!o.hasConsumers)
    if (auto v = readInteger(store, u"consumers/count"_s, 0, 64, warnings)) o.consumers = static_cast<int>(*v);
  if (!o.hasSharding && store.contains(u"log/shards"_s)) {
    // Checked as the command line checks them: a bad saved value is ignored with a warning.
    ShardingOptions s;
    QString why;
    const QString shards = store.value(u"log/shards"_s).toString();
    if (shards != u"0"_s) why = sharding::parseShards(shards, &s.shards);
    const QString field = store.value(u"log/shardKey"_s).toString();
    if (why.isEmpty() && s.sharded() && !field.isEmpty()) why = sharding::parseKeyField(field, &s.keyField);
    if (why.isEmpty() && s.sharded())
      why = sharding::parseSharder(store.value(u"log/sharder"_s).toString(), &s.sharder);
    if (why.isEmpty()) why = sharding::validate(s);
    if (why.isEmpty())
      o.sharding = s;
    else
      warnings << u"Ignored the saved log/shards, log/shardKey and log/sharder (%1); using one log."_s.arg(why);
  }
}

void save(QSettings& store, const MonitorOptions& o, const MonitorOptions& started) {
  const MonitorOptions& s = started;
  if (!s.hasSegmentSize || o.log.segment_size != s.log.segment_size)
    store.setValue(u"log/segmentSize"_s, static_cast<qulonglong>(o.log.segment_size));
  if (!s.hasMaxRecordBytes || o.log.max_record_bytes != s.log.max_record_bytes)
    store.setValue(u"log/maxRecordBytes"_s, static_cast<qulonglong>(o.log.max_record_bytes));
  if (!s.hasRate || o.source.rate != s.source.rate) store.setValue(u"source/rate"_s, o.source.rate);
  if (!s.hasSource || o.source.kind != s.source.kind)
    store.setValue(u"source/kind"_s, QString::fromUtf8(memlog::sim::to_string(o.source.kind).data()));
  if (!s.hasConsumers || o.consumers != s.consumers) store.setValue(u"consumers/count"_s, o.consumers);
  if (!s.hasSharding || !(o.sharding == s.sharding)) {
    store.setValue(u"log/shards"_s, o.sharding.shards);
    store.setValue(u"log/shardKey"_s, o.sharding.keyField);
    store.setValue(u"log/sharder"_s, QString::fromStdString(o.sharding.sharder.text()));
  }
}

}  // namespace settings
