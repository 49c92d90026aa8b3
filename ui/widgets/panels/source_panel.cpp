// SPDX-License-Identifier: MIT
#include "panels/source_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

#include <memlog/source/feed_spec.hpp>

#include "adapter/log_session.hpp"
#include "controllers/status_text.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;
using memlog::sim::SourceKind;

int SourcePanel::sliderFor(double rate) {
  if (rate <= 1) return 0;
  return std::clamp(static_cast<int>(std::lround(std::log10(rate) * kSliderMax / 6.0)), 0, kSliderMax);
}

double SourcePanel::rateFor(int slider) {
  const double rate = std::pow(10.0, slider * 6.0 / kSliderMax);
  // Round to 2 significant digits: the slider picks a magnitude, the field an exact value.
  const double magnitude = std::pow(10.0, std::floor(std::log10(rate)) - 1);
  return std::max(1.0, std::round(rate / magnitude) * magnitude);
}

SourcePanel::SourcePanel(LogSession* session, QWidget* parent) : QWidget(parent), m_session(session) {
  m_choice = new QComboBox(this);
  m_choice->addItem(u"Simulated legacy system"_s);
  m_choice->addItem(u"Standard input (one record per line)"_s);
  m_choice->addItem(u"File, followed as it grows"_s);
  m_choice->addItem(u"HTTP endpoint, polled"_s);
  m_choice->addItem(u"Redis stream, tailed"_s);
  m_choice->setToolTip(u"Where the log's records come from: the simulation, or a real source."_s);
  // Two pages in one layout, one of them hidden: the panel takes the shown page's size only.
  m_simulationPage = buildSimulation();
  m_realSourcePage = buildRealSource();

  m_crash = new QPushButton(u"Crash and replay from checkpoint"_s, this);
  QPushButton* crash = m_crash;
  m_replayInfo = new QLabel(
      u"Drops the log as if its process died, recreates it at the lowest consumer checkpoint and "
      "replays the durable source from there: same records, same offsets."_s,
      this);
  m_replayInfo->setWordWrap(true);

  auto* top = new QFormLayout;
  top->addRow(u"Source"_s, m_choice);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(m_simulationPage);
  layout->addWidget(m_realSourcePage);
  layout->addWidget(crash);
  layout->addWidget(m_replayInfo);
  layout->addWidget(buildMirror());
  layout->addStretch();

  connect(m_choice, &QComboBox::activated, this, &SourcePanel::choose);
  connect(crash, &QPushButton::clicked, this, [this] {
    const memlog::Offset checkpoint = m_session->crashAndReplay();
    m_replayInfo->setText(u"Replayed from offset %1: the log was recreated there and the source replays from it."_s.arg(
        QLocale().toString(checkpoint)));
  });
  connect(session->feed(), &FeedController::openChanged, this, &SourcePanel::syncFromFeed);
  connect(session->feed(), &FeedController::statusChanged, this, &SourcePanel::showFeedStatus);
  connect(session->feed(), &FeedController::problem, this, [this](const QString& message) {
    m_feedProblem->setText(message);
    m_feedProblem->setVisible(true);
  });
  connect(session->mirror(), &MirrorController::runningChanged, this, &SourcePanel::syncFromMirror);
  connect(session->mirror(), &MirrorController::statusChanged, this, &SourcePanel::syncFromMirror);
  connect(session->mirror(), &MirrorController::problem, this, [this](const QString& message) {
    m_mirrorProblem->setText(message);
    m_mirrorProblem->setVisible(true);
  });
  syncFromSource();
  syncFromFeed();
  syncFromMirror();
}

