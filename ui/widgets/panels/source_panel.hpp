// SPDX-License-Identifier: MIT
// SourcePanel: where the log's records come from, and where else they go.
//  - The source: the simulated legacy system — kind, start/pause/step, rate (a log-scale
//    slider from 1/s to 1,000,000/s, an exact field, or unthrottled), bursts, payload size,
//    its counters — or a real one: standard input, a followed file, a polled HTTP endpoint or
//    a Redis stream, with its state, position and problems.
//  - The crash-and-replay scenario.
//  - The Redis mirror switch: every record also appended to a Redis stream, with its lag.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class LogSession;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QSettings;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;

class SourcePanel : public QWidget {
  Q_OBJECT

 public:
  explicit SourcePanel(LogSession* session, QWidget* parent = nullptr);

  // The slider's position for a rate, and back: log scale, 1/s at 0 to 10^6/s at kSliderMax.
  static int sliderFor(double rate);
  static double rateFor(int slider);
  static constexpr int kSliderMax = 600;

  QDoubleSpinBox* rateField() const { return m_rate; }
  QSlider* rateSlider() const { return m_slider; }
  QCheckBox* unthrottled() const { return m_unthrottled; }
  QLabel* counters() const { return m_counters; }
  // The source selector: 0 = simulation, then stdin, file, http, redis (SourceChoice).
  QComboBox* sourceChoice() const { return m_choice; }
  QLineEdit* sourceTarget() const { return m_target; }
  QPushButton* connectButton() const { return m_connect; }
  QLabel* feedStatus() const { return m_feedStatus; }
  QLabel* feedProblem() const { return m_feedProblem; }
  QGroupBox* mirrorSwitch() const { return m_mirror; }
  QLineEdit* mirrorTarget() const { return m_mirrorTarget; }
  QLabel* mirrorStatus() const { return m_mirrorStatus; }
  QLabel* mirrorProblem() const { return m_mirrorProblem; }

  // The real sources in memlog::feed::FeedSpec::Kind's order, after the simulation.
  enum SourceChoice { simulation, standardInput, file, http, redis, kChoices };

  // The last file, URL and Redis stream, the poll interval and the mirror's stream, between
  // runs (the fields only: the simulation stays the source until the user connects another).
  void saveSources(QSettings& store) const;
  void restoreSources(QSettings& store);

 private:
  QWidget* buildSimulation();
  QWidget* buildRealSource();
  QGroupBox* buildMirror();
  void syncFromSource();
  void syncFromFeed();    // the page, the fields and the buttons for the chosen source
  void showFeedStatus();  // its state line (every refresh tick)
  void syncFromMirror();
  void applyRate(double rate);
  void choose(int choice);
  void connectOrDisconnect();
  QString sourceName() const;  // the selector and the target as a source name ("file:/x")

  LogSession* m_session;
  QComboBox* m_kind;
  QPushButton* m_startPause;
  QPushButton* m_step;
  QSlider* m_slider;
  QDoubleSpinBox* m_rate;
  QCheckBox* m_unthrottled;
  QSpinBox* m_burstSize;
  QSpinBox* m_burstEvery;
  QSpinBox* m_payload;
  QLabel* m_counters;
  QLabel* m_replayInfo;
  QPushButton* m_crash;
  QComboBox* m_choice;
  QWidget* m_simulationPage;
  QWidget* m_realSourcePage;
  QLabel* m_targetLabel;
  QLineEdit* m_target;
  QPushButton* m_browse;
  QSpinBox* m_pollInterval;
  QLabel* m_pollLabel;
  QPushButton* m_connect;
  QLabel* m_feedStatus;
  QLabel* m_feedProblem;
  QGroupBox* m_mirror;
  QLineEdit* m_mirrorTarget;
  QLabel* m_mirrorStatus;
  QLabel* m_mirrorProblem;
  bool m_syncing = false;
  QString m_targets[kChoices];  // each kind's last target, while another kind is shown
  int m_shownChoice = simulation;
};
