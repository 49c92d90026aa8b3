// SPDX-License-Identifier: MIT
// memlog_gui_bench: runs memlog-monitor's real main window offscreen with the source writing
// unthrottled for a fixed time, and reports what a user would feel: records written per
// second, the GUI event loop's delay (how late a 10 ms timer fires: p50, p99, max) and memory
// (RSS early, at the end, and the peak) — flat memory and a responsive window under load.
//   memlog_gui_bench [seconds=10] [segment size=1000]
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "adapter/log_session.hpp"
#include "main_window.hpp"

namespace {
long status_kib(const char* field) {  // VmRSS / VmHWM from /proc/self/status
  std::ifstream status("/proc/self/status");
  const std::string key = std::string(field) + ":";
  for (std::string line; std::getline(status, line);)
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
  return -1;
}
}  // namespace

int main(int argc, char* argv[]) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const int seconds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
  const std::size_t segment = argc > 2 ? static_cast<std::size_t>(std::max(1, std::atoi(argv[2]))) : 1000;

  LogSession session({.segment_size = segment}, {.rate = 0});
  session.consumers()->add({.name = "fast", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
  session.consumers()->add({.name = "slow", .pace = 50, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
  MainWindow window(&session);
  window.resize(1600, 1000);
  window.show();

  // The probe: a 10 ms timer; how late each tick comes is the event loop's delay.
  std::vector<double> delays;
  QElapsedTimer clock;
  clock.start();
  qint64 last = 0;
  QTimer probe;
  probe.setTimerType(Qt::PreciseTimer);
  QObject::connect(&probe, &QTimer::timeout, [&] {
    const qint64 now = clock.nsecsElapsed();
    if (last > 0) delays.push_back(std::max(0.0, static_cast<double>(now - last) / 1e6 - 10.0));
    last = now;
  });
  probe.start(10);

  long rssEarly = 0;
  QTimer::singleShot(1000, [&] { rssEarly = status_kib("VmRSS"); });
  session.source()->start();
  QTimer::singleShot(seconds * 1000, &app, &QApplication::quit);
  app.exec();
  session.source()->pause();

  const memlog::Stats stats = session.adapter()->stats();
  std::sort(delays.begin(), delays.end());
  auto at = [&](double q) {
    return delays.empty() ? 0.0 : delays[static_cast<std::size_t>(q * static_cast<double>(delays.size() - 1))];
  };
  const double rate = static_cast<double>(stats.records_written) / seconds;
  std::printf("memlog_gui_bench: %d s, segment size %zu, source unthrottled, 2 consumers, main window offscreen\n",
              seconds, segment);
  std::printf("%-28s %14.0f\n", "records written per second", rate);
  std::printf("%-28s %14.2f ms\n", "event loop delay p50", at(0.50));
  std::printf("%-28s %14.2f ms\n", "event loop delay p99", at(0.99));
  std::printf("%-28s %14.2f ms\n", "event loop delay max", delays.empty() ? 0.0 : delays.back());
  std::printf("%-28s %14ld KiB\n", "RSS after 1 s", rssEarly);
  std::printf("%-28s %14ld KiB\n", "RSS at the end", status_kib("VmRSS"));
  std::printf("%-28s %14ld KiB\n", "peak RSS", status_kib("VmHWM"));
  std::printf(
      "{\"records_per_second\":%.0f,\"delay_p50_ms\":%.2f,\"delay_p99_ms\":%.2f,\"rss_early_kib\":%ld,\"rss_end_kib\":%"
      "ld,"
      "\"peak_rss_kib\":%ld}\n",
      rate, at(0.5), at(0.99), rssEarly, status_kib("VmRSS"), status_kib("VmHWM"));
  return 0;
}
