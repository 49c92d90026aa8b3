// SPDX-License-Identifier: MIT
// memlog-monitor: parses the command line (before any window or display is needed, so a bad
// value is a one-line error with exit code 2 even without a display), then starts the session
// and the main window.
#include <QApplication>
#include <QScreen>
#include <QSettings>
#include <QSocketNotifier>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <utility>

#include "adapter/log_session.hpp"
#include "command_line.hpp"
#include "compare/compare_window.hpp"
#include "headless_reporter.hpp"
#include "lesson_narrator.hpp"
#include "lessons/lesson_player.hpp"
#include "main_window.hpp"
#include "server/log_server.hpp"
#include "settings.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {

// SIGINT and SIGTERM with --headless (Ctrl+C, `kill`, a service manager): the handler only
// writes the signal's number to a pipe (all a handler may safely do, on whichever thread it
// runs); the event loop reads it and quits as --quit-after does, so the summary line is printed
// and the settings saved instead of the process dying without a word. A second signal a second
// or more later ends the process at once (the user insists); one sooner is the same request
// again — `timeout` signals the process and then its group — and must not skip the clean-up
// (the lesson's Redis folder, the settings).
int quitPipe[2] = {-1, -1};
std::atomic<std::int64_t> firstQuitSignalNs{0};  // lock-free, so a handler may use it
static_assert(std::atomic<std::int64_t>::is_always_lock_free);
constexpr std::int64_t kInsistAfterNs = 1'000'000'000;

