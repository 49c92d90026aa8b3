// SPDX-License-Identifier: MIT
#include "panels/configuration_panel.hpp"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QStringList>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <utility>

#include "adapter/frame_clock.hpp"
#include "adapter/log_adapter.hpp"
#include "adapter/log_limits.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {

// The write rate is measured over about a second of frames: steady enough to read, and it
// counts every writer of the log (the simulation, a feed), per shard in a sharded session.
constexpr qint64 kRateWindowMs = 1000;

// Up to three significant digits, grouped from 100 up: "62.5", "0.016", "1,000".
QString number(double x) {
  const QLocale locale;
  if (std::abs(x) >= 100) return locale.toString(std::llround(x));
  return locale.toString(x, 'g', 3);
}

// A byte count in SI units (as the figures are worked out): the value scaled, and the unit.
std::pair<QString, QString> bytes(double n) {
  const QString units[] = {u"B"_s, u"kB"_s, u"MB"_s, u"GB"_s, u"TB"_s};
  std::size_t unit = 0;
  for (; n >= 1000 && unit + 1 < std::size(units); ++unit) n /= 1000;
  return {number(n), units[unit]};
}

// "264–528 kB", or "528 kB–1.06 MB" across units.
QString bytesRange(double from, double to) {
  const auto [a, aUnit] = bytes(from);
  const auto [b, bUnit] = bytes(to);
  if (aUnit == bUnit) return a % u'–' % b % u' ' % bUnit;
  return a % u' ' % aUnit % u'–' % b % u' ' % bUnit;
}

// A time span in the unit its smaller end reads best in: "10–20 s", "1.5–3 min".
QString span(double from, double to) {
  struct Unit {
    double seconds;
    QString name;
  };
  const Unit units[] = {{0.001, u"ms"_s}, {1, u"s"_s}, {60, u"min"_s}, {3600, u"h"_s}, {86400, u"days"_s}};
  const Unit* unit = &units[0];
  for (const Unit& u : units)
    if (from >= (u.seconds == 1 ? 1 : 2 * u.seconds)) unit = &u;  // 90 s, not 1.5 min
  const QString a = number(from / unit->seconds), b = number(to / unit->seconds);
  return (a == b ? a : QString(a % u'–' % b)) % u' ' % unit->name;
}

QString pace(double recordsPerSecond) {
  return recordsPerSecond == 0 ? u"unthrottled"_s : u"%1/s"_s.arg(number(recordsPerSecond));
}

// The what-if in words; overtaken consumers and refused payloads in `error`, and said in words
// too, so the colour is never the only sign.
QString describe(const what_if::WhatIfInput& in, const what_if::WhatIf& w, bool payloadMeasured, bool overheadMeasured,
                 const QColor& error) {
  const auto warn = [&error](const QString& text) {
    return u"<span style=\"color:%1\">%2</span>"_s.arg(error.name(), text);
  };
  QStringList lines;
  lines << (payloadMeasured ? u"<b>What if</b> — at %1 records/s and %2-byte payloads, as measured now:"_s.arg(
                                  number(in.writeRate), number(in.meanPayloadBytes))
                            : u"<b>What if</b> — at %1 records/s, as measured now (no payloads to measure yet):"_s.arg(
                                  number(in.writeRate)));
  if (in.writeRate == 0)
    lines << u"• Keeps %1–%2 records. Nothing is written now: no seals, no purges; records are kept until writes "
             "resume."_s.arg(number(double(w.retainedMin)), number(double(w.retainedMax)));
  else
    lines << u"• Keeps %1–%2 records: the last %3 of writes."_s.arg(number(double(w.retainedMin)),
                                                                    number(double(w.retainedMax)),
                                                                    span(w.retentionSecondsMin, w.retentionSecondsMax));
  lines << u"• Memory %1 (%2 B a record: payload + %3 B overhead, %4)."_s.arg(
      bytesRange(w.memoryBytesMin, w.memoryBytesMax), number(in.meanPayloadBytes + in.overheadPerRecord),
      number(in.overheadPerRecord), overheadMeasured ? u"measured"_s : u"the design's bound"_s);
  if (in.writeRate > 0)
    lines << u"• A segment seals every %1 (%2 a second); each seal after the first purges %3 records."_s.arg(
        span(w.secondsBetweenSeals, w.secondsBetweenSeals), number(w.sealsPerSecond), number(double(w.retainedMin)));
  if (w.payloadOverMax)
    lines << warn(u"• Payloads average %1 B, over the max record size of %2 B: writes that large are refused."_s.arg(
        number(in.meanPayloadBytes), number(double(in.maxRecordBytes))));
  for (const what_if::ConsumerOutlook& c : w.consumers) {
    const QString who = u"“%1” (%2)"_s.arg(QString::fromStdString(c.name).toHtmlEscaped(), pace(c.pace));
    if (!c.overtaken) {
      lines << u"• %1 keeps up."_s.arg(who);
      continue;
    }
    const QString when = c.overtakenAfter == 0
                             ? u"by the next purge (within %1)"_s.arg(span(c.overtakenAtLatest, c.overtakenAtLatest))
                             : u"in %1"_s.arg(span(c.overtakenAfter, c.overtakenAtLatest));
    lines << warn(u"• %1 is overtaken by the purge %2%3 — needs ≥ %4/s."_s.arg(
        who, when, c.beyondSegment ? u", being more than a segment behind already"_s : QString(),
        number(c.neededPace)));
  }
  return lines.join(u"<br>");
}

}  // namespace

