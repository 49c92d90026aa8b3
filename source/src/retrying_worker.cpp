// SPDX-License-Identifier: MIT
// RetryingWorker: sessions on a thread of their own, retried with back-off (see retrying_worker.hpp).
#include <memlog/source/retrying_worker.hpp>

#include <algorithm>
#include <cassert>
#include <cstdio>

namespace memlog {

std::string_view to_string(WorkerState state) noexcept {
  switch (state) {
    case WorkerState::stopped:
      return "stopped";
    case WorkerState::connecting:
      return "connecting";
    case WorkerState::running:
      return "running";
    case WorkerState::retrying:
      return "retrying";
    case WorkerState::finished:
      return "finished";
  }
  return "unknown";
}

std::string retrying_in(std::chrono::milliseconds wait) {
  const double seconds = std::chrono::duration<double>(wait).count();
  char text[64];
  std::snprintf(text, sizeof text, "; retrying in %.*f s", seconds < 10 ? 2 : 0, seconds);
  return text;
}

RetryingWorker::RetryingWorker(std::string name, Session session)
    : name_(std::move(name)), session_(std::move(session)) {
  assert(session_ && "RetryingWorker: a worker needs a session to run");
}

RetryingWorker::~RetryingWorker() { stop(); }

void RetryingWorker::start() {
  std::lock_guard lock(thread_mutex_);
  if (thread_.joinable()) return;
  {
    std::lock_guard health(mutex_);
    backoff_ = backoff_initial_;
  }
  thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

void RetryingWorker::stop() {
  std::jthread thread;
  {
    std::lock_guard lock(thread_mutex_);
    thread = std::move(thread_);
  }
  if (!thread.joinable()) return;
  assert(thread.get_id() != std::this_thread::get_id() && "RetryingWorker::stop: called by its own session");
  thread.request_stop();  // wakes sleep_for, the back-off and every wait on the session's token
  thread.join();
  set_state(WorkerState::stopped);
}

WorkerHealth RetryingWorker::health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

void RetryingWorker::set_backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max) {
  std::lock_guard lock(mutex_);
  backoff_initial_ = std::max(initial, std::chrono::milliseconds(1));
  backoff_max_ = std::max(max, backoff_initial_);
  backoff_ = backoff_initial_;
}

void RetryingWorker::mark_running() {
  std::lock_guard lock(mutex_);
  health_.state = WorkerState::running;
  health_.retry_in = {};
}

void RetryingWorker::reset_backoff() {
  std::lock_guard lock(mutex_);
  backoff_ = backoff_initial_;
}

void RetryingWorker::report(std::string problem) {
  std::lock_guard lock(mutex_);
  ++health_.problems;
  health_.last_problem = name_.empty() ? std::move(problem) : name_ + ": " + std::move(problem);
}

bool RetryingWorker::sleep_for(std::chrono::milliseconds duration, const std::stop_token& stop) {
  std::unique_lock lock(mutex_);
  // Only a stop ends it early (see the header: the stop request is checked under the condition
  // variable's own mutex before it blocks, so none is lost).
  sleep_.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

void RetryingWorker::run(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    set_state(WorkerState::connecting);
    std::string failure;
    try {
      const SessionEnd end = session_(stop);
      if (stop.stop_requested()) break;
      if (end == SessionEnd::finished) {
        set_state(WorkerState::finished);
        return;
      }
      continue;  // reopen at once
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (stop.stop_requested()) break;
    if (!sleep_for(failed(failure), stop)) break;
  }
}

void RetryingWorker::set_state(WorkerState state) {
  std::lock_guard lock(mutex_);
  health_.state = state;
  health_.retry_in = {};
}

std::chrono::milliseconds RetryingWorker::failed(std::string_view why) {
  // One update under the lock: a reader never sees the failure counted without its message,
  // or the state retrying with another wait than the message says.
  std::lock_guard lock(mutex_);
  const std::chrono::milliseconds wait = backoff_;
  backoff_ = std::min(backoff_ * 2, backoff_max_);
  ++health_.failures;
  ++health_.problems;
  health_.last_problem = (name_.empty() ? std::string() : name_ + ": ") + std::string(why) + retrying_in(wait);
  health_.state = WorkerState::retrying;
  health_.retry_in = wait;
  return wait;
}

}  // namespace memlog
