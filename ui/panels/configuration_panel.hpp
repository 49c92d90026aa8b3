// SPDX-License-Identifier: MIT
// ConfigurationPanel: the log's options — segment size, max record size, start offset —
// applied through the adapter (which replaces the log), after a confirmation since that drops
// the retained records. Invalid values are refused with a clear message; the old log runs on.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class LogSession;
class QLabel;
class QSpinBox;
class QLineEdit;

class ConfigurationPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ConfigurationPanel(LogSession* session, QWidget* parent = nullptr);

  void setConfirmationEnabled(bool enabled) { m_confirm = enabled; }  // off in tests
  // Sets the fields (as a user would type them) and applies; returns the error shown, if any.
  QString apply(const QString& segmentSize, const QString& maxRecordBytes, const QString& startOffset);
  QString message() const;

 public slots:
  void applyFromFields();

 private:
  void showCurrent();

  LogSession* m_session;
  QLineEdit* m_segmentSize;
  QLineEdit* m_maxRecordBytes;
  QLineEdit* m_startOffset;
  QLabel* m_message;
  bool m_confirm = true;
};
