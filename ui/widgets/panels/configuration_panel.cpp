// SPDX-License-Identifier: MIT
#include "panels/configuration_panel.hpp"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "adapter/frame_clock.hpp"
#include "adapter/log_adapter.hpp"
#include "adapter/log_limits.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

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
  auto* apply = new QPushButton(u"Apply (replaces the log)"_s, this);
  auto* form = new QFormLayout;
  form->addRow(u"Segment size"_s, m_segmentSize);
  form->addRow(u"Max record size"_s, m_maxRecordBytes);
  form->addRow(u"Start offset"_s, m_startOffset);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(apply);
  layout->addWidget(m_message);
  layout->addStretch();
  connect(apply, &QPushButton::clicked, this, &ConfigurationPanel::applyFromFields);
  connect(adapter, &LogAdapter::logReplaced, this, &ConfigurationPanel::showCurrent);
  // The placeholder names the offset an empty start offset continues at, frame by frame.
  connect(frames, &FrameClock::frame, this, [this](const Frame& frame) {
    m_startOffset->setPlaceholderText(u"continue at %1"_s.arg(frame.stats.next_offset));
  });
  // A refused value's message goes once the values are fixed (or says what is still wrong).
  for (QLineEdit* field : {m_segmentSize, m_maxRecordBytes, m_startOffset})
    connect(field, &QLineEdit::textEdited, this, [this] {
      if (!m_message->property("error").toBool()) return;
      QString why;
      parseFields(&why);
      if (why.isEmpty()) {
        m_message->clear();
        m_message->setProperty("error", false);
      } else {
        m_message->setText(why);
      }
    });
  showCurrent();
}

void ConfigurationPanel::showCurrent() {
  const memlog::Options& o = m_adapter->log()->options();
  m_segmentSize->setText(QString::number(o.segment_size));
  m_maxRecordBytes->setText(QString::number(o.max_record_bytes));
  m_startOffset->clear();  // continue where the log ends, unless the user says otherwise
  m_startOffset->setPlaceholderText(u"continue at %1"_s.arg(m_adapter->stats().next_offset));
}

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
