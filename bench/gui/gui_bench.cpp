// SPDX-License-Identifier: MIT
// memlog_gui_bench: runs memlog-monitor's real main window offscreen with the source writing
// unthrottled for a fixed time, and reports what a user would feel: records written per
// second, the GUI event loop's delay (how late a 10 ms timer fires: p50, p99, max) and memory
// (RSS sampled every 100 ms: the median of the first quarter of the run against the last one,
// and the peak) — flat memory and a responsive window under load.
//
// Two scenarios, each in a process of its own (so one's heap does not flatter the other's RSS):
//   single log  — one log; target: event-loop delay p99 < 50 ms
//   64 shards   — a ShardedLog of 64 shards (fnv), the Shards/Routing/Skew docks shown too;
//                 target: p99 < 16 ms
// and for both: memory flat, i.e. the last quarter's RSS within 10 % of the first quarter's.
//
//   memlog_gui_bench [seconds=10] [segment size=1000] [--only single|shards] [--profile]
// --profile: also prints, per scenario, where the GUI thread's time went — every event it
// handled timed (its own time, without the events sent from inside it; wall clock and the
// thread's CPU time), by receiver class and event type, a Qt object (a timer, a view's viewport)
// named with the monitor's class it belongs to: "RoutingView, Paint", "QListView in
// TimelinePanel, Timer". It costs two clock reads per event: compare delays without it.
// Exits 1 only when a scenario's process failed; a missed target is printed, not an error.
#include <QApplication>
#include <QElapsedTimer>
#include <QMetaEnum>
#include <QThread>
#include <QTimer>

#include <sys/wait.h>
#include <time.h>  // NOLINT(modernize-deprecated-headers): clock_gettime and CLOCK_THREAD_CPUTIME_ID are POSIX, not in <ctime>
#include <unistd.h>

#include <cxxabi.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "adapter/log_session.hpp"
#include "main_window.hpp"
#include "shards/sharding_options.hpp"

namespace {
constexpr int kShards = 64;
constexpr double kFlatGrowth = 0.10;  // "flat": the last quarter's RSS within 10 % of the first's

long status_kib(const char* field) {  // VmRSS / VmHWM from /proc/self/status
  std::ifstream status("/proc/self/status");
  const std::string key = std::string(field) + ":";
  for (std::string line; std::getline(status, line);)
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
  return -1;
}

struct Scenario {
  const char* name;
  int shards;  // 0 = one log
  double targetP99Ms;
};
constexpr Scenario kScenarios[] = {{"single log", 0, 50.0}, {"64 shards", kShards, 16.0}};

// What a scenario's process hands back (a plain struct through a pipe).
struct Result {
  bool ok = false;
  double recordsPerSecond = 0;
  double p50 = 0, p99 = 0, max = 0;
  long rssFirstQuarter = 0, rssLastQuarter = 0, rssEnd = 0, rssPeak = 0;
  std::uint64_t sourceErrors = 0;
  double growth() const {
    return rssFirstQuarter > 0
               ? static_cast<double>(rssLastQuarter - rssFirstQuarter) / static_cast<double>(rssFirstQuarter)
               : 0;
  }
};

// The application, timing every event the GUI thread handles when asked to.
class ProfilingApp : public QApplication {
 public:
  ProfilingApp(int& argc, char** argv, bool profiling) : QApplication(argc, argv), m_profiling(profiling) {
    m_clock.start();
  }

