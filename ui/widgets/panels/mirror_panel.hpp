// SPDX-License-Identifier: MIT
// MirrorPanel: the switch that mirrors every record into a Redis stream (a checkable group
// box), the stream's address, and the mirror's state, lag and problems.
//
// Threading: GUI thread only.
#pragma once

#include <QGroupBox>

class MirrorController;
class QLabel;
class QLineEdit;
class QSettings;

class MirrorPanel : public QGroupBox {
  Q_OBJECT

 public:
  explicit MirrorPanel(MirrorController* mirror, QWidget* parent = nullptr);

  QLineEdit* target() const { return m_target; }
  QLabel* status() const { return m_status; }
  QLabel* problem() const { return m_problem; }

  // The stream's address between runs (the field only: the mirror is not started).
  void save(QSettings& store) const;
  void restore(QSettings& store);

 private:
  void start();  // with the field's address; a refused address is shown and the switch goes off
  void syncFromMirror();

  MirrorController* m_mirror;
  QLineEdit* m_target;
  QLabel* m_status;
  QLabel* m_problem;
  bool m_syncing = false;
};