ConfigurationPanel::ConfigurationPanel(LogAdapter* adapter, FrameClock* frames, QWidget* parent)
    : QWidget(parent), m_adapter(adapter) {
  m_segmentSize = new QLineEdit(this);
  m_segmentSize->setToolTip(
      u"Records per segment. The log keeps the active segment and one sealed history segment: "
      "at most twice this many records."_s);
  m_maxRecordBytes = new QLineEdit(this);
  m_maxRecordBytes->setToolTip(u"The largest payload the log accepts; larger writes are refused (record_too_large)."_s);
  m_startOffset = new QLineEdit(this);
  m_startOffset->setToolTip(
      u"The offset of the new log's first record. Left empty, the new log continues where the current one "
      "ends, so an offset keeps naming one record and consumers' checkpoints stay true. A lower offset "
      "reuses offsets that named other records."_s);
  m_message = new QLabel(this);
  m_message->setWordWrap(true);
  m_whatIf = new QLabel(this);
  m_whatIf->setWordWrap(true);  // a 380-px dock
  m_whatIf->setTextFormat(Qt::RichText);
  m_whatIf->setAccessibleName(u"What if"_s);
  m_whatIf->setToolTip(
      u"What the values above would mean at the write rate, payload size and per-record overhead measured on "
      "the live log. The purge overtakes a consumer once it is more than a segment behind; the times are the "
      "earliest and the latest, depending on when the next seal comes."_s);
  auto* apply = new QPushButton(u"Apply (replaces the log)"_s, this);
  auto* form = new QFormLayout;
  form->addRow(u"Segment size"_s, m_segmentSize);
  form->addRow(u"Max record size"_s, m_maxRecordBytes);
  form->addRow(u"Start offset"_s, m_startOffset);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(apply);
  layout->addWidget(m_message);
  layout->addWidget(m_whatIf);
  layout->addStretch();
  connect(apply, &QPushButton::clicked, this, &ConfigurationPanel::applyFromFields);
  connect(adapter, &LogAdapter::logReplaced, this, &ConfigurationPanel::showCurrent);
  // The placeholder names the offset an empty start offset continues at, frame by frame; the
  // what-if follows the measured rate and the consumers' lags.
  connect(frames, &FrameClock::frame, this, [this](const Frame& frame) {
    m_startOffset->setPlaceholderText(u"continue at %1"_s.arg(frame.stats.next_offset));
    measure(frame);
    showWhatIf();
  });
  // The message says what is wrong with the values as they are typed (and goes once they are
  // fixed); the what-if describes them.
  for (QLineEdit* field : {m_segmentSize, m_maxRecordBytes, m_startOffset})
    connect(field, &QLineEdit::textEdited, this, [this] {
      QString why;
      parseFields(&why);
      if (!why.isEmpty()) {
        Theme::tint(m_message, Theme::Message::error);
        m_message->setText(why);
        m_message->setProperty("error", true);
      } else if (m_message->property("error").toBool()) {
        m_message->clear();
        m_message->setProperty("error", false);
      }
      showWhatIf();
    });
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    m_rateAnchor.reset();  // the new log counts its writes from 0
    m_overheadOfThisLog = false;
  });
  showCurrent();
}

