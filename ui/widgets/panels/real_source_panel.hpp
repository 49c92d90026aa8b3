// SPDX-License-Identifier: MIT
// RealSourcePanel: a real source of records — standard input, a followed file, a polled HTTP
// endpoint or a Redis stream — with its target, the Connect/Disconnect button, and the feed's
// state, position and problems. Each kind keeps its own last target while another is shown.
//
// Opening a source is the session's business (the simulation pauses): the panel asks with
// openRequested() and is told the outcome with showProblem() or through the feed's signals.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

#include <memlog/source/feed_spec.hpp>

class FeedController;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;

class RealSourcePanel : public QWidget {
  Q_OBJECT

 public:
  using Kind = memlog::feed::FeedSpec::Kind;

  explicit RealSourcePanel(FeedController* feed, QWidget* parent = nullptr);

  // Shows `kind`'s fields (its last target, its label and hints).
  void setKind(Kind kind);
  Kind kind() const { return m_kind; }
  void setTarget(const QString& target);
  // The kind and the target as a source name ("file:/var/log/syslog").
  QString sourceName() const;

  void showProblem(const QString& message);
  void hideProblem();
  // The fields and the button for the feed's state (open or not), and its state line.
  void syncFromFeed();

  QLineEdit* target() const { return m_target; }
  QPushButton* connectButton() const { return m_connect; }
  QLabel* status() const { return m_status; }
  QLabel* problem() const { return m_problem; }

  // The last file, URL and Redis stream and the poll interval between runs (the fields only).
  void save(QSettings& store) const;
  void restore(QSettings& store);

 signals:
  void openRequested(const QString& source);

 private:
  static constexpr int kKinds = 4;  // FeedSpec::Kind's values
  void connectOrDisconnect();
  void showStatus();  // the state line (every refresh tick)

  FeedController* m_feed;
  Kind m_kind = Kind::standard_input;
  QString m_targets[kKinds];  // each kind's last target, while another kind is shown
  QLabel* m_targetLabel;
  QLineEdit* m_target;
  QPushButton* m_browse;
  QLabel* m_pollLabel;
  QSpinBox* m_pollInterval;
  QPushButton* m_connect;
  QLabel* m_status;
  QLabel* m_problem;
};
