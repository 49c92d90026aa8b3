// SPDX-License-Identifier: MIT
#include "panels/simulation_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>

#include <cmath>

#include "adapter/frame_clock.hpp"
#include "controllers/source_controller.hpp"

using namespace Qt::StringLiterals;
using memlog::sim::SourceKind;

int SimulationPanel::sliderFor(double rate) {
  if (rate <= 1) return 0;
  return std::clamp(static_cast<int>(std::lround(std::log10(rate) * kSliderMax / 6.0)), 0, kSliderMax);
}

double SimulationPanel::rateFor(int slider) {
  const double rate = std::pow(10.0, slider * 6.0 / kSliderMax);
  // Round to 2 significant digits: the slider picks a magnitude, the field an exact value.
  const double magnitude = std::pow(10.0, std::floor(std::log10(rate)) - 1);
  return std::max(1.0, std::round(rate / magnitude) * magnitude);
}

SimulationPanel::SimulationPanel(SourceController* source, FrameClock* frames, QWidget* parent)
    : QWidget(parent), m_source(source) {
  m_kind = new QComboBox(this);
  for (SourceKind kind : {SourceKind::sensor, SourceKind::inventory, SourceKind::tickets})
    m_kind->addItem(QString::fromUtf8(memlog::sim::to_string(kind).data()), static_cast<int>(kind));
  m_kind->setToolTip(u"Which legacy system to simulate: building sensors, a warehouse, or a help desk API."_s);
  m_startPause = new QPushButton(this);
  m_startPause->setToolTip(u"Start or pause the source (Space)."_s);
  m_step = new QPushButton(u"Step"_s, this);
  m_step->setToolTip(u"Write exactly one record now."_s);
  m_slider = new QSlider(Qt::Horizontal, this);
  m_slider->setRange(0, kSliderMax);
  m_slider->setToolTip(u"Records per second, on a log scale from 1/s to 1,000,000/s."_s);
  m_rate = new QDoubleSpinBox(this);
  m_rate->setRange(0.1, 10'000'000);
  m_rate->setDecimals(1);
  m_rate->setSuffix(u" /s"_s);
  m_unthrottled = new QCheckBox(u"as fast as possible"_s, this);
  m_burstSize = new QSpinBox(this);
  m_burstSize->setRange(0, 1'000'000);
  m_burstSize->setSpecialValueText(u"no bursts"_s);
  m_burstSize->setToolTip(u"Extra records written all at once, every interval: a legacy batch job."_s);
  m_burstEvery = new QSpinBox(this);
  m_burstEvery->setRange(10, 600'000);
  m_burstEvery->setSuffix(u" ms"_s);
  m_payload = new QSpinBox(this);
  m_payload->setRange(0, 64 << 20);
  m_payload->setSpecialValueText(u"natural JSON size"_s);
  m_payload->setSuffix(u" bytes"_s);
  m_payload->setToolTip(
      u"Pads (or cuts) every record to this size. Over the log's max record size, writes are refused "
      "and the source pauses."_s);
  m_counters = new QLabel(this);
  // How the keys (devices, SKUs, tickets) are spread: what a sharded log's shards see.
  m_skew = new QComboBox(this);
  m_skew->addItem(u"uniform"_s, static_cast<int>(memlog::sim::KeySkew::Kind::uniform));
  m_skew->addItem(u"one hot key"_s, static_cast<int>(memlog::sim::KeySkew::Kind::hot_key));
  m_skew->addItem(u"Zipf"_s, static_cast<int>(memlog::sim::KeySkew::Kind::zipf));
  m_skew->setToolTip(
      u"How the records' keys are spread: evenly, one hot key taking a share of the records, or a "
      u"Zipf law (a few keys take most). With a sharded log, the hot key's shard fills and purges "
      u"while others idle."_s);
  m_skewValue = new QDoubleSpinBox(this);
  m_skewValue->setDecimals(2);
  m_skewValue->setSingleStep(0.05);
  m_skewValue->setToolTip(
      u"One hot key: its share of the records (0.01 to 1). Zipf: the exponent (0.1 to 10; higher "
      u"is more skewed)."_s);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_startPause);
  buttons->addWidget(m_step);
  auto* rate = new QHBoxLayout;
  rate->addWidget(m_slider, 1);
  rate->addWidget(m_rate);
  rate->addWidget(m_unthrottled);
  auto* burst = new QHBoxLayout;
  burst->addWidget(m_burstSize);
  burst->addWidget(new QLabel(u"every"_s, this));
  burst->addWidget(m_burstEvery);
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(u"Kind"_s, m_kind);
  form->addRow(QString(), buttons);
  form->addRow(u"Rate"_s, rate);
  form->addRow(u"Bursts"_s, burst);
  form->addRow(u"Payload"_s, m_payload);
  auto* skew = new QHBoxLayout;
  skew->addWidget(m_skew, 1);
  skew->addWidget(m_skewValue);
  form->addRow(u"Keys"_s, skew);
  form->addRow(u"Written"_s, m_counters);

  connect(m_kind, &QComboBox::currentIndexChanged, this, [this, source] {
    if (!m_syncing) source->setKind(static_cast<SourceKind>(m_kind->currentData().toInt()));
  });
  connect(m_startPause, &QPushButton::clicked, source, &SourceController::togglePause);
  connect(m_step, &QPushButton::clicked, source, &SourceController::step);
  connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
    if (!m_syncing) applyRate(rateFor(v));
  });
  connect(m_rate, &QDoubleSpinBox::editingFinished, this, [this] { applyRate(m_rate->value()); });
  connect(m_unthrottled, &QCheckBox::toggled, this, [this](bool on) {
    if (!m_syncing) applyRate(on ? 0 : m_rate->value());
  });
  auto applyBurst = [this, source] {
    if (!m_syncing) source->setBurst(m_burstSize->value(), m_burstEvery->value());
  };
  connect(m_burstSize, &QSpinBox::valueChanged, this, applyBurst);
  connect(m_burstEvery, &QSpinBox::valueChanged, this, applyBurst);
  connect(m_payload, &QSpinBox::editingFinished, this, [this, source] { source->setPayloadBytes(m_payload->value()); });
  // Another kind starts from its own default (the field still holds the old kind's value).
  connect(m_skew, &QComboBox::currentIndexChanged, this, [this, source] {
    if (m_syncing) return;
    memlog::sim::KeySkew skew;
    skew.kind = static_cast<memlog::sim::KeySkew::Kind>(m_skew->currentData().toInt());
    source->setSkew(skew);
  });
  connect(m_skewValue, &QDoubleSpinBox::editingFinished, this, [this, source] {
    memlog::sim::KeySkew skew = source->options().skew;
    if (skew.kind == memlog::sim::KeySkew::Kind::hot_key) skew.hot_share = m_skewValue->value();
    if (skew.kind == memlog::sim::KeySkew::Kind::zipf) skew.zipf_exponent = m_skewValue->value();
    source->setSkew(skew);
  });
  connect(source, &SourceController::stateChanged, this, &SimulationPanel::syncFromSource);
  // The counters of the frame every other view draws (not sampled at another moment).
  connect(frames, &FrameClock::frame, this, [this](const Frame& frame) {
    const auto& c = frame.source;
    const QLocale locale;
    m_counters->setText(u"%1 records · %2/s measured · %3 refused"_s.arg(
        locale.toString(static_cast<qulonglong>(c.written)), locale.toString(qRound64(c.measured_rate)),
        locale.toString(static_cast<qulonglong>(c.errors))));
  });
  syncFromSource();
}