void onQuitSignal(int signal) {
  const int savedErrno = errno;  // the interrupted code may be about to read it
  timespec now = {};
  ::clock_gettime(CLOCK_MONOTONIC, &now);  // async-signal-safe, as are write, signal and raise
  const std::int64_t ns = std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
  std::int64_t first = 0;
  if (firstQuitSignalNs.compare_exchange_strong(first, ns)) {
    const auto number = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(quitPipe[1], &number, 1);
    errno = savedErrno;
    return;
  }
  errno = savedErrno;
  if (ns - first < kInsistAfterNs) return;
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

// `received` is set to "SIGINT" or "SIGTERM" when one of them ended the run.
void quitOnSignals(QCoreApplication* app, QString* received) {
  if (::pipe2(quitPipe, O_CLOEXEC | O_NONBLOCK) != 0) return;  // then they end it as before
  auto* notifier = new QSocketNotifier(quitPipe[0], QSocketNotifier::Read, app);
  QObject::connect(notifier, &QSocketNotifier::activated, app, [received] {
    unsigned char number = 0;
    while (::read(quitPipe[0], &number, 1) == 1) *received = number == SIGINT ? u"SIGINT"_s : u"SIGTERM"_s;
    QCoreApplication::quit();
  });
  struct sigaction action = {};
  action.sa_handler = onQuitSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

// What the window asked for: a new log (other sharding, or new options for a sharded log), or
// a lesson (which brings its own setup).
struct Restart {
  memlog::Options log;
  ShardingOptions sharding;
  QString lesson;
};

}  // namespace

// One session and its window (or its headless reporter) until the application quits: the exit
// code; *restart set when the window asked for a new log (see MainWindow::restartRequested).
int runSession(QCoreApplication* app, MonitorOptions& options, QSettings& store, const QStringList& warnings,
               const std::optional<Lesson>& lesson, std::optional<Restart>* restart) {
  const MonitorOptions started = options;  // what the command line gave is saved only if changed
  LogSession session(options.log, options.source, options.sharding);
  for (int i = 0; i < options.consumers; ++i) {
    // A fast one, a slow one, then a spread of paces: something to watch keep up and fall behind.
    const double pace = i == 0 ? 0.0 : i == 1 ? 50.0 : 100.0 * i;
    const std::string name = i == 0   ? "fast"
                             : i == 1 ? "slow (50/s)"
                                      : "paced " + std::to_string(static_cast<int>(pace)) + "/s";
    session.consumers()->add({.name = name, .pace = pace, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
  }

  LogServer server(session.adapter());
  if (const ShardSet* shards = session.shards()) {  // the /shards routes and ws://…/stream?shard=i
    const auto serveShards = [&server, shards] {
      server.setShards(shards->log(), QString::fromUtf8(shards->options().sharder.name().data()),
                       QString::fromStdString(shards->router()->key_field()));
    };
    serveShards();
    // The key field follows the simulated system (or the real source): /shards says which.
    QObject::connect(session.source(), &SourceController::stateChanged, &server, serveShards);
    QObject::connect(session.feed(), &FeedController::openChanged, &server, serveShards);
  }
  if (options.servePort != 0) {
    QString error;
    if (!server.listen(QHostAddress(options.serveAddress), options.servePort,
                       static_cast<quint16>(options.servePort + 1), &error)) {
      std::fprintf(stderr, "memlog-monitor: --serve: %s\n", qPrintable(error));
      return 1;
    }
    std::fprintf(stdout, "memlog-monitor: serving http://%s:%u/ (HTTP API) and ws://%s:%u/stream (WebSocket)\n",
                 qPrintable(options.serveAddress), server.httpPort(), qPrintable(options.serveAddress),
                 server.webSocketPort());
    std::fflush(stdout);
  }
  // Problems of the real source and of the mirror: on stderr, in both modes (the window shows
  // them too).
  QObject::connect(session.feed(), &FeedController::problem, [](const QString& message) {
    std::fprintf(stderr, "memlog-monitor: source: %s\n", qPrintable(message));
  });
#if MEMLOG_WITH_REDIS
  QObject::connect(session.mirror(), &MirrorController::problem, [](const QString& message) {
    std::fprintf(stderr, "memlog-monitor: mirror: %s\n", qPrintable(message));
  });
#endif
  session.feed()->setPollInterval(std::chrono::milliseconds(options.pollMs));
  if (lesson) {
    session.source()->start();
    if (!lesson->sourceRunning) session.source()->pause();  // the lesson starts it when it says so
  } else if (options.feed.isEmpty()) {
    session.source()->start();
  } else {
    QString error;
    if (!session.useFeed(options.feed, &error)) {  // parsed already; kept for safety
      std::fprintf(stderr, "memlog-monitor: --source: %s\n", qPrintable(error));
      return 2;
    }
  }
#if MEMLOG_WITH_REDIS
  if (!options.mirror.isEmpty()) {
    QString error;
    if (!session.mirror()->start(options.mirror, &error)) {
      std::fprintf(stderr, "memlog-monitor: --mirror: %s\n", qPrintable(error));
      return 2;
    }
  }
#endif

  std::unique_ptr<MainWindow> window;
  std::unique_ptr<HeadlessReporter> reporter;
  std::unique_ptr<LessonPlayer> player;
  std::unique_ptr<LessonNarrator> narrator;
  if (lesson) {
    player = std::make_unique<LessonPlayer>(&session, *lesson);
    player->setServer(&server);  // the `serving` lesson starts it, on loopback
  }
  QString quitSignal;  // what ended a headless run, when a signal did
  if (options.headless) {
    if (player) {
      narrator = std::make_unique<LessonNarrator>(player.get());  // the lesson's lines, not the status lines
      QObject::connect(player.get(), &LessonPlayer::serverStarted, &server, [&server] {
        std::fprintf(stdout, "serving http://%s:%u/ and ws://%s:%u/stream\n", qPrintable(server.address().toString()),
                     server.httpPort(), qPrintable(server.address().toString()), server.webSocketPort());
        std::fflush(stdout);
      });
    } else {
      reporter = std::make_unique<HeadlessReporter>(&session, &server);
    }
    quitOnSignals(app, &quitSignal);
  } else {
    window = std::make_unique<MainWindow>(&session, warnings);
    QObject::connect(window.get(), &MainWindow::restartRequested, app,
                     [restart](const memlog::Options& log, const ShardingOptions& sharding) {
                       *restart = Restart{log, sharding, {}};
                       QCoreApplication::quit();
                     });
    QObject::connect(window.get(), &MainWindow::lessonRequested, app, [restart](const QString& nameOrFile) {
      *restart = Restart{{}, {}, nameOrFile};
      QCoreApplication::quit();
    });
    if (player) {
      window->showLesson(player.get());
      // What the lesson opens, the window shows: compare mode in its window, the server's clients.
      player->setCompareOpener([w = window.get(), p = player.get()](
                                   const memlog::Options& other, const ShardingOptions& sharding) -> CompareSession* {
        CompareWindow* compare = w->openCompareWith(other, sharding);
        if (compare) compare->showLesson(p);  // it covers the monitor's window: the lesson goes on in it
        return compare ? compare->session() : nullptr;
      });
      QObject::connect(player.get(), &LessonPlayer::serverStarted, window.get(),
                       [w = window.get(), &server] { w->showServer(&server); });
    }
    window->restoreLayout(store);
    if (server.isListening()) window->showServer(&server);
    window->show();
    if (options.present) window->setPresenterMode(true);  // after the remembered layout: it keeps that to go back to
    // Once shown, the window manager's frame is known: keep the whole window on the screen.
    QTimer::singleShot(0, window.get(), [w = window.get()] { w->keepOnScreen(w->screen()->availableGeometry()); });
  }

  int exitCode = 0;
  if (window && !options.screenshot.isEmpty()) {
    // Just before quitting (the views full of live data), or after 1.5 s without --quit-after.
    const int at = options.quitAfter > 0 ? std::max(300, static_cast<int>(options.quitAfter * 1000) - 400) : 1500;
    QTimer::singleShot(at, window.get(), [&] {
      if (!window->saveScreenshot(options.screenshot)) {
        std::fprintf(stderr, "memlog-monitor: could not save the screenshot to %s\n", qPrintable(options.screenshot));
        exitCode = 1;
      }
    });
  }
  if (options.quitAfter > 0)
    QTimer::singleShot(static_cast<int>(options.quitAfter * 1000), app, &QCoreApplication::quit);
  if (player) QTimer::singleShot(0, player.get(), &LessonPlayer::start);  // once the window is up

  const int code = app->exec();
  // A finite source (`seq 1 300000 | memlog-monitor --headless --source stdin`) does not end the
  // run (the log is still served and read): what ends it says what happened.
  if (reporter) reporter->printSummary(quitSignal);
  if (narrator && !quitSignal.isEmpty()) return narrator->interrupted(quitSignal);
  if (lesson) {  // a lesson's setup is not the user's: nothing of it is remembered
    if (window) window->saveLayout(store);
    return code != 0 ? code : exitCode;
  }
  // Remember what the log and the source are now, as changed in the window.
  options.log = session.adapter()->log()->options();
  options.log.start_offset = 0;  // a new run starts a new log at 0 unless told otherwise
  options.source = session.source()->options();
  options.consumers = static_cast<int>(session.consumers()->snapshots().size());
  if (session.shards()) options.sharding = session.shards()->options();
  settings::save(store, options, started);
  if (window) window->saveLayout(store);
  return code != 0 ? code : exitCode;
}

int main(int argc, char* argv[]) {
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
  CommandLine command = parseCommandLine(arguments);
  switch (command.action) {
    case CommandLine::Action::error:
      std::fprintf(stderr, "memlog-monitor: %s\n", qPrintable(command.text));
      return 2;
    case CommandLine::Action::listLessons: {
      QString error;
      const std::vector<Lesson> lessons = builtInLessons(&error);
      for (const Lesson& l : lessons) std::fprintf(stdout, "%-22s %s\n", qPrintable(l.name), qPrintable(l.title));
      if (!error.isEmpty()) std::fprintf(stderr, "memlog-monitor: %s\n", qPrintable(error));
      return error.isEmpty() ? 0 : 1;
    }
    case CommandLine::Action::help:
    case CommandLine::Action::version:
      std::fprintf(stdout, "%s\n", qPrintable(command.text));
      return 0;
    case CommandLine::Action::run:
      break;
  }

  // Headless needs no display: a QCoreApplication; with a window, a QApplication.
  std::unique_ptr<QCoreApplication> app;
  if (command.options.headless)
    app = std::make_unique<QCoreApplication>(argc, argv);
  else
    app = std::make_unique<QApplication>(argc, argv);
  if (!command.options.headless) Theme::apply(command.options.theme);  // --theme light|dark: Fusion and its palette
  QCoreApplication::setOrganizationName(u"memlog"_s);
  QCoreApplication::setApplicationName(u"memlog-monitor"_s);

  MonitorOptions& options = command.options;
  bool restarted = false;  // the window asked for a new session at least once
  QSettings store;
  QStringList warnings;
  settings::load(store, options, warnings);
  for (const QString& warning : warnings) std::fprintf(stderr, "memlog-monitor: warning: %s\n", qPrintable(warning));
  // A new log that cannot replace the running one in place (other sharding, new options for a
  // sharded log), or a lesson chosen in the window, restarts the session and the window with
  // them, in this process.
  for (;;) {
    std::optional<Lesson> lesson;
    if (!options.lesson.isEmpty()) {
      QString error;
      lesson = loadLesson(options.lesson, &error);
      if (!lesson) {
        std::fprintf(stderr, "memlog-monitor: --lesson: %s\n", qPrintable(error));
        if (options.headless || !restarted) return 2;
        options.lesson.clear();  // chosen in the window: the window comes back without it
        continue;
      }
      // The lesson's setup: its log, source and sharding; its own consumers; no real source.
      options.log = lesson->log;
      options.source = lesson->source;
      options.sharding = lesson->sharding;
      options.consumers = 0;
      options.feed.clear();
    }
    std::optional<Restart> restart;
    const int code = runSession(app.get(), options, store, warnings, lesson, &restart);
    if (!restart) return code;
    restarted = true;
    if (!restart->lesson.isEmpty()) {
      options.lesson = restart->lesson;
    } else {
      options.lesson.clear();
      options.log = restart->log;
      options.sharding = restart->sharding;
      // Chosen in the window, not on the command line: remembered like any change made there.
      options.hasSegmentSize = options.hasMaxRecordBytes = options.hasStartOffset = options.hasSharding = false;
    }
    options.feed.clear();  // the source panel reopens a real source if the user wants it
    // --quit-after's timer (on the application) still runs; the screenshot was the first window's.
    options.quitAfter = 0;
    options.screenshot.clear();
    warnings.clear();
  }
}