// SPDX-License-Identifier: MIT
#include "main_window.hpp"

#include <QApplication>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <memlog/version.hpp>

#include "adapter/log_limits.hpp"
#include "adapter/log_session.hpp"
#include "charts/charts_panel.hpp"
#include "compare/compare_window.hpp"
#include "lessons/highlight_overlay.hpp"
#include "lessons/lesson_player.hpp"
#include "lessons/lessons_panel.hpp"
#include "panels/configuration_panel.hpp"
#include "panels/consumers_panel.hpp"
#include "panels/sharding_panel.hpp"
#include "panels/simulation_panel.hpp"
#include "panels/source_panel.hpp"
#include "segments/segments_view.hpp"
#include "server/log_server.hpp"
#include "shards/routing_panel.hpp"
#include "shards/shard_map_view.hpp"
#include "shards/shards_panel.hpp"
#include "shards/skew_chart.hpp"
#include "table/record_table_model.hpp"
#include "table/record_table_view.hpp"
#include "theme/theme.hpp"
#include "timeline/timeline_panel.hpp"

using namespace Qt::StringLiterals;

namespace {
// Shows a dock (raised if it is tabbed behind another) and focuses its first widget that takes
// focus from the keyboard.
void focusPanel(QDockWidget* dock) {
  dock->show();
  dock->raise();
  QWidget* panel = dock->widget();
  QWidget* w = panel;
  do {
    if ((w == panel || panel->isAncestorOf(w)) && (w->focusPolicy() & Qt::TabFocus) && w->isVisibleTo(dock) &&
        w->isEnabled()) {
      w->setFocus(Qt::ShortcutFocusReason);
      return;
    }
    w = w->nextInFocusChain();
  } while (w != panel);
}
}  // namespace

MainWindow::MainWindow(LogSession* session, const QStringList& warnings, QWidget* parent)
    : QMainWindow(parent), m_session(session) {
  setWindowTitle(u"memlog monitor"_s);
  setWindowIcon(QIcon(u":/memlog-monitor.svg"_s));
  m_table = new RecordTableView(session->adapter(), this);
  setCentralWidget(m_table);
  m_segments = new SegmentsView(session->adapter(), session->frames(), this);
  m_segmentsDock = addDock(m_segments, u"Segments"_s, Qt::TopDockWidgetArea, u"segments"_s);
  // The panels on the right scroll rather than make the window taller than a small screen.
  m_sourcePanel = new SourcePanel(session, this);
  QDockWidget* source = addDock(scrollable(m_sourcePanel), u"Source"_s, Qt::RightDockWidgetArea, u"source"_s);
  m_sourceDock = source;
  m_consumers = new ConsumersPanel(session->consumers(), this);
  QDockWidget* consumers = addDock(m_consumers, u"Consumers"_s, Qt::RightDockWidgetArea, u"consumers"_s);
  m_consumersDock = consumers;
  QDockWidget* configuration =
      addDock(scrollable(configurationPanels()), u"Configuration"_s, Qt::RightDockWidgetArea, u"configuration"_s);
  splitDockWidget(source, consumers, Qt::Vertical);
  tabifyDockWidget(source, configuration);
  source->raise();
  m_charts = new ChartsPanel(session->adapter(), session->consumers(), this);
  QDockWidget* charts = addDock(m_charts, u"Charts"_s, Qt::BottomDockWidgetArea, u"charts"_s);
  QDockWidget* timeline =
      addDock(new TimelinePanel(session, this), u"Timeline"_s, Qt::BottomDockWidgetArea, u"timeline"_s);
  m_chartsDock = charts;
  m_timelineDock = timeline;
  if (ShardSet* shards = session->shards()) addShardDocks(shards);
  // Lessons: with the source and the configuration, raised when one plays.
  m_lessons = new LessonsPanel(this);
  m_lessonsDock = addDock(m_lessons, u"Lessons"_s, Qt::RightDockWidgetArea, u"lessons"_s);
  tabifyDockWidget(source, m_lessonsDock);
  source->raise();
  m_highlight = new HighlightOverlay(this);
  connect(m_lessons, &LessonsPanel::lessonRequested, this, &MainWindow::lessonRequested);
  connect(m_lessons, &LessonsPanel::highlightRequested, this, &MainWindow::highlight);
  // The right-hand column runs the full height: the segments picture and the charts take the
  // width left of it, so the window's minimum height is that of one column, not of all three.
  setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  buildMenus();

  m_range = new QLabel(this);
  m_retained = new QLabel(this);
  m_memory = new QLabel(this);
  m_rate = new QLabel(this);
  m_warning = new QLabel(this);
  m_paused = new QLabel(this);
  QFont bold = m_paused->font();
  bold.setBold(true);
  m_paused->setFont(bold);
  Theme::tint(m_paused, Theme::Message::info);  // colours that follow the palette (light, dark)
  Theme::tint(m_warning, Theme::Message::warning);
  m_range->setToolTip(u"The offsets the log retains: the history segment's first to the newest record."_s);
  m_memory->setToolTip(u"Memory the log holds: its record slots and shared payloads."_s);
  for (QLabel* label : {m_range, m_retained, m_memory, m_rate}) statusBar()->addWidget(label);
  statusBar()->addPermanentWidget(m_paused);
  statusBar()->addPermanentWidget(m_warning);
  if (!warnings.isEmpty()) {
    m_warning->setText(warnings.constFirst() +
                       (warnings.size() > 1 ? u" (+%1 more)"_s.arg(warnings.size() - 1) : QString()));
    m_warning->setToolTip(warnings.join(u'\n'));
  }
  connect(session->source(), &SourceController::errorOccurred, this,
          [this](const QString& message) { m_warning->setText(u"Source paused: %1"_s.arg(message)); });
  connect(session->feed(), &FeedController::problem, this,
          [this](const QString& message) { m_warning->setText(u"Source: %1"_s.arg(message)); });
#if MEMLOG_WITH_REDIS
  connect(session->mirror(), &MirrorController::problem, this,
          [this](const QString& message) { m_warning->setText(u"Mirror: %1"_s.arg(message)); });
#endif
  connect(session->adapter(), &LogAdapter::errorOccurred, this,
          [this](const QString& message) { m_warning->setText(message); });

  // The status bar, the table, the segments and the panels draw the same frame.
  m_table->model()->followFrames(session->frames());
  connect(session->frames(), &FrameClock::frame, this, &MainWindow::updateStatus);
  updateStatus(session->frames()->current());

  // Space pauses and resumes the simulation (typing a space in a text field still types one);
  // a real source is not paused that way: it keeps its own pace.
  // In a lesson, Space and → go on and ← goes back (a text field still gets its keys: it takes
  // them before the window's shortcuts).
  new QShortcut(QKeySequence(Qt::Key_Space), this, [this, session] {
    if (m_lessons->player() && !m_lessons->player()->isFinished())
      m_lessons->player()->next();
    else if (!session->feed()->isOpen())
      session->source()->togglePause();
  });
  new QShortcut(QKeySequence(Qt::Key_Right), this, [this] {
    if (m_lessons->player()) m_lessons->player()->next();
  });
  new QShortcut(QKeySequence(Qt::Key_Left), this, [this] {
    if (m_lessons->player()) m_lessons->player()->back();
  });
  fitToScreen(screen()->availableGeometry());
}