void ConfigurationPanel::showCurrent() {
  const memlog::Options& o = m_adapter->log()->options();
  m_segmentSize->setText(QString::number(o.segment_size));
  m_maxRecordBytes->setText(QString::number(o.max_record_bytes));
  m_startOffset->clear();  // continue where the log ends, unless the user says otherwise
  m_startOffset->setPlaceholderText(u"continue at %1"_s.arg(m_adapter->stats().next_offset));
  showWhatIf();
}

void ConfigurationPanel::measure(const Frame& frame) {
  const memlog::Stats& s = frame.stats;
  if (!m_rateAnchor || s.records_written < m_rateAnchor->written) {
    m_rateAnchor = RateSample{frame.elapsedMs, s.records_written};
  } else if (const qint64 ms = frame.elapsedMs - m_rateAnchor->ms; ms >= kRateWindowMs) {
    m_writeRate = double(s.records_written - m_rateAnchor->written) * 1000.0 / double(ms);
    m_rateAnchor = RateSample{frame.elapsedMs, s.records_written};
  }
  // Payloads and overhead over the retained records; an empty log keeps the last measurement.
  const std::size_t retained = s.active_records + s.history_records;
  const std::size_t payload = s.active_bytes + s.history_bytes;
  if (retained > 0) m_meanPayload = double(payload) / double(retained);
  // The log allocates its slots ahead and keeps them, so (memory - payload) / retained counts
  // slots not yet refilled: only once both segments' slots exist (two seals) is it the log's
  // steady state, and its lowest value there — with both segments full — is the true cost of
  // a record. Until then the design's bound stands.
  if (retained > 0 && s.segments_sealed >= 2 && s.memory_bytes >= payload) {
    const double overhead = double(s.memory_bytes - payload) / double(retained);
    m_overhead = m_overheadOfThisLog && m_overhead ? std::min(*m_overhead, overhead) : overhead;
    m_overheadOfThisLog = true;
  }
  m_consumers.clear();
  for (const memlog::sim::ConsumerSnapshot& c : frame.consumers) {
    what_if::ConsumerPace p{.name = c.name, .pace = c.pace, .lag = std::max<std::int64_t>(c.lag, 0)};
    // A sharded consumer reading several shards spreads its pace over them, and the purge of
    // each shard takes it by its lag there: its worst shard decides.
    if (c.shards.size() > 1) {
      p.pace /= double(c.shards.size());
      p.lag = 0;
      for (const memlog::sim::ShardPosition& shard : c.shards) p.lag = std::max(p.lag, shard.lag);
    }
    m_consumers.push_back(std::move(p));
  }
}

void ConfigurationPanel::showWhatIf() {
  QString why;
  const std::optional<memlog::Options> options = parseFields(&why);
  QString text;
  if (!options) {
    text.clear();  // the message says why
  } else if (!m_writeRate) {
    text = u"<b>What if</b> — measuring the write rate…"_s;
  } else {
    const what_if::WhatIfInput input{.segmentSize = options->segment_size,
                                     .maxRecordBytes = options->max_record_bytes,
                                     .writeRate = *m_writeRate,
                                     .meanPayloadBytes = m_meanPayload.value_or(0),
                                     .overheadPerRecord = m_overhead.value_or(what_if::kOverheadBound),
                                     .consumers = m_consumers};
    text = describe(input, what_if::whatIf(input), m_meanPayload.has_value(), m_overhead.has_value(),
                    Theme::of(palette()).error);
  }
  if (text != m_whatIf->text()) m_whatIf->setText(text);  // frame by frame: only when it changes
  m_whatIf->setVisible(!text.isEmpty());
}

