// SPDX-License-Identifier: MIT
// Line feeds: standard input (through a pipe) and a followed file — lines in order, long lines
// skipped with a message, truncation, rotation, a missing file waited for, the log swapped
// under a running feed without losing a line, prompt stop.
#include <QTemporaryDir>
#include <QTest>

#include <memlog/source/line_feeds.hpp>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "support/log_text.hpp"

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using memlog::WorkerState;
using memlog::feed::DescriptorFeed;
using memlog::feed::FileFeed;
using memlog::feed::LineSplitter;

namespace {
std::shared_ptr<memlog::Log> make_log(std::size_t max = 1 << 20) {
  return *memlog::Log::create({.start_offset = 0, .segment_size = 100000, .max_record_bytes = max});
}

void append(const QString& path, const std::string& text) {
  std::ofstream out(path.toStdString(), std::ios::app | std::ios::binary);
  out << text;
}

// A pipe whose write end the test writes lines to; the feed reads the other end.
struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { QVERIFY(::pipe(fds) == 0); }
  ~Pipe() {
    closeWrite();
    if (fds[0] >= 0) ::close(fds[0]);
  }
  void send(std::string_view text) const {
    QCOMPARE(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  // Bytes written that the reading end has not read yet.
  int unread() const {
    int bytes = -1;
    return ::ioctl(fds[0], FIONREAD, &bytes) == 0 ? bytes : -1;
  }
  void closeWrite() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
};
}  // namespace

class TestLineFeeds : public QObject {
  Q_OBJECT

 private slots:
  void splitter_data() {
    QTest::addColumn<QStringList>("chunks");
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<int>("oversize");
    QTest::newRow("one chunk") << QStringList{u"a\nbb\nccc\n"_s} << QStringList{u"a"_s, u"bb"_s, u"ccc"_s} << 0;
    QTest::newRow("split lines") << QStringList{u"ab"_s, u"c\nd"_s, u"e\n"_s} << QStringList{u"abc"_s, u"de"_s} << 0;
    QTest::newRow("crlf") << QStringList{u"a\r\nb\r"_s, u"\n"_s} << QStringList{u"a"_s, u"b"_s} << 0;
    QTest::newRow("empty lines skipped") << QStringList{u"\n\na\n\r\n"_s} << QStringList{u"a"_s} << 0;
    QTest::newRow("long line in one chunk")
        << QStringList{u"ok\n0123456789ABC\nok2\n"_s} << QStringList{u"ok"_s, u"ok2"_s} << 1;
    QTest::newRow("long line across chunks") << QStringList{u"ok\n01234"_s, u"56789"_s, u"ABCDEF"_s, u"GH\nnext\n"_s}
                                             << QStringList{u"ok"_s, u"next"_s} << 1;
    QTest::newRow("exactly the limit") << QStringList{u"0123456789\n"_s} << QStringList{u"0123456789"_s} << 0;
    QTest::newRow("limit plus cr") << QStringList{u"0123456789\r\n"_s} << QStringList{u"0123456789"_s} << 0;
    QTest::newRow("no final newline") << QStringList{u"a\nlast"_s} << QStringList{u"a"_s, u"last"_s} << 0;
  }
  void splitter() {
    QFETCH(QStringList, chunks);
    QFETCH(QStringList, lines);
    QFETCH(int, oversize);
    QStringList got;
    int dropped = 0;
    LineSplitter splitter(
        [&](std::string_view line) {
          got << QString::fromUtf8(line.data(), static_cast<qsizetype>(line.size()));
          return true;
        },
        [&](std::uint64_t, std::size_t bytes) {
          QVERIFY(bytes > 10);
          ++dropped;
        });
    for (const QString& chunk : chunks) QVERIFY(splitter.feed(chunk.toStdString(), 10));
    QVERIFY(splitter.flush(10));
    QCOMPARE(got, lines);
    QCOMPARE(dropped, oversize);
  }

  void splitterStopsWhenTold() {
    int seen = 0;
    LineSplitter splitter([&](std::string_view) { return ++seen < 2; }, [](std::uint64_t, std::size_t) {});
    QVERIFY(!splitter.feed("a\nb\nc\n", 100));
    QCOMPARE(seen, 2);
  }