QWidget* MainWindow::configurationPanels() {
  // The log's options, and how it is sharded. A sharded log is started anew for either (the
  // adapter holds one shard): the window asks main() to, with the options as they will be.
  auto* panels = new QWidget(this);
  auto* configuration = new ConfigurationPanel(m_session->adapter(), m_session->frames(), panels);
  const ShardingOptions current = m_session->shards() ? m_session->shards()->options() : ShardingOptions{};
  m_sharding = new ShardingPanel(current, panels);
  if (m_session->isSharded())
    configuration->setReplacer([this, current](const memlog::Options& options) {
      emit restartRequested(options, current);
      return QString();
    });
  connect(m_sharding, &ShardingPanel::applyRequested, this, [this](const ShardingOptions& sharding) {
    memlog::Options options = m_session->adapter()->log()->options();
    options.start_offset = 0;
    emit restartRequested(options, sharding);
  });
  auto* title = new QLabel(u"<b>Sharding</b>"_s, panels);
  auto* layout = new QVBoxLayout(panels);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(configuration);
  layout->addWidget(title);
  layout->addWidget(m_sharding);
  layout->addStretch();
  return panels;
}

void MainWindow::addShardDocks(ShardSet* shards) {
  // Every shard beside the one shown in the segments picture; the routing and the skew with the
  // charts below.
  m_table->showShards(shards);
  m_shardsPanel = new ShardsPanel(shards, this);
  m_shardsPanel->map()->showConsumers(m_session->consumers());
  m_shardsDock = addDock(m_shardsPanel, u"Shards"_s, Qt::TopDockWidgetArea, u"shards"_s);
  splitDockWidget(m_shardsDock, m_segmentsDock, Qt::Horizontal);
  m_routing = new RoutingPanel(shards, this);
  tabifyDockWidget(m_chartsDock, addDock(m_routing, u"Routing"_s, Qt::BottomDockWidgetArea, u"routing"_s));
  m_skew = new SkewChart(shards, this);
  tabifyDockWidget(m_chartsDock, addDock(m_skew, u"Skew"_s, Qt::BottomDockWidgetArea, u"skew"_s));
  const auto title = [this](int shard) { m_segmentsDock->setWindowTitle(u"Segments of shard #%1"_s.arg(shard)); };
  title(shards->focused());
  connect(shards, &ShardSet::focusChanged, this, title);
}