  bool notify(QObject* receiver, QEvent* event) override {
    if (!m_profiling || QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
    // Named first: the event may delete its receiver (and itself).
    Cost& cost = m_costs[key(receiver, event->type())];
    const Times outer = m_nested;
    m_nested = {};
    const Times start = now();
    const bool handled = QApplication::notify(receiver, event);
    const Times total = now() - start;
    const Times own = total - m_nested;
    cost.own = cost.own + own;
    cost.worstWallNs = std::max(cost.worstWallNs, own.wallNs);
    cost.over16ms += own.wallNs > 16'000'000 ? 1 : 0;
    ++cost.count;
    m_nested = outer + total;
    return handled;
  }

  void print(const char* scenario, int seconds) const {
    std::vector<std::pair<std::string, Cost>> costs(m_costs.begin(), m_costs.end());
    std::sort(costs.begin(), costs.end(),
              [](const auto& a, const auto& b) { return a.second.own.wallNs > b.second.own.wallNs; });
    std::printf(
        "%s: the GUI thread's time by event (own time, without the events sent from inside it; wall clock, and "
        "the thread's CPU time)\n",
        scenario);
    std::printf("  %-52s %8s %8s %8s %8s %8s %8s\n", "receiver, event", "ms/s", "CPU ms/s", "events", "mean ms",
                "worst ms", ">16 ms");
    auto ms = [](qint64 ns) { return static_cast<double>(ns) / 1e6; };
    for (std::size_t i = 0; i < std::min<std::size_t>(costs.size(), 16); ++i) {
      const auto& [name, c] = costs[i];
      std::printf("  %-52s %8.2f %8.2f %8lld %8.3f %8.2f %8lld\n", name.c_str(), ms(c.own.wallNs) / seconds,
                  ms(c.own.cpuNs) / seconds, static_cast<long long>(c.count),
                  ms(c.own.wallNs) / static_cast<double>(c.count), ms(c.worstWallNs),
                  static_cast<long long>(c.over16ms));
    }
  }

  static std::string typeName(const QObject* object) {  // the dynamic C++ type, with or without Q_OBJECT
    const char* mangled = typeid(*object).name();
    int status = 0;
    char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
    std::string name = status == 0 && demangled ? demangled : mangled;
    std::free(demangled);
    return name;
  }

 private:
  struct Times {
    qint64 wallNs = 0;
    qint64 cpuNs = 0;  // the GUI thread's CPU time: wall minus this is time it was not running
    friend Times operator+(Times a, Times b) { return {a.wallNs + b.wallNs, a.cpuNs + b.cpuNs}; }
    friend Times operator-(Times a, Times b) { return {a.wallNs - b.wallNs, a.cpuNs - b.cpuNs}; }
  };
  struct Cost {
    Times own;
    qint64 worstWallNs = 0;
    qint64 count = 0;
    qint64 over16ms = 0;
  };
  Times now() const {
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    return {m_clock.nsecsElapsed(), static_cast<qint64>(cpu.tv_sec) * 1'000'000'000 + cpu.tv_nsec};
  }
  // "RoutingView, Paint"; a Qt class's object is told by its nearest ancestor of the monitor's
  // own: "QListView in TimelinePanel, Timer".
  static std::string key(QObject* receiver, QEvent::Type type) {
    const char* eventName = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
    std::string name = typeName(receiver);
    if (name.starts_with('Q')) {
      const QObject* owner = receiver->parent();
      while (owner && owner->parent() && typeName(owner).starts_with('Q')) owner = owner->parent();
      if (owner) name += " in " + typeName(owner);
    }
    return name + ", " + (eventName ? eventName : std::to_string(static_cast<int>(type)));
  }

  bool m_profiling;
  QElapsedTimer m_clock;
  Times m_nested;
  std::map<std::string, Cost> m_costs;
};

long median(std::vector<long> values) {
  if (values.empty()) return 0;
  const auto middle = static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), values.begin() + middle, values.end());
  return values[values.size() / 2];
}

Result run(const Scenario& scenario, int seconds, std::size_t segment, bool profile, int argc, char* argv[]) {
  ProfilingApp app(argc, argv, profile);
  ShardingOptions sharding;
  sharding.shards = scenario.shards;  // the sharder: fnv by default
  LogSession session({.segment_size = segment}, {.rate = 0}, sharding);
  session.consumers()->add({.name = "fast", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
  session.consumers()->add({.name = "slow", .pace = 50, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
  MainWindow window(&session, {});
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

  // Memory: RSS every 100 ms, each sample with its time.
  std::vector<std::pair<qint64, long>> rss;
  QTimer memory;
  QObject::connect(&memory, &QTimer::timeout, [&] { rss.emplace_back(clock.elapsed(), status_kib("VmRSS")); });
  memory.start(100);

  session.source()->start();
  QTimer::singleShot(seconds * 1000, &app, &QApplication::quit);
  app.exec();
  session.source()->pause();

  Result result;
  result.ok = true;
  const memlog::sim::SourceCounters counters = session.source()->counters();
  result.recordsPerSecond = static_cast<double>(counters.written) / seconds;
  result.sourceErrors = counters.errors;
  std::sort(delays.begin(), delays.end());
  auto at = [&](double q) {
    return delays.empty() ? 0.0 : delays[static_cast<std::size_t>(q * static_cast<double>(delays.size() - 1))];
  };
  result.p50 = at(0.50);
  result.p99 = at(0.99);
  result.max = delays.empty() ? 0.0 : delays.back();
  const qint64 quarter = static_cast<qint64>(seconds) * 1000 / 4;
  std::vector<long> first, lastQuarter;
  for (const auto& [ms, kib] : rss) {
    if (ms < quarter) first.push_back(kib);
    if (ms >= 3 * quarter) lastQuarter.push_back(kib);
  }
  result.rssFirstQuarter = median(first);
  result.rssLastQuarter = median(lastQuarter);
  result.rssEnd = status_kib("VmRSS");
  result.rssPeak = status_kib("VmHWM");
  if (profile) app.print(scenario.name, seconds);
  return result;
}

// Runs `scenario` in a child process (forked before any thread or QApplication exists here).
Result runApart(const Scenario& scenario, int seconds, std::size_t segment, bool profile, int argc, char* argv[]) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) return {};
  if (child == 0) {
    close(fds[0]);
    const Result result = run(scenario, seconds, segment, profile, argc, argv);
    std::fflush(stdout);
    const ssize_t written = write(fds[1], &result, sizeof result);
    _exit(written == static_cast<ssize_t>(sizeof result) ? 0 : 1);
  }
  close(fds[1]);
  Result result;
  const ssize_t got = read(fds[0], &result, sizeof result);
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  if (got != static_cast<ssize_t>(sizeof result) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  return result;
}
}  // namespace

int main(int argc, char* argv[]) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  std::vector<const char*> positional;
  std::string_view only;
  bool profile = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (std::strcmp(argv[i], "--profile") == 0)
      profile = true;
    else
      positional.push_back(argv[i]);
  }
  if (!only.empty() && only != "single" && only != "shards") {
    std::fprintf(stderr, "memlog_gui_bench: --only single|shards\n");
    return 2;
  }
  const int seconds = positional.size() > 0 ? std::max(1, std::atoi(positional[0])) : 10;
  const std::size_t segment =
      positional.size() > 1 ? static_cast<std::size_t>(std::max(1, std::atoi(positional[1]))) : 1000;

  std::vector<const Scenario*> scenarios;
  for (const Scenario& s : kScenarios)
    if (only.empty() || (only == "single") == (s.shards == 0)) scenarios.push_back(&s);
  std::vector<Result> results;
  results.reserve(scenarios.size());
  for (const Scenario* s : scenarios) results.push_back(runApart(*s, seconds, segment, profile, argc, argv));

  std::printf(
      "memlog_gui_bench: %d s per scenario, segment size %zu, source unthrottled, 2 consumers, main window "
      "offscreen\n",
      seconds, segment);
  auto row = [&](const char* label, auto cell) {
    std::printf("%-32s", label);
    for (const Result& r : results) cell(r);
    std::printf("\n");
  };
  row("", [&, i = 0](const Result&) mutable { std::printf(" %16s", scenarios[i++]->name); });
  row("records written per second", [](const Result& r) { std::printf(" %16.0f", r.recordsPerSecond); });
  row("event loop delay p50 (ms)", [](const Result& r) { std::printf(" %16.2f", r.p50); });
  row("event loop delay p99 (ms)", [](const Result& r) { std::printf(" %16.2f", r.p99); });
  row("event loop delay max (ms)", [](const Result& r) { std::printf(" %16.2f", r.max); });
  row("RSS, first quarter (KiB)", [](const Result& r) { std::printf(" %16ld", r.rssFirstQuarter); });
  row("RSS, last quarter (KiB)", [](const Result& r) { std::printf(" %16ld", r.rssLastQuarter); });
  row("RSS growth", [](const Result& r) { std::printf(" %15.1f%%", 100.0 * r.growth()); });
  row("RSS at the end (KiB)", [](const Result& r) { std::printf(" %16ld", r.rssEnd); });
  row("peak RSS (KiB)", [](const Result& r) { std::printf(" %16ld", r.rssPeak); });

  bool failed = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    const Scenario& s = *scenarios[i];
    if (!r.ok) {
      std::printf("%s: the scenario's process failed\n", s.name);
      failed = true;
      continue;
    }
    const bool responsive = r.p99 < s.targetP99Ms;
    const bool flat = r.growth() < kFlatGrowth;
    std::printf("%s: p99 %.2f ms < %.0f ms: %s; memory flat (growth %.1f%% < %.0f%%): %s\n", s.name, r.p99,
                s.targetP99Ms, responsive ? "met" : "MISSED", 100.0 * r.growth(), 100.0 * kFlatGrowth,
                flat ? "met" : "MISSED");
    if (r.sourceErrors != 0)
      std::printf("%s: the log refused %llu writes\n", s.name, static_cast<unsigned long long>(r.sourceErrors));
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    if (!r.ok) continue;
    std::printf(
        "{\"scenario\":\"%s\",\"shards\":%d,\"records_per_second\":%.0f,\"delay_p50_ms\":%.2f,\"delay_p99_ms\":%.2f,"
        "\"delay_max_ms\":%.2f,\"target_p99_ms\":%.0f,\"rss_first_quarter_kib\":%ld,\"rss_last_quarter_kib\":%ld,"
        "\"rss_end_kib\":%ld,\"peak_rss_kib\":%ld}\n",
        scenarios[i]->name, scenarios[i]->shards, r.recordsPerSecond, r.p50, r.p99, r.max, scenarios[i]->targetP99Ms,
        r.rssFirstQuarter, r.rssLastQuarter, r.rssEnd, r.rssPeak);
  }
  return failed ? 1 : 0;  // a missed target is a measurement, not a failure
}
