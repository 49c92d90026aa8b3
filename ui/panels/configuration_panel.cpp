// SPDX-License-Identifier: MIT
#include "panels/configuration_panel.hpp"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "adapter/log_session.hpp"

using namespace Qt::StringLiterals;

ConfigurationPanel::ConfigurationPanel(LogSession* session, QWidget* parent) : QWidget(parent), m_session(session) {
  m_segmentSize = new QLineEdit(this);
  m_segmentSize->setToolTip(
      u"Records per segment. The log keeps the active segment and one sealed history segment: "
      "at most twice this many records."_s);
  m_maxRecordBytes = new QLineEdit(this);
  m_maxRecordBytes->setToolTip(u"The largest payload the log accepts; larger writes are refused (record_too_large)."_s);
  m_startOffset = new QLineEdit(this);
  m_startOffset->setToolTip(u"The offset of the first record: where a recreated log continues numbering."_s);
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
  connect(session->adapter(), &LogAdapter::logReplaced, this, &ConfigurationPanel::showCurrent);
  showCurrent();
}

void ConfigurationPanel::showCurrent() {
  const memlog::Options& o = m_session->adapter()->log()->options();
  m_segmentSize->setText(QString::number(o.segment_size));
  m_maxRecordBytes->setText(QString::number(o.max_record_bytes));
  m_startOffset->setText(QString::number(o.start_offset));
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
    m_message->setStyleSheet(u"color: #c62828;"_s);
    m_message->setText(why);
    m_message->setProperty("error", true);
  };
  bool ok1 = false, ok2 = false, ok3 = false;
  const qlonglong segment = m_segmentSize->text().trimmed().toLongLong(&ok1);
  const qlonglong maxBytes = m_maxRecordBytes->text().trimmed().toLongLong(&ok2);
  const qlonglong start = m_startOffset->text().trimmed().toLongLong(&ok3);
  if (!ok1 || segment <= 0) return refuse(u"Segment size must be a whole number of records, at least 1."_s);
  if (!ok2 || maxBytes <= 0) return refuse(u"Max record size must be a whole number of bytes, at least 1."_s);
  if (!ok3 || start < 0) return refuse(u"Start offset must be a whole number, 0 or more."_s);
  memlog::Options options = m_session->adapter()->log()->options();
  options.segment_size = static_cast<std::size_t>(segment);
  options.max_record_bytes = static_cast<std::size_t>(maxBytes);
  options.start_offset = start;
  if (const QString why = LogAdapter::validate(options); !why.isEmpty()) return refuse(why);

  const memlog::Stats stats = m_session->adapter()->stats();
  const auto retained = stats.active_records + stats.history_records;
  if (m_confirm && retained > 0 &&
      QMessageBox::question(this, u"Replace the log?"_s,
                            u"The new log starts empty: the %1 records retained now are dropped. Consumers restart "
                            "on the new log."_s.arg(retained)) != QMessageBox::Yes)
    return;
  if (const QString why = m_session->adapter()->reconfigure(options); !why.isEmpty()) return refuse(why);
  m_message->setStyleSheet(u"color: #2e7d32;"_s);
  m_message->setText(u"Applied: a new log with segments of %1 records."_s.arg(options.segment_size));
  m_message->setProperty("error", false);
}