QWidget* SourcePanel::buildSimulation() {
  auto* page = new QWidget(this);
  m_kind = new QComboBox(page);
  for (SourceKind kind : {SourceKind::sensor, SourceKind::inventory, SourceKind::tickets})
    m_kind->addItem(QString::fromUtf8(memlog::sim::to_string(kind).data()), static_cast<int>(kind));
  m_kind->setToolTip(u"Which legacy system to simulate: building sensors, a warehouse, or a help desk API."_s);
  m_startPause = new QPushButton(page);
  m_startPause->setToolTip(u"Start or pause the source (Space)."_s);
  m_step = new QPushButton(u"Step"_s, page);
  m_step->setToolTip(u"Write exactly one record now."_s);
  m_slider = new QSlider(Qt::Horizontal, page);
  m_slider->setRange(0, kSliderMax);
  m_slider->setToolTip(u"Records per second, on a log scale from 1/s to 1,000,000/s."_s);
  m_rate = new QDoubleSpinBox(page);
  m_rate->setRange(0.1, 10'000'000);
  m_rate->setDecimals(1);
  m_rate->setSuffix(u" /s"_s);
  m_unthrottled = new QCheckBox(u"as fast as possible"_s, page);
  m_burstSize = new QSpinBox(page);
  m_burstSize->setRange(0, 1'000'000);
  m_burstSize->setSpecialValueText(u"no bursts"_s);
  m_burstSize->setToolTip(u"Extra records written all at once, every interval: a legacy batch job."_s);
  m_burstEvery = new QSpinBox(page);
  m_burstEvery->setRange(10, 600'000);
  m_burstEvery->setSuffix(u" ms"_s);
  m_payload = new QSpinBox(page);
  m_payload->setRange(0, 64 << 20);
  m_payload->setSpecialValueText(u"natural JSON size"_s);
  m_payload->setSuffix(u" bytes"_s);
  m_payload->setToolTip(
      u"Pads (or cuts) every record to this size. Over the log's max record size, writes are refused "
      "and the source pauses."_s);
  m_counters = new QLabel(page);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_startPause);
  buttons->addWidget(m_step);
  auto* rate = new QHBoxLayout;
  rate->addWidget(m_slider, 1);
  rate->addWidget(m_rate);
  rate->addWidget(m_unthrottled);
  auto* burst = new QHBoxLayout;
  burst->addWidget(m_burstSize);
  burst->addWidget(new QLabel(u"every"_s, page));
  burst->addWidget(m_burstEvery);
  auto* form = new QFormLayout(page);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(u"Kind"_s, m_kind);
  form->addRow(QString(), buttons);
  form->addRow(u"Rate"_s, rate);
  form->addRow(u"Bursts"_s, burst);
  form->addRow(u"Payload"_s, m_payload);
  form->addRow(u"Written"_s, m_counters);

  SourceController* source = m_session->source();
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
  connect(source, &SourceController::stateChanged, this, &SourcePanel::syncFromSource);
  // The counters of the frame every other view draws (not sampled at another moment).
  connect(m_session->frames(), &FrameClock::frame, this, [this](const Frame& frame) {
    const auto& c = frame.source;
    const QLocale locale;
    m_counters->setText(u"%1 records · %2/s measured · %3 refused"_s.arg(
        locale.toString(static_cast<qulonglong>(c.written)), locale.toString(qRound64(c.measured_rate)),
        locale.toString(static_cast<qulonglong>(c.errors))));
  });
  return page;
}

QWidget* SourcePanel::buildRealSource() {
  auto* page = new QWidget(this);
  m_targetLabel = new QLabel(page);
  m_target = new QLineEdit(page);
  m_target->setClearButtonEnabled(true);
  m_browse = new QPushButton(u"Browse…"_s, page);
  m_pollInterval = new QSpinBox(page);
  m_pollInterval->setRange(50, 3'600'000);
  m_pollInterval->setSingleStep(250);
  m_pollInterval->setSuffix(u" ms"_s);
  m_pollInterval->setValue(static_cast<int>(m_session->feed()->pollInterval().count()));
  m_pollInterval->setToolTip(u"How often the endpoint is asked for new elements."_s);
  m_pollLabel = new QLabel(u"Poll every"_s, page);
  m_connect = new QPushButton(page);
  m_feedStatus = new QLabel(page);
  m_feedStatus->setWordWrap(true);
  m_feedStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_feedProblem = new QLabel(page);
  m_feedProblem->setWordWrap(true);
  Theme::tint(m_feedProblem, Theme::Message::warning);
  m_feedProblem->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_feedProblem->setVisible(false);

  auto* target = new QHBoxLayout;
  target->addWidget(m_target, 1);
  target->addWidget(m_browse);
  auto* form = new QFormLayout(page);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(m_targetLabel, target);
  form->addRow(m_pollLabel, m_pollInterval);
  form->addRow(QString(), m_connect);
  form->addRow(u"State"_s, m_feedStatus);
  form->addRow(QString(), m_feedProblem);

  connect(m_browse, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, u"Follow a file"_s, m_target->text());
    if (!path.isEmpty()) m_target->setText(path);
  });
  connect(m_pollInterval, &QSpinBox::valueChanged, this,
          [this](int ms) { m_session->feed()->setPollInterval(std::chrono::milliseconds(ms)); });
  connect(m_target, &QLineEdit::returnPressed, this, &SourcePanel::connectOrDisconnect);
  connect(m_connect, &QPushButton::clicked, this, &SourcePanel::connectOrDisconnect);
  return page;
}