void MainWindow::fitToScreen(const QRect& available) {
  // A small screen (a laptop, a projector at 1280×720) gets all of it; a large one most of it,
  // up to 1920×1200 (beyond that the docks only grow emptier).
  const bool small = available.width() < 1500 || available.height() < 950;
  // Charts and timeline side by side where there is room, as tabs where there is not.
  if (small)
    tabifyDockWidget(m_chartsDock, m_timelineDock);
  else
    splitDockWidget(m_chartsDock, m_timelineDock, Qt::Horizontal);
  m_chartsDock->raise();
  if (m_shardsDock) dock(u"routing"_s)->raise();  // keys going to their shards: the sharded log's story
  const QSize size =
      small ? available.size()
            : QSize(std::min(available.width() * 9 / 10, 1920), std::min(available.height() * 9 / 10, 1200));
  resize(size);
  move(available.topLeft() + QPoint((available.width() - size.width()) / 2, (available.height() - size.height()) / 2));
  arrangeDocks(size);
}

void MainWindow::arrangeDocks(QSize size) {
  // In proportion to the window: the segments picture a fifth of the height, the charts a
  // quarter, the panels on the right a third of the width, split between the source and the
  // consumers so that the consumers table shows several rows.
  const int w = size.width(), h = size.height();
  resizeDocks({m_segmentsDock}, {std::max(130, m_shardsDock ? h * 3 / 10 : h / 5)}, Qt::Vertical);
  if (m_shardsDock) resizeDocks({m_shardsDock, m_segmentsDock}, {w * 3 / 10, w * 3 / 10}, Qt::Horizontal);
  resizeDocks({m_chartsDock}, {std::max(200, h / 4)}, Qt::Vertical);
  if (tabifiedDockWidgets(m_chartsDock).isEmpty())
    resizeDocks({m_chartsDock, m_timelineDock}, {w * 3 / 4, w / 4}, Qt::Horizontal);
  resizeDocks({m_sourceDock}, {std::clamp(w * 7 / 25, 380, 540)}, Qt::Horizontal);
  resizeDocks({m_sourceDock, m_consumersDock}, {h * 11 / 20, h * 9 / 20}, Qt::Vertical);
}

QWidget* MainWindow::scrollable(QWidget* panel) {
  auto* area = new QScrollArea(this);
  area->setWidget(panel);
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  area->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);  // so the column can be made narrow
  return area;
}

void MainWindow::keepOnScreen(const QRect& available) {
  // A geometry saved on a larger (or another) screen, or a window whose frame (known once it
  // is shown) makes it larger than the screen: shrink it to fit, frame included, and move it
  // onto the screen.
  QRect frame = frameGeometry();
  if (available.contains(frame)) return;
  const QSize margins = frame.size() - size();
  frame.setSize(frame.size().boundedTo(available.size()));
  frame.moveLeft(std::clamp(frame.left(), available.left(), available.right() - frame.width() + 1));
  frame.moveTop(std::clamp(frame.top(), available.top(), available.bottom() - frame.height() + 1));
  resize(frame.size() - margins);
  move(frame.topLeft());
}

