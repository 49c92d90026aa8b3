// SPDX-License-Identifier: MIT
// SourcePanel: the simulated legacy system's controls — kind, start/pause/step, rate (a
// log-scale slider from 1/s to 1,000,000/s, an exact field, or unthrottled), bursts, payload
// size, its counters — and the crash-and-replay scenario.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class LogSession;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
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

 private:
  void syncFromSource();
  void applyRate(double rate);

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
  bool m_syncing = false;
};
