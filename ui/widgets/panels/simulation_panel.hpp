// SPDX-License-Identifier: MIT
// SimulationPanel: the simulated legacy system's controls — kind, start/pause/step, rate (a
// log-scale slider from 1/s to 1,000,000/s, an exact field, or unthrottled), bursts, payload
// size — and its counters as drawn in each frame.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class FrameClock;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class SourceController;

class SimulationPanel : public QWidget {
  Q_OBJECT

 public:
  SimulationPanel(SourceController* source, FrameClock* frames, QWidget* parent = nullptr);

  // The slider's position for a rate, and back: log scale, 1/s at 0 to 10^6/s at kSliderMax.
  static int sliderFor(double rate);
  static double rateFor(int slider);
  static constexpr int kSliderMax = 600;

  QDoubleSpinBox* rateField() const { return m_rate; }
  QPushButton* stepButton() const { return m_step; }
  QSlider* rateSlider() const { return m_slider; }
  QCheckBox* unthrottled() const { return m_unthrottled; }
  QLabel* counters() const { return m_counters; }
  QComboBox* skew() const { return m_skew; }
  QDoubleSpinBox* skewValue() const { return m_skewValue; }

 private:
  void syncFromSource();
  void applyRate(double rate);

  SourceController* m_source;
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
  QComboBox* m_skew;
  QDoubleSpinBox* m_skewValue;
  bool m_syncing = false;
};
