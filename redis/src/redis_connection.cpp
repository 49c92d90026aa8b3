// SPDX-License-Identifier: MIT
// Connection: hiredis with RAII, timeouts, pipelining, and failures as messages naming the server.
#include "redis_connection.hpp"

#include <pthread.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX's sigpending, pthread_sigmask: not in <csignal>
#include <sys/time.h>

#include <cerrno>
#include <cstdio>

#include <memlog/source/retrying_worker.hpp>

namespace memlog::redis::detail {

namespace {
timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{.tv_sec = static_cast<time_t>(ms.count() / 1000),
                 .tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

// hiredis writes with write(2): on a connection the server has reset (a Redis that was
// stopped), that raises SIGPIPE, whose default action kills the whole process. The signal is
// blocked in this thread while hiredis writes, and one raised meanwhile is taken off the
// pending set before unblocking: the write then fails with EPIPE, which hiredis reports as an
// error like any other. (Process-wide SIG_IGN would be simpler but is not a library's call.)
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    already_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &previous_);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;
  ~SigpipeBlocked() {
    if (!already_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec now{};
        while (sigtimedwait(&sigpipe_, nullptr, &now) < 0 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

 private:
  sigset_t sigpipe_{}, previous_{};
  bool already_pending_ = false;
};
}  // namespace

Connection::Connection(const std::string& host, int port, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds reply_timeout)
    : reply_timeout_(reply_timeout),
      address_((host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port)) {
  context_ = redisConnectWithTimeout(host.c_str(), port, to_timeval(timeout));
  if (context_ == nullptr) throw SessionError("cannot connect to " + address_ + ": out of memory");
  // A constructor that throws runs no destructor: the context is freed here.
  try {
    if (context_->err) fail("cannot connect to");
    if (redisSetTimeout(context_, to_timeval(reply_timeout)) != REDIS_OK) fail("cannot set a timeout on");
  } catch (...) {
    redisFree(context_);
    context_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  if (context_) redisFree(context_);
}

void Connection::fail(std::string_view doing) {
  const int error = errno;  // of the failed read or write, for the timeout case below
  std::string why = context_ && context_->errstr[0] ? context_->errstr : "connection lost";
  if (context_ && context_->err == REDIS_ERR_EOF) why = "the server closed the connection";
  if (context_ && context_->err == REDIS_ERR_IO && (error == EAGAIN || error == EWOULDBLOCK)) {
    // A socket timeout: hiredis says only "Resource temporarily unavailable".
    char waited[64];
    std::snprintf(waited, sizeof waited, "no reply within %.1f s",
                  std::chrono::duration<double>(reply_timeout_).count());
    why = waited;
  }
  throw SessionError(std::string(doing) + " " + address_ + ": " + why);
}

Reply Connection::command(const std::vector<std::string_view>& args) {
  append(args);
  return reply();
}

void Connection::append(const std::vector<std::string_view>& args) {
  argv_.clear();
  argvlen_.clear();
  for (std::string_view arg : args) {
    argv_.push_back(arg.data());
    argvlen_.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(argv_.size()), argv_.data(), argvlen_.data()) != REDIS_OK)
    fail("cannot send to");
  unsent_ = true;
}

Reply Connection::reply() {
  void* raw = nullptr;
  if (unsent_) {
    // hiredis writes the commands queued so far here, before waiting for the first reply.
    // (Only then: three system calls per reply would slow a pipelined batch down noticeably.)
    const SigpipeBlocked no_sigpipe;
    unsent_ = false;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) fail("lost the connection to");
  } else if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
    fail("lost the connection to");
  }
  return Reply(static_cast<redisReply*>(raw));
}

}  // namespace memlog::redis::detail
