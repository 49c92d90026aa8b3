// SPDX-License-Identifier: MIT
// ConfigurationPanel: the log's options — segment size, max record size, start offset —
// applied through the adapter (which replaces the log), after a confirmation since that drops
// the retained records. Invalid values are refused with a clear message; the old log runs on.
// An empty start offset continues the offsets where the current log ends (the default), so an
// offset keeps naming one record across a reconfiguration; the confirmation says which it is.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

#include <functional>
#include <optional>

#include <memlog/options.hpp>

class FrameClock;
class LogAdapter;
class QLabel;
class QSpinBox;
class QLineEdit;

class ConfigurationPanel : public QWidget {
  Q_OBJECT

 public:
  ConfigurationPanel(LogAdapter* adapter, FrameClock* frames, QWidget* parent = nullptr);

  void setConfirmationEnabled(bool enabled) { m_confirm = enabled; }  // off in tests
  // A sharded log is not replaced through the adapter (which holds one shard): `replace` starts
  // a new one with the options instead, and returns why not (empty when it does).
  void setReplacer(std::function<QString(const memlog::Options&)> replace) { m_replace = std::move(replace); }
  // Sets the fields (as a user would type them) and applies; returns the error shown, if any.
  QString apply(const QString& segmentSize, const QString& maxRecordBytes, const QString& startOffset);
  QString message() const;
  // The confirmation's text for replacing the current log with one made from `options`.
  QString confirmation(const memlog::Options& options) const;

 public slots:
  void applyFromFields();

 private:
  void showCurrent();
  // The options the fields describe, or nullopt with the reason in *why.
  std::optional<memlog::Options> parseFields(QString* why) const;

  LogAdapter* m_adapter;
  QLineEdit* m_segmentSize;
  QLineEdit* m_maxRecordBytes;
  QLineEdit* m_startOffset;
  QLabel* m_message;
  bool m_confirm = true;
  std::function<QString(const memlog::Options&)> m_replace;
};