QString ConfigurationPanel::whatIfText() const { return m_whatIf->text(); }

std::optional<memlog::Options> ConfigurationPanel::parseFields(QString* why) const {
  auto refuse = [why](const QString& reason) -> std::optional<memlog::Options> {
    *why = reason;
    return std::nullopt;
  };
  bool ok1 = false, ok2 = false, ok3 = true;
  const qlonglong segment = m_segmentSize->text().trimmed().toLongLong(&ok1);
  const qlonglong maxBytes = m_maxRecordBytes->text().trimmed().toLongLong(&ok2);
  const QString startText = m_startOffset->text().trimmed();
  const qlonglong start = startText.isEmpty() ? m_adapter->stats().next_offset : startText.toLongLong(&ok3);
  if (!ok1 || segment <= 0) return refuse(u"Segment size must be a whole number of records, at least 1."_s);
  if (!ok2 || maxBytes <= 0) return refuse(u"Max record size must be a whole number of bytes, at least 1."_s);
  if (!ok3 || start < 0) return refuse(u"Start offset must be a whole number, 0 or more (empty: continue)."_s);
  memlog::Options options = m_adapter->log()->options();
  options.segment_size = static_cast<std::size_t>(segment);
  options.max_record_bytes = static_cast<std::size_t>(maxBytes);
  options.start_offset = start;
  if (QString reason = log_limits::validate(options); !reason.isEmpty()) return refuse(reason);
  why->clear();
  return options;
}

QString ConfigurationPanel::confirmation(const memlog::Options& options) const {
  const memlog::Stats stats = m_adapter->stats();
  const auto retained = stats.active_records + stats.history_records;
  QString text =
      u"The new log starts empty: the %1 records retained now are dropped; the consumers move to the "
      "new log."_s.arg(retained);
  if (options.start_offset == stats.next_offset)
    text +=
        u" Its offsets continue at %1, where the current log ends: every offset keeps naming one record, and "
        "checkpoints stay true."_s.arg(options.start_offset);
  else if (options.start_offset < stats.next_offset)
    text +=
        u" Its offsets restart at %1: offsets %1 to %2 will name other records than they did, so a "
        "consumer's checkpoint there no longer means what it meant."_s.arg(options.start_offset)
            .arg(stats.next_offset - 1);
  else
    text += u" Its offsets jump to %1: offsets %2 to %3 are never written."_s.arg(options.start_offset)
                .arg(stats.next_offset)
                .arg(options.start_offset - 1);
  return text;
}

QString ConfigurationPanel::message() const { return m_message->text(); }

QString ConfigurationPanel::apply(const QString& segmentSize, const QString& maxRecordBytes,
                                  const QString& startOffset) {
  m_segmentSize->setText(segmentSize);
  m_maxRecordBytes->setText(maxRecordBytes);
  m_startOffset->setText(startOffset);
  applyFromFields();
  return m_message->property("error").toBool() ? m_message->text() : QString();
}

void ConfigurationPanel::applyFromFields() {
  auto refuse = [this](const QString& why) {
    Theme::tint(m_message, Theme::Message::error);
    m_message->setText(why);
    m_message->setProperty("error", true);
  };
  QString why;
  const std::optional<memlog::Options> options = parseFields(&why);
  if (!options) return refuse(why);
  const memlog::Stats stats = m_adapter->stats();
  if (m_confirm && stats.active_records + stats.history_records > 0 &&
      QMessageBox::question(this, u"Replace the log?"_s, confirmation(*options)) != QMessageBox::Yes)
    return;
  if (why = m_replace ? m_replace(*options) : m_adapter->reconfigure(*options); !why.isEmpty()) return refuse(why);
  Theme::tint(m_message, Theme::Message::success);
  m_message->setText(
      u"Applied: a new log with segments of %1 records, starting at offset %2."_s.arg(options->segment_size)
          .arg(options->start_offset));
  m_message->setProperty("error", false);
}
