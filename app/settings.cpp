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
}

void save(QSettings& store, const MonitorOptions& o) {
  store.setValue(u"log/segmentSize"_s, static_cast<qulonglong>(o.log.segment_size));
  store.setValue(u"log/maxRecordBytes"_s, static_cast<qulonglong>(o.log.max_record_bytes));
  store.setValue(u"source/rate"_s, o.source.rate);
  store.setValue(u"source/kind"_s, QString::fromUtf8(memlog::sim::to_string(o.source.kind).data()));
  store.setValue(u"consumers/count"_s, o.consumers);
}

}  // namespace settings