QDockWidget* MainWindow::addDock(QWidget* widget, const QString& title, Qt::DockWidgetArea area,
                                 const QString& objectName) {
  auto* dock = new QDockWidget(title, this);
  dock->setObjectName(objectName);
  dock->setWidget(widget);
  addDockWidget(area, dock);
  if (m_viewMenu) m_viewMenu->addAction(dock->toggleViewAction());
  return dock;
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(u"&File"_s);
  file->addAction(u"&Export records…"_s, m_table, &RecordTableView::exportWithDialog);
  file->addAction(u"Save &screenshot…"_s, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, u"Save screenshot"_s, u"memlog-monitor.png"_s, u"PNG (*.png)"_s);
    if (!path.isEmpty()) saveScreenshot(path);
  });
  file->addSeparator();
  file->addAction(u"&Quit"_s, QKeySequence::Quit, qApp, &QApplication::quit);
  m_viewMenu = menuBar()->addMenu(u"&View"_s);
  // Every action from the keyboard: a mnemonic for each dock's show/hide entry, and Alt+1…
  // to go to a panel — raised if it is tabbed behind another, and focused.
  const QList<QDockWidget*> docks = findChildren<QDockWidget*>();
  const QHash<QString, QString> mnemonics{{u"segments"_s, u"&Segments"_s},   {u"source"_s, u"S&ource"_s},
                                          {u"consumers"_s, u"&Consumers"_s}, {u"configuration"_s, u"Co&nfiguration"_s},
                                          {u"charts"_s, u"C&harts"_s},       {u"timeline"_s, u"&Timeline"_s},
                                          {u"shards"_s, u"Sh&ards"_s},       {u"routing"_s, u"&Routing"_s},
                                          {u"skew"_s, u"Ske&w"_s},           {u"lessons"_s, u"&Lessons"_s}};
  for (QDockWidget* dock : docks) {
    dock->toggleViewAction()->setText(mnemonics.value(dock->objectName(), dock->windowTitle()));
    m_viewMenu->addAction(dock->toggleViewAction());
  }
  QMenu* goTo = m_viewMenu->addMenu(u"&Go to panel"_s);
  goTo->addAction(u"&Records table"_s, QKeySequence(Qt::ALT | Qt::Key_1), this,
                  [this] { m_table->table()->setFocus(Qt::ShortcutFocusReason); });
  int key = Qt::Key_2;
  for (QDockWidget* dock : docks) {  // Alt+2 … Alt+9; a sharded window's further docks by the menu
    const QKeySequence shortcut =
        key <= Qt::Key_9 ? QKeySequence(Qt::ALT | static_cast<Qt::Key>(key++)) : QKeySequence();
    goTo->addAction(dock->toggleViewAction()->text(), shortcut, this, [dock] { focusPanel(dock); });
  }
  m_viewMenu->addSeparator();
  m_viewMenu->addAction(u"&Follow newest records"_s, QKeySequence(u"F"_s), m_table, &RecordTableView::jumpToNewest);
  QAction* pause = m_viewMenu->addAction(u"&Pause views"_s);
  pause->setShortcut(QKeySequence(u"Ctrl+P"_s));
  pause->setCheckable(true);
  pause->setToolTip(u"Freeze the table, the segments and the charts to inspect them; the log runs on."_s);
  connect(pause, &QAction::toggled, this, &MainWindow::setViewsPaused);
  QAction* compare = m_viewMenu->addAction(u"Co&mpare with another log…"_s);
  compare->setToolTip(
      u"The same records in a second log with another segment size or shard count, side by side: "
      u"retention, memory, the shards' load and the same consumers, the differences marked."_s);
  connect(compare, &QAction::triggered, this, &MainWindow::openCompare);
  m_presentAction = m_viewMenu->addAction(u"P&resenter mode"_s);
  m_presentAction->setShortcut(QKeySequence(Qt::Key_F11));
  m_presentAction->setCheckable(true);
  m_presentAction->setToolTip(
      u"Full screen, larger text and markers, a calm layout: the segments picture, the "
      u"lesson and one chart. F11 or Esc leaves it."_s);
  connect(m_presentAction, &QAction::toggled, this, &MainWindow::setPresenterMode);
  new QShortcut(QKeySequence(Qt::Key_Escape), this, [this] { m_presentAction->setChecked(false); });
  buildLessonsMenu();
  QMenu* help = menuBar()->addMenu(u"&Help"_s);
  help->addAction(u"&What is a segmented log?"_s, this, [this] {
    QMessageBox::information(
        this, u"What is a segmented log?"_s,
        u"<p>A <b>log</b> is an ordered, append-only list of records. Each record gets the next <b>offset</b>; "
        "readers ask for records by offset and keep their own position.</p>"
        "<p>memlog keeps its records in two <b>segments</b>: the <b>active</b> one takes new records. When it is "
        "full, the next write <b>seals</b> it — it becomes the <b>history</b> — and the previous history is "
        "<b>purged</b> whole. So memory stays bounded: at most two segments of records.</p>"
        "<p>A <b>consumer</b> reads at its own pace. Its <b>lag</b> is how many records it has not read yet. If it "
        "falls so far behind that the purge overtakes it, its next read fails with <i>out_of_range</i>: it must "
        "resume from the earliest retained record, or from its <b>checkpoint</b> after a replay.</p>"
        "<p>After a crash the log is recreated at the lowest checkpoint and the durable source replays from there: "
        "the same records at the same offsets.</p>"_s);
  });
  help->addAction(u"&About memlog monitor"_s, this, [this] {
    QMessageBox::about(
        this, u"About memlog monitor"_s,
        u"<b>memlog monitor %1</b><p>Watches a memlog log live: appends, seals, purges and consumers.</p>"_s.arg(
            QString::fromLatin1(memlog::kVersion)));
  });
}

