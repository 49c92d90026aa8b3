// SPDX-License-Identifier: MIT
#include "redis_server.hpp"

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>

using namespace Qt::StringLiterals;

RedisServer::RedisServer() {
  QTcpServer probe;
  probe.listen(QHostAddress::LocalHost, 0);
  m_port = probe.serverPort();
}

RedisServer::~RedisServer() {
  if (m_process.state() != QProcess::NotRunning) {
    m_process.kill();
    m_process.waitForFinished(5000);
  }
}

bool RedisServer::installed() { return !QStandardPaths::findExecutable(u"redis-server"_s).isEmpty(); }

bool RedisServer::start() {
  m_process.setProgram(QStandardPaths::findExecutable(u"redis-server"_s));
  m_process.setArguments({u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s, u"--save"_s, u""_s,
                          u"--appendonly"_s, u"no"_s, u"--daemonize"_s, u"no"_s, u"--loglevel"_s, u"warning"_s});
  m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  m_process.setStandardOutputFile(QProcess::nullDevice());
  m_process.start();
  if (!m_process.waitForStarted(5000)) return false;
  const QDeadlineTimer deadline(10000);
  while (!deadline.hasExpired()) {
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
  m_process.terminate();
  if (!m_process.waitForFinished(5000)) {
    m_process.kill();
    m_process.waitForFinished(5000);
  }
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