QGroupBox* SourcePanel::buildMirror() {
  m_mirror = new QGroupBox(u"Mirror to a Redis stream"_s, this);
  m_mirror->setCheckable(true);
  m_mirror->setChecked(false);
  m_mirror->setToolTip(
      u"Every record appended to the log is also appended to a Redis stream (XADD, pipelined, MAXLEN ~ the "
      "log's retention). The entry ID is the record's time and offset: <ms>-<offset>."_s);
  m_mirrorTarget = new QLineEdit(u"127.0.0.1:6379/memlog"_s, m_mirror);
  m_mirrorTarget->setPlaceholderText(u"HOST:PORT/STREAM"_s);
  m_mirrorStatus = new QLabel(m_mirror);
  m_mirrorStatus->setWordWrap(true);
  m_mirrorProblem = new QLabel(m_mirror);
  m_mirrorProblem->setWordWrap(true);
  Theme::tint(m_mirrorProblem, Theme::Message::warning);
  m_mirrorProblem->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_mirrorProblem->setVisible(false);
  auto* form = new QFormLayout(m_mirror);
  form->addRow(u"Stream"_s, m_mirrorTarget);
  form->addRow(u"State"_s, m_mirrorStatus);
  form->addRow(QString(), m_mirrorProblem);

  connect(m_mirror, &QGroupBox::toggled, this, [this](bool on) {
    if (m_syncing) return;
    MirrorController* mirror = m_session->mirror();
    m_mirrorProblem->setVisible(false);
    if (!on) {
      mirror->stop();
      return;
    }
    QString error;
    if (!mirror->start(m_mirrorTarget->text(), &error)) {
      m_mirrorProblem->setText(error);
      m_mirrorProblem->setVisible(true);
      syncFromMirror();  // unchecks the switch again
    }
  });
  connect(m_mirrorTarget, &QLineEdit::returnPressed, this, [this] {
    if (m_mirror->isChecked()) {
      QString error;
      m_mirrorProblem->setVisible(false);
      if (!m_session->mirror()->start(m_mirrorTarget->text(), &error)) {
        m_mirrorProblem->setText(error);
        m_mirrorProblem->setVisible(true);
      }
    }
  });
  return m_mirror;
}

void SourcePanel::choose(int choice) {
  m_feedProblem->setVisible(false);
  // Each kind keeps its own target: switching from a file to a URL and back finds the file.
  if (m_shownChoice >= 0 && m_shownChoice < kChoices) m_targets[m_shownChoice] = m_target->text();
  m_target->setText(m_targets[choice]);
  m_shownChoice = choice;
  if (choice == simulation) {
    m_session->useSimulation();
  } else if (m_session->feed()->isOpen()) {
    m_session->feed()->close();  // another kind chosen: the old source is not what is shown any more
  }
  syncFromFeed();
}

void SourcePanel::saveSources(QSettings& store) const {
  QString targets[kChoices];
  std::copy(std::begin(m_targets), std::end(m_targets), std::begin(targets));
  if (m_shownChoice >= 0 && m_shownChoice < kChoices) targets[m_shownChoice] = m_target->text();
  store.setValue(u"sources/file"_s, targets[file]);
  store.setValue(u"sources/http"_s, targets[http]);
  store.setValue(u"sources/redis"_s, targets[redis]);
  store.setValue(u"sources/pollMs"_s, m_pollInterval->value());
  store.setValue(u"sources/mirror"_s, m_mirrorTarget->text());
}

void SourcePanel::restoreSources(QSettings& store) {
  // Only the fields: the simulation stays the source until the user connects another.
  m_targets[file] = store.value(u"sources/file"_s).toString();
  m_targets[http] = store.value(u"sources/http"_s).toString();
  m_targets[redis] = store.value(u"sources/redis"_s).toString();
  if (m_shownChoice >= 0 && m_shownChoice < kChoices && !m_session->feed()->isOpen())
    m_target->setText(m_targets[m_shownChoice]);
  bool ok = false;
  const int poll = store.value(u"sources/pollMs"_s).toInt(&ok);
  if (ok && poll >= m_pollInterval->minimum() && poll <= m_pollInterval->maximum() && !m_session->feed()->isOpen())
    m_pollInterval->setValue(poll);
  const QString mirror = store.value(u"sources/mirror"_s).toString();
  if (!mirror.isEmpty() && !m_session->mirror()->isRunning()) m_mirrorTarget->setText(mirror);
}

