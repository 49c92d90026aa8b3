// SPDX-License-Identifier: MIT
#include "controllers/status_text.hpp"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace {
QString number(const QLocale& locale, std::uint64_t n) { return locale.toString(static_cast<qulonglong>(n)); }

// " · next try in 2.0 s" while retrying.
QString nextTry(const QLocale& locale, const memlog::WorkerHealth& health) {
  if (health.state != memlog::WorkerState::retrying) return {};
  return u" · next try in %1 s"_s.arg(locale.toString(static_cast<double>(health.retry_in.count()) / 1000.0, 'f', 1));
}
}  // namespace

QString feedStateText(memlog::WorkerState state) {
  const std::string_view text = memlog::to_string(state);
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString feedStatusText(const memlog::feed::FeedStatus& s) {
  const QLocale locale;
  QString text = u"<b>%1</b> · %2 records · %3"_s.arg(
      feedStateText(s.state), number(locale, s.records),
      locale.formattedDataSize(static_cast<qint64>(s.bytes), 1, QLocale::DataSizeTraditionalFormat));
  if (s.rejected > 0) text += u" · %1 skipped"_s.arg(number(locale, s.rejected));
  if (s.failures > 0) text += u" · %1 failed attempts"_s.arg(number(locale, s.failures));
  text += nextTry(locale, s);
  if (!s.position.empty()) text += u"<br>%1"_s.arg(QString::fromStdString(s.position).toHtmlEscaped());
  return text;
}

QString feedStatusLine(const QString& source, const memlog::feed::FeedStatus& s) {
  QString line = u"source %1 %2 records %3"_s.arg(source, feedStateText(s.state)).arg(s.records);
  if (s.rejected > 0) line += u" skipped %1"_s.arg(s.rejected);
  return line;
}

QString feedSummary(const QString& source, const memlog::feed::FeedStatus& s) {
  // How far it read is in the feed's own terms ("end of input after 300000 lines, 1988895
  // bytes", "entry 1764064800123-0").
  QString line = u"source %1 %2"_s.arg(source, feedStateText(s.state));
  if (!s.position.empty()) line += u" (%1)"_s.arg(QString::fromStdString(s.position));
  if (s.rejected > 0) line += u" skipped %1"_s.arg(s.rejected);
  return line;
}

#if MEMLOG_WITH_REDIS
namespace {
// What the mirror writes to: the target as given, or for a sharded log the range of the
// shards' streams, "redis:127.0.0.1:6379/copy:0..63".
QString mirrorStreams(const QString& target, const memlog::redis::MirrorStatus& s) {
  return s.shards.empty() ? target : u"%1:0..%2"_s.arg(target).arg(s.shards.size() - 1);
}
}  // namespace

QString mirrorStateText(memlog::WorkerState state) {
  return state == memlog::WorkerState::running ? u"mirroring"_s : feedStateText(state);
}

QString mirrorStatusText(const memlog::redis::MirrorStatus& s, const QString& errorColour) {
  const QLocale locale;
  QString text = u"<b>%1</b>"_s.arg(mirrorStateText(s.state));
  if (!s.shards.empty()) text += u" · %1 streams"_s.arg(locale.toString(static_cast<qulonglong>(s.shards.size())));
  text += u" · lag %1 · %2 sent"_s.arg(locale.toString(static_cast<qlonglong>(s.lag)), number(locale, s.sent));
  if (s.confirmed >= 0) text += u" · confirmed to offset %1"_s.arg(locale.toString(s.confirmed));
  if (s.duplicates > 0) text += u" · %1 already there"_s.arg(number(locale, s.duplicates));
  // A sharded mirror's lost ranges are "shard:offsets" ("3:120-340").
  if (s.lost > 0)
    text += u"<br><span style='color:%1'>%2 never delivered (purged first): %3%4</span>"_s.arg(
        errorColour, number(locale, s.lost), s.shards.empty() ? QString() : u"shard:offsets "_s,
        QString::fromStdString(s.lost_ranges).toHtmlEscaped());
  text += nextTry(locale, s);
  return text;
}

QString mirrorStatusLine(const QString& target, const memlog::redis::MirrorStatus& s) {
  QString line = u"mirror %1 %2"_s.arg(mirrorStreams(target, s), mirrorStateText(s.state));
  if (!s.shards.empty()) line += u" %1 streams"_s.arg(s.shards.size());
  line += u" lag %1 sent %2"_s.arg(s.lag).arg(s.sent);
  if (s.lost > 0) line += u" lost %1"_s.arg(s.lost);
  return line;
}

QString mirrorSummary(const QString& target, const memlog::redis::MirrorStatus& s) {
  return u"mirror %1 sent %2 lag %3 lost %4"_s.arg(mirrorStreams(target, s)).arg(s.sent).arg(s.lag).arg(s.lost);
}
#endif
