// SPDX-License-Identifier: MIT
#include "main_window.hpp"

#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QShortcut>
#include <QStatusBar>
#include <QTimer>

#include <memlog/version.hpp>

#include "adapter/log_session.hpp"
#include "charts/charts_panel.hpp"
#include "panels/configuration_panel.hpp"
#include "panels/consumers_panel.hpp"
#include "panels/source_panel.hpp"
#include "segments/segments_view.hpp"
#include "table/record_table_model.hpp"
#include "table/record_table_view.hpp"
#include "timeline/timeline_panel.hpp"

using namespace Qt::StringLiterals;

MainWindow::MainWindow(LogSession* session, const QStringList& warnings, QWidget* parent)
    : QMainWindow(parent), m_session(session) {
  setWindowTitle(u"memlog monitor"_s);
  setWindowIcon(QIcon(u":/memlog-monitor.svg"_s));
  m_table = new RecordTableView(session->adapter(), this);
  setCentralWidget(m_table);
  m_segments = new SegmentsView(session, this);
  addDock(m_segments, u"Segments"_s, Qt::TopDockWidgetArea, u"segments"_s);
  QDockWidget* source = addDock(new SourcePanel(session, this), u"Source"_s, Qt::RightDockWidgetArea, u"source"_s);
  m_consumers = new ConsumersPanel(session, this);
  QDockWidget* consumers = addDock(m_consumers, u"Consumers"_s, Qt::RightDockWidgetArea, u"consumers"_s);
  QDockWidget* configuration =
      addDock(new ConfigurationPanel(session, this), u"Configuration"_s, Qt::RightDockWidgetArea, u"configuration"_s);
  splitDockWidget(source, consumers, Qt::Vertical);
  tabifyDockWidget(source, configuration);
  source->raise();
  m_charts = new ChartsPanel(session, this);
  QDockWidget* charts = addDock(m_charts, u"Charts"_s, Qt::BottomDockWidgetArea, u"charts"_s);
  QDockWidget* timeline =
      addDock(new TimelinePanel(session, this), u"Timeline"_s, Qt::BottomDockWidgetArea, u"timeline"_s);
  splitDockWidget(charts, timeline, Qt::Horizontal);
  resizeDocks({charts, timeline}, {1100, 450}, Qt::Horizontal);
  resizeDocks({source, consumers}, {330, 330}, Qt::Vertical);
  resizeDocks({source}, {560}, Qt::Horizontal);
  buildMenus();

  m_range = new QLabel(this);
  m_retained = new QLabel(this);
  m_memory = new QLabel(this);
  m_rate = new QLabel(this);
  m_warning = new QLabel(this);
  m_paused = new QLabel(this);
  m_paused->setStyleSheet(u"color: #1565c0; font-weight: bold;"_s);
  m_warning->setStyleSheet(u"color: #b35900;"_s);
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
  connect(session->mirror(), &MirrorController::problem, this,
          [this](const QString& message) { m_warning->setText(u"Mirror: %1"_s.arg(message)); });
  connect(session->adapter(), &LogAdapter::errorOccurred, this,
          [this](const QString& message) { m_warning->setText(message); });

  auto* status = new QTimer(this);
  connect(status, &QTimer::timeout, this, &MainWindow::updateStatus);
  status->start(250);
  m_rateClock.start();
  updateStatus();

  // Space pauses and resumes the simulation (typing a space in a text field still types one);
  // a real source is not paused that way: it keeps its own pace.
  new QShortcut(QKeySequence(Qt::Key_Space), this, [session] {
    if (!session->feed()->isOpen()) session->source()->togglePause();
  });
  resize(1600, 1000);
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
  for (QDockWidget* dock : findChildren<QDockWidget*>()) m_viewMenu->addAction(dock->toggleViewAction());
  m_viewMenu->addSeparator();
  m_viewMenu->addAction(u"Follow newest records"_s, QKeySequence(u"F"_s), m_table, &RecordTableView::jumpToNewest);
  QAction* pause = m_viewMenu->addAction(u"Pause views"_s);
  pause->setShortcut(QKeySequence(u"Ctrl+P"_s));
  pause->setCheckable(true);
  pause->setToolTip(u"Freeze the table, the segments and the charts to inspect them; the log runs on."_s);
  connect(pause, &QAction::toggled, this, &MainWindow::setViewsPaused);
  QMenu* help = menuBar()->addMenu(u"&Help"_s);
  help->addAction(u"What is a segmented log?"_s, this, [this] {
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
  help->addAction(u"About memlog monitor"_s, this, [this] {
    QMessageBox::about(
        this, u"About memlog monitor"_s,
        u"<b>memlog monitor %1</b><p>Watches a memlog log live: appends, seals, purges and consumers.</p>"_s.arg(
            QString::fromLatin1(memlog::kVersion)));
  });
}

void MainWindow::updateStatus() {
  const memlog::Stats s = m_session->adapter()->stats();
  const QLocale locale;
  m_range->setText(s.range.empty()
                       ? u"Empty log"_s
                       : u"Offsets %1 – %2"_s.arg(locale.toString(s.range.earliest), locale.toString(s.range.latest)));
  m_retained->setText(
      u"%1 records retained"_s.arg(locale.toString(static_cast<qulonglong>(s.active_records + s.history_records))));
  m_memory->setText(u"Memory %1"_s.arg(
      locale.formattedDataSize(static_cast<qint64>(s.memory_bytes), 1, QLocale::DataSizeTraditionalFormat)));
  const auto written = static_cast<qint64>(s.records_written);
  const double seconds = m_rateClock.restart() / 1000.0;
  if (m_lastWritten >= 0 && seconds > 0 && written >= m_lastWritten)
    m_rate->setText(u"%1 writes/s"_s.arg(locale.toString(qRound64((written - m_lastWritten) / seconds))));
  m_lastWritten = written;
}

bool MainWindow::saveScreenshot(const QString& path) { return grab().save(path, "PNG"); }

void MainWindow::showServer(LogServer* server) { m_consumers->showRemoteConsumers(server); }

void MainWindow::saveLayout(QSettings& store) const {
  store.setValue(u"window/geometry"_s, saveGeometry());
  store.setValue(u"window/state"_s, saveState());
}

void MainWindow::restoreLayout(QSettings& store) {
  restoreGeometry(store.value(u"window/geometry"_s).toByteArray());
  restoreState(store.value(u"window/state"_s).toByteArray());
}

void MainWindow::setViewsPaused(bool paused) {
  m_table->model()->setFrozen(paused);
  m_segments->setFrozen(paused);
  m_charts->setPaused(paused);
  m_paused->setText(paused ? u"Views paused (Ctrl+P): the log runs on"_s : QString());
}