QString SourcePanel::sourceName() const {
  const QString target = m_target->text().trimmed();
  switch (m_choice->currentIndex()) {
    case standardInput:
      return u"stdin"_s;
    case file:
      return u"file:"_s + target;
    case http:
      return u"http:"_s + target;
    case redis:
      return u"redis:"_s + target;
    default:
      return {};
  }
}

void SourcePanel::connectOrDisconnect() {
  FeedController* feed = m_session->feed();
  if (feed->isOpen()) {
    feed->close();
    return;
  }
  QString error;
  m_feedProblem->setVisible(false);
  if (!m_session->useFeed(sourceName(), &error)) {
    m_feedProblem->setText(error);
    m_feedProblem->setVisible(true);
  }
}

void SourcePanel::syncFromFeed() {
  FeedController* feed = m_session->feed();
  if (feed->isOpen()) {
    // Opened elsewhere (the command line): show it.
    if (const auto spec = memlog::feed::parse_feed_spec(feed->source().toStdString())) {
      // The real sources follow the simulation in the selector, in FeedSpec::Kind's order.
      const int choice = standardInput + static_cast<int>(spec->kind);
      if (m_choice->currentIndex() != choice) {
        m_choice->setCurrentIndex(choice);
        m_target->setText(QString::fromStdString(spec->target));
        m_shownChoice = choice;
      }
    }
  }
  const int choice = m_choice->currentIndex();
  m_simulationPage->setVisible(choice == simulation);
  m_realSourcePage->setVisible(choice != simulation);
  // Only the simulated source is durable: a real one cannot replay what the log lost.
  m_crash->setEnabled(!feed->isOpen());
  m_crash->setToolTip(feed->isOpen() ? u"Only the simulated source can replay: a real source cannot send its past "
                                       "records again."_s
                                     : QString());
  static const QString labels[] = {QString(), u"Input"_s, u"Path"_s, u"URL"_s, u"Stream"_s};
  static const QString placeholders[] = {QString(), QString(), u"/var/log/syslog"_s,
                                         u"http://127.0.0.1:8080/api/events?after={cursor:0}"_s,
                                         u"127.0.0.1:6379/events (add @0 for the whole stream)"_s};
  static const QString tips[] = {
      QString(),
      u"Reads this process's standard input, one record per line: journalctl -f | memlog-monitor --source stdin"_s,
      u"Reads the file from its start, then follows it as it grows; truncation and rotation are handled."_s,
      u"A JSON array (or an object with a records/items/data array); one record per new element. {cursor} in the "
      "URL is replaced by the response's next/cursor value or the highest id seen."_s,
      u"HOST:PORT/STREAM[@ID]: tails the stream with XREAD BLOCK after ID ($ = new entries only)."_s};
  m_targetLabel->setText(labels[choice]);
  m_target->setPlaceholderText(placeholders[choice]);
  m_target->setToolTip(tips[choice]);
  m_targetLabel->setVisible(choice != standardInput);
  m_target->setVisible(choice != standardInput);
  m_browse->setVisible(choice == file);
  m_pollLabel->setVisible(choice == http);
  m_pollInterval->setVisible(choice == http);
  const bool open = feed->isOpen();
  m_target->setReadOnly(open);
  m_connect->setText(open ? u"Disconnect"_s : choice == standardInput ? u"Read standard input"_s : u"Connect"_s);
  showFeedStatus();
}

void SourcePanel::showFeedStatus() {
  FeedController* feed = m_session->feed();
  if (!feed->isOpen()) {
    m_feedStatus->setText(u"Not connected"_s);
    return;
  }
  m_feedStatus->setText(feedStatusText(feed->status()));
}

void SourcePanel::syncFromMirror() {
  MirrorController* mirror = m_session->mirror();
  m_syncing = true;
  m_mirror->setChecked(mirror->isRunning());
  m_syncing = false;
  if (mirror->isRunning() && m_mirrorTarget->text() != mirror->target().mid(6) && !m_mirrorTarget->hasFocus())
    m_mirrorTarget->setText(mirror->target().mid(6));
  if (!mirror->isRunning()) {
    m_mirrorStatus->setText(u"Off"_s);
    return;
  }
  m_mirrorStatus->setText(mirrorStatusText(mirror->status(), Theme::of(palette()).error.name()));
}

void SourcePanel::applyRate(double rate) {
  m_session->source()->setRate(rate);
  syncFromSource();
}

void SourcePanel::syncFromSource() {
  m_syncing = true;
  const auto o = m_session->source()->options();
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
  m_startPause->setText(m_session->source()->isRunning() ? u"Pause"_s : u"Start"_s);
  m_syncing = false;
}
