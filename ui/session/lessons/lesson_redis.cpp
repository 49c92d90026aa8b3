// SPDX-License-Identifier: MIT
#include "lessons/lesson_redis.hpp"

#include <QStandardPaths>
#include <QTcpServer>

using namespace Qt::StringLiterals;

LessonRedis::LessonRedis(QObject* parent)
    : QObject(parent), m_dir(QDir::tempPath() + u"/memlog-lesson-redis-XXXXXX"_s) {
  m_process.setProcessChannelMode(QProcess::MergedChannels);
  m_process.setStandardOutputFile(QProcess::nullDevice());
}

LessonRedis::~LessonRedis() { stop(); }

bool LessonRedis::start(QString* error) {
  if (isRunning()) return true;
  const QString program = QStandardPaths::findExecutable(u"redis-server"_s);
  if (program.isEmpty()) {
    *error = u"redis-server is not installed (Debian: apt install redis-server)"_s;
    return false;
  }
  if (!m_dir.isValid()) {
    *error = u"no temporary directory for Redis's data: "_s + m_dir.errorString();
    return false;
  }
  if (m_port == 0) {  // a free port, kept for the restarts: the mirror reconnects to it
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
      *error = u"no free port for Redis: "_s + probe.errorString();
      return false;
    }
    m_port = probe.serverPort();
  }
  m_process.start(program, {u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s, u"--dir"_s, m_dir.path(),
                            u"--appendonly"_s, u"yes"_s, u"--appendfsync"_s, u"always"_s, u"--save"_s, u""_s,
                            u"--daemonize"_s, u"no"_s, u"--loglevel"_s, u"warning"_s});
  if (!m_process.waitForStarted(5000)) {
    *error = u"redis-server did not start: "_s + m_process.errorString();
    return false;
  }
  return true;
}

void LessonRedis::stop() {
  if (!isRunning()) return;
  m_process.terminate();  // SIGTERM: Redis closes its clients and its file, then exits
  if (!m_process.waitForFinished(3000)) {
    m_process.kill();
    m_process.waitForFinished(1000);
  }
}

QString LessonRedis::target(const QString& stream) const { return u"redis:127.0.0.1:%1/%2"_s.arg(m_port).arg(stream); }