void MainWindow::updateStatus(const Frame& frame) {
  const memlog::Stats& s = frame.stats;
  const QLocale locale;
  // Sharded: the offsets are the shown shard's own; the records retained are counted in all.
  const ShardSet* shards = m_session->shards();
  const QString shard = shards ? u"Shard #%1: "_s.arg(shards->focused()) : QString();
  m_range->setText(shard + (s.range.empty() ? (shards ? u"empty"_s : u"Empty log"_s)
                                            : u"%1 %2 – %3"_s.arg(shards ? u"offsets"_s : u"Offsets"_s,
                                                                  locale.toString(s.range.earliest),
                                                                  locale.toString(s.range.latest))));
  const auto retained = static_cast<qulonglong>(s.active_records) + s.history_records;
  m_retained->setText(shards ? u"%1 records retained (%2 in all %3 shards)"_s.arg(locale.toString(retained))
                                   .arg(locale.toString(shards->current().retained))
                                   .arg(shards->count())
                             : u"%1 records retained"_s.arg(locale.toString(retained)));
  m_memory->setText(u"Memory %1"_s.arg(
      locale.formattedDataSize(static_cast<qint64>(s.memory_bytes), 1, QLocale::DataSizeTraditionalFormat)));
  // The rate over about a second of frames: steadier than frame to frame.
  // Sharded: the writes to every shard (the shard shown changes; the log's writes do not).
  const auto written =
      shards ? static_cast<qint64>(shards->current().router.routed) : static_cast<qint64>(s.records_written);
  if (m_rateFromMs < 0 || written < m_rateFromWritten) {  // first frame, or a replaced log
    m_rateFromMs = frame.elapsedMs;
    m_rateFromWritten = written;
  } else if (frame.elapsedMs - m_rateFromMs >= 1000) {
    const double seconds = static_cast<double>(frame.elapsedMs - m_rateFromMs) / 1000.0;
    m_rate->setText(
        u"%1 writes/s"_s.arg(locale.toString(qRound64(static_cast<double>(written - m_rateFromWritten) / seconds))));
    m_rateFromMs = frame.elapsedMs;
    m_rateFromWritten = written;
  }
}

bool MainWindow::saveScreenshot(const QString& path) { return grab().save(path, "PNG"); }

void MainWindow::showServer(LogServer* server) {
  if (m_served) return;  // once: the server listens on its ports until the session ends
  m_consumers->showRemoteConsumers(server);
  // Where to reach it, for curl or a client of one's own (the `serving` lesson picks free ports).
  m_served = new QLabel(
      u"Serving <code>http://%1:%2/</code> · <code>ws://%1:%3/stream</code>"_s.arg(server->address().toString())
          .arg(server->httpPort())
          .arg(server->webSocketPort()),
      this);
  m_served->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_served->setToolTip(u"The log is served: GET /range, /records?from=O&max=N; WebSocket /stream?from=O."_s);
  statusBar()->addPermanentWidget(m_served);
}

void MainWindow::saveLayout(QSettings& store) const {
  store.setValue(u"window/geometry"_s, saveGeometry());
  store.setValue(stateKey(), saveState());
  m_sourcePanel->saveSources(store);
}

void MainWindow::restoreLayout(QSettings& store) {
  m_sourcePanel->restoreSources(store);
  if (!restoreGeometry(store.value(u"window/geometry"_s).toByteArray())) return;  // first start: as fitted
  restoreState(store.value(stateKey()).toByteArray());
  keepOnScreen(screen()->availableGeometry());
}

QString MainWindow::stateKey() const {
  // A sharded session has more docks: its arrangement is remembered apart from the plain one.
  // In a lesson the lessons panel has a place of its own (showLesson): remembered apart too.
  const QString lesson = m_lessons->player() ? u"Lesson"_s : QString();
  return (m_shardsDock ? u"window/stateSharded"_s : u"window/state"_s) + lesson;
}

void MainWindow::setViewsPaused(bool paused) {
  m_table->model()->setFrozen(paused);
  m_segments->setFrozen(paused);
  m_charts->setPaused(paused);
  if (m_shardsPanel) {
    m_shardsPanel->setFrozen(paused);
    m_routing->setFrozen(paused);
    m_skew->setFrozen(paused);
  }
  m_paused->setText(paused ? u"Views paused (Ctrl+P): the log runs on"_s : QString());
}