void SimulationPanel::applyRate(double rate) {
  m_source->setRate(rate);
  syncFromSource();
}

void SimulationPanel::syncFromSource() {
  m_syncing = true;
  const auto o = m_source->options();
  m_kind->setCurrentIndex(m_kind->findData(static_cast<int>(o.kind)));
  m_unthrottled->setChecked(o.rate <= 0);
  m_rate->setEnabled(o.rate > 0);
  m_slider->setEnabled(o.rate > 0);
  if (o.rate > 0) {
    m_rate->setValue(o.rate);
    m_slider->setValue(sliderFor(o.rate));
  }
  m_burstSize->setValue(static_cast<int>(o.burst_size));
  m_burstEvery->setValue(static_cast<int>(o.burst_every.count()));
  m_payload->setValue(static_cast<int>(o.payload_bytes));
  m_skew->setCurrentIndex(m_skew->findData(static_cast<int>(o.skew.kind)));
  m_skewValue->setVisible(o.skew.kind != memlog::sim::KeySkew::Kind::uniform);
  if (o.skew.kind == memlog::sim::KeySkew::Kind::hot_key) {
    m_skewValue->setRange(0.01, 1);
    m_skewValue->setPrefix(u"share "_s);
    m_skewValue->setValue(o.skew.hot_share);
  } else if (o.skew.kind == memlog::sim::KeySkew::Kind::zipf) {
    m_skewValue->setRange(0.1, 10);
    m_skewValue->setPrefix(u"s = "_s);
    m_skewValue->setValue(o.skew.zipf_exponent);
  }
  m_startPause->setText(m_source->isRunning() ? u"Pause"_s : u"Start"_s);
  m_syncing = false;
}
