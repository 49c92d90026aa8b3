// SPDX-License-Identifier: MIT
#include "panels/source_panel.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <memlog/source/feed_spec.hpp>

#include "adapter/log_session.hpp"
#if MEMLOG_WITH_REDIS
#include "panels/mirror_panel.hpp"
#endif
#include "panels/real_source_panel.hpp"
#include "panels/simulation_panel.hpp"

using namespace Qt::StringLiterals;

namespace {
RealSourcePanel::Kind kindOf(int choice) {
  return static_cast<RealSourcePanel::Kind>(choice - SourcePanel::standardInput);
}
}  // namespace

SourcePanel::SourcePanel(LogSession* session, QWidget* parent) : QWidget(parent), m_session(session) {
  m_choice = new QComboBox(this);
  m_choice->addItem(u"Simulated legacy system"_s);
  m_choice->addItem(u"Standard input (one record per line)"_s);
  m_choice->addItem(u"File, followed as it grows"_s);
  m_choice->addItem(u"HTTP endpoint, polled"_s);
#if MEMLOG_WITH_REDIS
  m_choice->addItem(u"Redis stream, tailed"_s);
#endif
  m_choice->setToolTip(u"Where the log's records come from: the simulation, or a real source."_s);
  // Two pages in one layout, one of them hidden: the panel takes the shown page's size only.
  m_simulation = new SimulationPanel(session->source(), session->frames(), this);
  m_realSource = new RealSourcePanel(session->feed(), this);

  m_crash = new QPushButton(u"Crash and replay from checkpoint"_s, this);
  m_replayInfo = new QLabel(
      u"Drops the log as if its process died, recreates it at the lowest consumer checkpoint and "
      "replays the durable source from there: same records, same offsets."_s,
      this);
  m_replayInfo->setWordWrap(true);

  auto* top = new QFormLayout;
  top->addRow(u"Source"_s, m_choice);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(m_simulation);
  layout->addWidget(m_realSource);
  layout->addWidget(m_crash);
  layout->addWidget(m_replayInfo);
#if MEMLOG_WITH_REDIS
  m_mirror = new MirrorPanel(session->mirror(), this);
  layout->addWidget(m_mirror);
#endif
  layout->addStretch();
  if (session->isSharded()) {
    // Each shard has its own offsets, and the source's sequence is none of them: the replay from
    // one checkpoint is a single log's story. (The mirror works shard by shard: a stream each.)
    m_crash->hide();
    m_replayInfo->setText(
        u"The sharded log has no crash-and-replay: every shard has offsets of its own, so no single checkpoint "
        "names where the source would replay from."_s);
  }

  connect(m_choice, &QComboBox::activated, this, &SourcePanel::choose);
  connect(m_realSource, &RealSourcePanel::openRequested, this, &SourcePanel::open);
  connect(m_crash, &QPushButton::clicked, this, [this] {
    const memlog::Offset checkpoint = m_session->crashAndReplay();
    m_replayInfo->setText(u"Replayed from offset %1: the log was recreated there and the source replays from it."_s.arg(
        QLocale().toString(checkpoint)));
  });
  connect(session->feed(), &FeedController::openChanged, this, &SourcePanel::syncFromFeed);
  syncFromFeed();
}

QDoubleSpinBox* SourcePanel::rateField() const { return m_simulation->rateField(); }
QSlider* SourcePanel::rateSlider() const { return m_simulation->rateSlider(); }
QCheckBox* SourcePanel::unthrottled() const { return m_simulation->unthrottled(); }
QLabel* SourcePanel::counters() const { return m_simulation->counters(); }
QLineEdit* SourcePanel::sourceTarget() const { return m_realSource->target(); }
QPushButton* SourcePanel::connectButton() const { return m_realSource->connectButton(); }
QLabel* SourcePanel::feedStatus() const { return m_realSource->status(); }
QLabel* SourcePanel::feedProblem() const { return m_realSource->problem(); }

void SourcePanel::choose(int choice) {
  m_realSource->hideProblem();
  if (choice == simulation) {
    m_session->useSimulation();
  } else {
    // Another kind chosen: the old source is not what is shown any more.
    if (m_session->feed()->isOpen()) m_session->feed()->close();
    m_realSource->setKind(kindOf(choice));
  }
  syncFromFeed();
}

void SourcePanel::open(const QString& source) {
  QString error;
  if (!m_session->useFeed(source, &error)) m_realSource->showProblem(error);
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
        m_realSource->setKind(spec->kind);
        m_realSource->setTarget(QString::fromStdString(spec->target));
      }
    }
  }
  const bool simulated = m_choice->currentIndex() == simulation;
  m_simulation->setVisible(simulated);
  m_realSource->setVisible(!simulated);
  m_realSource->syncFromFeed();
  // Only the simulated source is durable: a real one cannot replay what the log lost.
  m_crash->setEnabled(!feed->isOpen());
  m_crash->setToolTip(feed->isOpen() ? u"Only the simulated source can replay: a real source cannot send its past "
                                       "records again."_s
                                     : QString());
}

void SourcePanel::saveSources(QSettings& store) const {
  m_realSource->save(store);
#if MEMLOG_WITH_REDIS
  m_mirror->save(store);
#endif
}

void SourcePanel::restoreSources(QSettings& store) {
  m_realSource->restore(store);
#if MEMLOG_WITH_REDIS
  m_mirror->restore(store);
#endif
}
