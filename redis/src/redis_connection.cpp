// SPDX-License-Identifier: MIT
#include "redis_connection.hpp"

#include <sys/time.h>

#include <memlog/source/feed.hpp>

namespace memlog::redis::detail {

namespace {
timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{.tv_sec = static_cast<time_t>(ms.count() / 1000),
                 .tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}
}  // namespace

Connection::Connection(const std::string& host, int port, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds reply_timeout)
    : address_((host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port)) {
  context_ = redisConnectWithTimeout(host.c_str(), port, to_timeval(timeout));
  if (context_ == nullptr) throw feed::FeedError("cannot connect to " + address_ + ": out of memory");
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
  std::string why = context_ && context_->errstr[0] ? context_->errstr : "connection lost";
  if (context_ && context_->err == REDIS_ERR_EOF) why = "the server closed the connection";
  throw feed::FeedError(std::string(doing) + " " + address_ + ": " + why);
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
}

Reply Connection::reply() {
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) fail("lost the connection to");
  return Reply(static_cast<redisReply*>(raw));
}

}  // namespace memlog::redis::detail
