// SPDX-License-Identifier: MIT
#include "lessons/lesson_redis.hpp"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>

#include <csignal>

#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

LessonRedis::LessonRedis(QObject* parent)
    : QObject(parent), m_dir(QDir::tempPath() + u"/memlog-lesson-redis-XXXXXX"_s) {
  // What Redis says before its log file is open (a refused option) comes on its output: kept,
  // for the reason it did not start. Once running it writes only to its log file.
  m_process.setProcessChannelMode(QProcess::MergedChannels);
  // Redis goes with the app however it ends: the destructor stops it, but a SIGKILL, a crash or
  // a second SIGTERM (main's handler resets after the first) skip destructors. Runs in the child
  // between fork and exec: only async-signal-safe calls.
  m_process.setChildProcessModifier([parent = ::getpid()] {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);  // the app died before the line above
  });
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
  const QString logFile = m_dir.filePath(u"redis.log"_s);
  const qint64 logFrom = QFileInfo(logFile).size();  // this start's lines come after the last start's
  m_process.start(program, {u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s, u"--dir"_s, m_dir.path(),
                            u"--appendonly"_s, u"yes"_s, u"--appendfsync"_s, u"always"_s, u"--save"_s, u""_s,
                            u"--daemonize"_s, u"no"_s, u"--logfile"_s, logFile, u"--loglevel"_s, u"notice"_s});
  if (!m_process.waitForStarted(5000)) {
    *error = u"redis-server did not start: "_s + m_process.errorString();
    return false;
  }
  // Started is not listening: on a restart the port may have been taken meanwhile (Redis then
  // exits at once), and a mirror started now would only meet "connection refused". Its log says
  // which: ready, or why it stopped.
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < 5000) {
    QFile log(logFile);
    if (log.open(QIODevice::ReadOnly) && log.seek(logFrom) && log.readAll().contains("Ready to accept connections"))
      return true;
    if (m_process.waitForFinished(20)) {
      *error = u"redis-server on port %1 stopped at once: %2"_s.arg(m_port).arg(lastWords(logFile, logFrom));
      return false;
    }
  }
  stop();
  *error = u"redis-server on port %1 was not ready after 5 s: %2"_s.arg(m_port).arg(lastWords(logFile, logFrom));
  return false;
}

QString LessonRedis::lastWords(const QString& logFile, qint64 from) {
  // "1234:M 27 Nov 2026 23:57:36.655 # Warning: Could not create server TCP listening socket …":
  // the text after the level mark, of the last lines (what Redis printed before its log, too).
  QFile log(logFile);
  QByteArray said = m_process.readAll();
  if (log.open(QIODevice::ReadOnly) && log.seek(from)) said += log.readAll();
  QStringList lines;
  for (const QByteArray& line : said.trimmed().split('\n')) {
    const QString text = QString::fromUtf8(line).trimmed();
    static const QRegularExpression kPrefix(u"^\\d+:[A-Z] .*? [.*#-] "_s);
    if (!text.isEmpty()) lines << QString(text).remove(kPrefix);
  }
  return lines.isEmpty() ? u"it said nothing"_s : lines.mid(std::max<qsizetype>(0, lines.size() - 2)).join(u"; "_s);
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
