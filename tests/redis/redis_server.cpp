// SPDX-License-Identifier: MIT
// RedisServer and RedisClient: a real redis-server per test, and a client to look at it.
#include "redis_server.hpp"

#include <fcntl.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX's kill(), which <csignal> need not declare
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>

extern char** environ;

using namespace Qt::StringLiterals;

RedisServer::RedisServer() {
  QTcpServer probe;
  probe.listen(QHostAddress::LocalHost, 0);
  m_port = probe.serverPort();
}

RedisServer::~RedisServer() {
  if (m_pid <= 0) return;
  ::kill(m_pid, SIGKILL);
  ::waitpid(m_pid, nullptr, 0);
}

bool RedisServer::installed() { return !QStandardPaths::findExecutable(u"redis-server"_s).isEmpty(); }

bool RedisServer::start() {
  const std::string program = QStandardPaths::findExecutable(u"redis-server"_s).toStdString();
  const std::string port = std::to_string(m_port);
  const char* argv[] = {program.c_str(), "--port", port.c_str(),  "--bind", "127.0.0.1",  "--save",  "",
                        "--appendonly",  "no",     "--daemonize", "no",     "--loglevel", "warning", nullptr};
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const int spawned = posix_spawn(&m_pid, program.c_str(), &files, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&files);
  if (spawned != 0) {
    m_pid = -1;
    return false;
  }
  const QDeadlineTimer deadline(10000);
  while (!deadline.hasExpired()) {
    // A server that exited (the port taken meanwhile) must not be mistaken for one answering.
    if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
      m_pid = -1;
      return false;
    }
    RedisClient client(m_port);
    if (client.ok()) {
      const ReplyPtr pong = client.command({"PING"});
      if (pong && pong->type == REDIS_REPLY_STATUS) return true;
    }
    QThread::msleep(20);
  }
  return false;
}

void RedisServer::stop() {
  if (m_pid <= 0) return;
  ::kill(m_pid, SIGTERM);
  const QDeadlineTimer deadline(5000);
  while (::waitpid(m_pid, nullptr, WNOHANG) == 0) {
    if (deadline.hasExpired()) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
      break;
    }
    QThread::msleep(5);
  }
  m_pid = -1;
}

bool RedisServer::restart() {
  stop();
  return start();
}

std::string RedisServer::target(const std::string& stream) const {
  return "127.0.0.1:" + std::to_string(m_port) + "/" + stream;
}

RedisClient::RedisClient(int port) {
  const timeval timeout{.tv_sec = 2, .tv_usec = 0};
  m_context = redisConnectWithTimeout("127.0.0.1", port, timeout);
  if (m_context && !m_context->err) redisSetTimeout(m_context, timeval{.tv_sec = 5, .tv_usec = 0});
}

RedisClient::~RedisClient() {
  if (m_context) redisFree(m_context);
}

ReplyPtr RedisClient::command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  return ReplyPtr(static_cast<redisReply*>(
      redisCommandArgv(m_context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
}

std::string RedisClient::Entry::field(const std::string& name) const {
  for (const auto& [key, value] : fields)
    if (key == name) return value;
  return {};
}

std::vector<RedisClient::Entry> RedisClient::range(const std::string& stream) {
  std::vector<Entry> out;
  const ReplyPtr reply = command({"XRANGE", stream, "-", "+"});
  if (!reply || reply->type != REDIS_REPLY_ARRAY) return out;
  for (std::size_t i = 0; i < reply->elements; ++i) {
    const redisReply* e = reply->element[i];
    Entry entry;
    entry.id.assign(e->element[0]->str, e->element[0]->len);
    const redisReply* f = e->element[1];
    for (std::size_t k = 0; k + 1 < f->elements; k += 2)
      entry.fields.emplace_back(std::string(f->element[k]->str, f->element[k]->len),
                                std::string(f->element[k + 1]->str, f->element[k + 1]->len));
    out.push_back(std::move(entry));
  }
  return out;
}
