// SPDX-License-Identifier: MIT
// SourcePanel: where the log's records come from, and where else they go — the selector
// between the simulated legacy system (SimulationPanel) and a real source (RealSourcePanel),
// the crash-and-replay scenario, and the Redis mirror (MirrorPanel; absent from a build
// without Redis). It uses the session itself: choosing a source pauses or resumes the
// simulation, and the replay recreates the log.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class LogSession;
class MirrorPanel;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSlider;
class RealSourcePanel;
class SimulationPanel;

class SourcePanel : public QWidget {
  Q_OBJECT

 public:
  explicit SourcePanel(LogSession* session, QWidget* parent = nullptr);

  // The real sources in memlog::feed::FeedSpec::Kind's order, after the simulation (a build
  // without Redis offers no redis choice).
  enum SourceChoice { simulation, standardInput, file, http, redis, kChoices };

  SimulationPanel* simulationPanel() const { return m_simulation; }
  RealSourcePanel* realSourcePanel() const { return m_realSource; }
  MirrorPanel* mirrorPanel() const { return m_mirror; }  // nullptr without Redis

  QDoubleSpinBox* rateField() const;
  QSlider* rateSlider() const;
  QCheckBox* unthrottled() const;
  QLabel* counters() const;
  QComboBox* sourceChoice() const { return m_choice; }
  QLineEdit* sourceTarget() const;
  QPushButton* connectButton() const;
  QLabel* feedStatus() const;
  QLabel* feedProblem() const;
  QPushButton* crashButton() const { return m_crash; }

  // The last file, URL and Redis stream, the poll interval and the mirror's stream, between
  // runs (the fields only: the simulation stays the source until the user connects another).
  void saveSources(QSettings& store) const;
  void restoreSources(QSettings& store);

 private:
  void choose(int choice);
  void open(const QString& source);
  void syncFromFeed();  // the selector and the pages for the feed (opened here or elsewhere)

  LogSession* m_session;
  QComboBox* m_choice;
  SimulationPanel* m_simulation;
  RealSourcePanel* m_realSource;
  QPushButton* m_crash;
  QLabel* m_replayInfo;
  MirrorPanel* m_mirror = nullptr;
};
