// SPDX-License-Identifier: MIT
// RetryingWorker: a thread that runs *sessions* against something outside the process (a file,
// a pipe, an HTTP endpoint, a Redis server) and survives it not being there, going away or
// answering nonsense — what every real feed and the Redis mirror need, written once.
//
// A session (the callable given to the constructor) opens its input, works until the input
// ends or the worker is stopped, and returns finished (the worker ends) or reopen (a new
// session starts at once); it throws — SessionError or any std::exception — when it fails.
// A failed session is counted, its message reported with the wait ("…; retrying in 0.25 s"),
// and the next one starts after an exponential back-off: 250 ms doubling to 30 s by default,
// back to the start once a session says the connection works (reset_backoff()).
//
// The health (WorkerHealth) says what the worker is doing and what went wrong last; `problems`
// grows by one per new message, so a poller can report each message once.
//
// Threading: every public member may be called from any thread, except that stop() must not be
// called by the session itself (it joins the thread the session runs on). The session runs on
// the worker's thread with no lock of the worker held; mark_running(), reset_backoff(),
// report() and sleep_for() are meant for it. The worker's mutex is a leaf: nothing else is
// locked while it is held, so an owner may call report() or health() under its own lock.
//
// Stop and wake: stop() asks the thread's std::stop_token to stop, then joins. Every wait of
// the worker — the back-off between sessions and a session's sleep_for() — is a
// condition_variable_any wait that takes that token: the wait registers a stop callback that
// notifies the condition variable under its internal mutex, and checks the stop request under
// that same mutex before it blocks, so a stop requested just before the wait blocks is seen,
// not lost. A session's other waits take the token too (Log streams, a write waiting for a
// log) or are bounded by a short timeout (poll, XREAD BLOCK, an HTTP request).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>

namespace memlog {

enum class WorkerState {
  stopped,     // not started, or stopped
  connecting,  // a session is opening its input
  running,     // a session has its input and is working
  retrying,    // the last session failed; waiting to try again (WorkerHealth::retry_in)
  finished,    // the input ended for good (a session returned SessionEnd::finished)
};
std::string_view to_string(WorkerState state) noexcept;

// What a worker is doing and what went wrong last. Feeds and the mirror extend it with their
// own counters (FeedStatus, MirrorStatus).
struct WorkerHealth {
  WorkerState state = WorkerState::stopped;
  std::uint64_t failures = 0;             // sessions that failed (could not connect, broke, bad data)
  std::uint64_t problems = 0;             // grows by one per new message in last_problem
  std::string last_problem;               // the newest problem, saying what the worker does about it
  std::chrono::milliseconds retry_in{0};  // while retrying: the back-off being waited out
};

// "; retrying in 0.25 s": what a failure message says about the back-off.
std::string retrying_in(std::chrono::milliseconds wait);

// Thrown by a session that failed: the message is reported and the session retried.
struct SessionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class SessionEnd {
  finished,  // the input has ended for good: the worker stops (state finished)
  reopen,    // open the input again now (a rotated file): not a failure
};

class RetryingWorker {
 public:
  // One session: returns when its input ends or `stop` is requested (the return value is then
  // ignored); throws when it fails.
  using Session = std::function<SessionEnd(std::stop_token stop)>;

  // `name` prefixes every problem reported ("file:app.log: cannot open …"); "" adds nothing.
  RetryingWorker(std::string name, Session session);
  RetryingWorker(const RetryingWorker&) = delete;
  RetryingWorker& operator=(const RetryingWorker&) = delete;
  ~RetryingWorker();  // stops

  void start();  // starts the thread (back-off at its initial value); no-op while it runs
  void stop();   // stops and joins promptly; state stopped
  WorkerHealth health() const;
  // Back-off between failed sessions; at least 1 ms, `max` at least `initial`.
  void set_backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max);

  // For the session:
  void mark_running();               // it has its input: state running, retry_in cleared
  void reset_backoff();              // it proved the input works: the next failure waits the initial back-off
  void report(std::string problem);  // a problem that does not end the session
  // Sleeps up to `duration`; false at once when stop is requested.
  bool sleep_for(std::chrono::milliseconds duration, const std::stop_token& stop);

 private:
  void run(const std::stop_token& stop);
  void set_state(WorkerState state);
  // The session failed with `why`: counted, reported, state retrying. The back-off to wait.
  std::chrono::milliseconds failed(std::string_view why);

  const std::string name_;
  const Session session_;

  mutable std::mutex mutex_;  // guards the health and the back-off; a leaf lock
  WorkerHealth health_;
  std::chrono::milliseconds backoff_initial_{250}, backoff_max_{30'000}, backoff_{250};
  std::condition_variable_any sleep_;  // waited on with the stop token only: nothing notifies it

  std::mutex thread_mutex_;  // start() and stop() from several threads: one thread at a time
  std::jthread thread_;
};

}  // namespace memlog