  void standardInputThroughAPipe() {
    auto log = make_log();
    Pipe pipe;
    DescriptorFeed feed("stdin", pipe.fds[0], log);
    feed.start();
    pipe.send("first\nsecond\n");
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), (QStringList{u"first"_s, u"second"_s}), 10000);
    QCOMPARE(feed.status().state, WorkerState::running);
    pipe.send("third without newline");
    pipe.closeWrite();
    QTRY_COMPARE_WITH_TIMEOUT(feed.status().state, WorkerState::finished, 10000);
    QCOMPARE(logText(*log), (QStringList{u"first"_s, u"second"_s, u"third without newline"_s}));
    const auto status = feed.status();
    QCOMPARE(status.records, 3u);
    QCOMPARE(status.failures, 0u);
    QVERIFY2(QString::fromStdString(status.position).contains(u"end of input"_s), status.position.c_str());
  }

  void longLineSkippedWithAMessage() {
    auto log = make_log(16);
    Pipe pipe;
    DescriptorFeed feed("stdin", pipe.fds[0], log);
    feed.start();
    pipe.send("short\n" + std::string(100, 'x') + "\nafter\n");
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), (QStringList{u"short"_s, u"after"_s}), 10000);
    const auto status = feed.status();
    QCOMPARE(status.problems, 1u);
    const QString problem = QString::fromStdString(status.last_problem);
    QVERIFY2(problem.contains(u"line 2 (100 bytes)"_s) && problem.contains(u"skipped"_s), qPrintable(problem));
  }

  void stopIsPromptWhileInputIsQuiet() {
    auto log = make_log();
    Pipe pipe;
    DescriptorFeed feed("stdin", pipe.fds[0], log);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(feed.status().state, WorkerState::running, 10000);
    const auto before = std::chrono::steady_clock::now();
    feed.stop();
    QVERIFY(std::chrono::steady_clock::now() - before < 1s);
    QCOMPARE(feed.status().state, WorkerState::stopped);
  }

  void logSwappedUnderARunningFeedLosesNothing() {
    auto first = make_log();
    auto second = make_log();
    Pipe pipe;
    DescriptorFeed feed("stdin", pipe.fds[0], first);
    feed.start();
    pipe.send("a\nb\n");
    QTRY_COMPARE_WITH_TIMEOUT(first->stats().next_offset, 2, 10000);
    feed.attach(std::shared_ptr<memlog::Log>());  // as during a log replacement: writes wait
    pipe.send("c\nd\n");
    QTRY_COMPARE_WITH_TIMEOUT(pipe.unread(), 0, 10000);  // the feed has read them: they wait for a log
    QCOMPARE(first->stats().next_offset, 2);
    feed.attach(second);
    QTRY_COMPARE_WITH_TIMEOUT(logText(*second), (QStringList{u"c"_s, u"d"_s}), 10000);
    QCOMPARE(logText(*first), (QStringList{u"a"_s, u"b"_s}));  // nothing went to the detached log
  }

  void fileIsReadThenFollowed() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"app.log"_s);
    append(path, "one\ntwo\n");
    auto log = make_log();
    FileFeed feed(path.toStdString(), log, 20ms);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), (QStringList{u"one"_s, u"two"_s}), 10000);
    append(path, "thr");  // a line being written: not a record until its newline
    QTRY_VERIFY_WITH_TIMEOUT(QString::fromStdString(feed.status().position).startsWith(u"byte 11,"_s), 10000);
    QCOMPARE(log->stats().next_offset, 2);  // read, and held back
    append(path, "ee\nfour\n");
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), (QStringList{u"one"_s, u"two"_s, u"three"_s, u"four"_s}), 10000);
    QVERIFY2(QString::fromStdString(feed.status().position).startsWith(u"byte 19"_s), feed.status().position.c_str());
  }

  void truncatedFileIsReadAgainFromItsStart() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"app.log"_s);
    append(path, "old line one\nold line two\n");
    auto log = make_log();
    FileFeed feed(path.toStdString(), log, 20ms);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 2, 10000);
    const auto problems = feed.status().problems;
    QVERIFY(::truncate(path.toLocal8Bit().constData(), 0) == 0);
    QTRY_COMPARE_WITH_TIMEOUT(feed.status().problems, problems + 1, 10000);  // noticed before the next line
    append(path, "new\n");
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), (QStringList{u"old line one"_s, u"old line two"_s, u"new"_s}), 10000);
    QVERIFY2(QString::fromStdString(feed.status().last_problem).contains(u"truncated"_s),
             feed.status().last_problem.c_str());
  }

  void rotatedFileIsFinishedThenTheNewOneRead() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"app.log"_s);
    append(path, "a\n");
    auto log = make_log();
    FileFeed feed(path.toStdString(), log, 20ms);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 1, 10000);
    // logrotate's move-and-create: the old file gets a last line after its rename.
    const QString old = dir.filePath(u"app.log.1"_s);
    QVERIFY(std::rename(path.toLocal8Bit().constData(), old.toLocal8Bit().constData()) == 0);
    append(old, "b (last of the old file)\n");
    append(path, "c (first of the new file)\n");
    QTRY_COMPARE_WITH_TIMEOUT(
        logText(*log), (QStringList{u"a"_s, u"b (last of the old file)"_s, u"c (first of the new file)"_s}), 10000);
    QVERIFY2(QString::fromStdString(feed.status().last_problem).contains(u"rotated"_s),
             feed.status().last_problem.c_str());
  }

  void missingFileIsReportedAndWaitedFor() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"later.log"_s);
    auto log = make_log();
    FileFeed feed(path.toStdString(), log, 20ms);
    feed.set_backoff(20ms, 100ms);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().failures >= 2, 10000);
    const auto status = feed.status();
    QCOMPARE(status.state == WorkerState::retrying || status.state == WorkerState::connecting, true);
    const QString problem = QString::fromStdString(status.last_problem);
    QVERIFY2(
        problem.contains(u"cannot open"_s) && problem.contains(u"No such file"_s) && problem.contains(u"retrying in"_s),
        qPrintable(problem));
    append(path, "finally\n");
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), QStringList{u"finally"_s}, 10000);
    QCOMPARE(feed.status().state, WorkerState::running);
  }

  void directoryIsAClearError() {
    QTemporaryDir dir;
    auto log = make_log();
    FileFeed feed(dir.path().toStdString(), log, 20ms);
    feed.set_backoff(50ms, 50ms);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().failures >= 1, 10000);
    QVERIFY2(QString::fromStdString(feed.status().last_problem).contains(u"is a directory"_s),
             feed.status().last_problem.c_str());
    QCOMPARE(log->stats().next_offset, 0);
  }
};

QTEST_GUILESS_MAIN(TestLineFeeds)
#include "tst_line_feeds.moc"
