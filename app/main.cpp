// SPDX-License-Identifier: MIT
// memlog-monitor: parses the command line (before any window or display is needed, so a bad
// value is a one-line error with exit code 2 even without a display), then starts the session
// and the main window.
#include <QApplication>
#include <QSettings>
#include <QTimer>

#include <cstdio>

#include "adapter/log_session.hpp"
#include "command_line.hpp"
#include "main_window.hpp"
#include "settings.hpp"

using namespace Qt::StringLiterals;

int main(int argc, char* argv[]) {
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
  CommandLine command = parseCommandLine(arguments);
  switch (command.action) {
    case CommandLine::Action::error:
      std::fprintf(stderr, "memlog-monitor: %s\n", qPrintable(command.text));
      return 2;
    case CommandLine::Action::help:
    case CommandLine::Action::version:
      std::fprintf(stdout, "%s\n", qPrintable(command.text));
      return 0;
    case CommandLine::Action::run:
      break;
  }

  QApplication app(argc, argv);
  QApplication::setOrganizationName(u"memlog"_s);
  QApplication::setApplicationName(u"memlog-monitor"_s);
  QApplication::setWindowIcon(QIcon(u":/memlog-monitor.svg"_s));

  MonitorOptions& options = command.options;
  QSettings store;
  QStringList warnings;
  settings::load(store, options, warnings);
  for (const QString& warning : warnings) std::fprintf(stderr, "memlog-monitor: warning: %s\n", qPrintable(warning));

  LogSession session(options.log, options.source);
  for (int i = 0; i < options.consumers; ++i) {
    // A fast one, a slow one, then a spread of paces: something to watch keep up and fall behind.
    const double pace = i == 0 ? 0.0 : i == 1 ? 50.0 : 100.0 * i;
    const std::string name = i == 0   ? "fast"
                             : i == 1 ? "slow (50/s)"
                                      : "paced " + std::to_string(static_cast<int>(pace)) + "/s";
    session.consumers()->add({.name = name, .pace = pace, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
  }
  session.source()->start();

  MainWindow window(&session, warnings);
  window.restoreLayout(store);
  window.show();

  int exitCode = 0;
  if (!options.screenshot.isEmpty()) {
    // Just before quitting (the views full of live data), or after 1.5 s without --quit-after.
    const int at = options.quitAfter > 0 ? std::max(300, static_cast<int>(options.quitAfter * 1000) - 400) : 1500;
    QTimer::singleShot(at, &window, [&] {
      if (!window.saveScreenshot(options.screenshot)) {
        std::fprintf(stderr, "memlog-monitor: could not save the screenshot to %s\n", qPrintable(options.screenshot));
        exitCode = 1;
      }
    });
  }
  if (options.quitAfter > 0) QTimer::singleShot(static_cast<int>(options.quitAfter * 1000), &app, &QApplication::quit);

  const int code = app.exec();
  // Remember what the log and the source are now, as changed in the window.
  options.log = session.adapter()->log()->options();
  options.log.start_offset = 0;  // a new run starts a new log at 0 unless told otherwise
  options.source = session.source()->options();
  options.consumers = static_cast<int>(session.consumers()->snapshots().size());
  settings::save(store, options);
  window.saveLayout(store);
  return code != 0 ? code : exitCode;
}
