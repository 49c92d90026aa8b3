// SPDX-License-Identifier: MIT
// Lessons as data (docs/lessons.md): every built-in and the documentation's example parse; a
// table of broken files, each refused with one message that starts with the file's name, says
// where (the setup, "step 2 (Title)") and what; files at the edge of a rule accepted; loading by
// name or path, and what loading refuses; a condition described in words.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "lesson_samples.hpp"
#include "lessons/lesson.hpp"

using namespace Qt::StringLiterals;
using memlog::sim::ConsumerState;

Q_DECLARE_METATYPE(memlog::sim::ConsumerState)

namespace {

const QStringList kBuiltInNames = {
    u"records-and-offsets"_s,
    u"segments"_s,
    u"slow-consumer"_s,
    u"crash-and-replay"_s,
    u"segment-size"_s,
    u"sharding"_s,
    u"serving"_s,
#if MEMLOG_WITH_REDIS
    u"redis"_s  // it needs the mirror
#endif
};

QByteArray readAll(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return file.readAll();
}

bool writeFile(const QString& path, const QByteArray& data) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

}  // namespace

class TestLesson : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    const QByteArray good = R"({"name": "mine", "title": "Mine", "steps": [{"title": "A", "narration": "n"}]})";
    QVERIFY(writeFile(m_dir.filePath(u"mine.json"_s), good));
    QVERIFY(writeFile(m_dir.filePath(u"broken.json"_s), R"({"name": "mine", "title": "Mine"})"));
    QVERIFY(QDir(m_dir.path()).mkdir(u"folder.json"_s));
    // Padded with spaces to exactly 1 MiB (accepted) and one byte more (refused).
    QVERIFY(writeFile(m_dir.filePath(u"1mib.json"_s), good + QByteArray((1 << 20) - good.size(), ' ')));
    QVERIFY(writeFile(m_dir.filePath(u"too-large.json"_s), good + QByteArray((1 << 20) - good.size() + 1, ' ')));
  }

  // Each built-in on its own, so that a broken one says why.
  void builtIn_data() {
    QTest::addColumn<QString>("name");
    for (const QString& name : kBuiltInNames) QTest::addRow("%s", qPrintable(name)) << name;
  }
  void builtIn() {
    QFETCH(QString, name);
    const QString file = u":/lessons/%1.json"_s.arg(name);
    const QByteArray json = readAll(file);
    QVERIFY2(!json.isEmpty(), qPrintable(file + u" is missing from the resources"_s));
    QString error;
    const auto lesson = parseLesson(json, file, &error);
    QVERIFY2(lesson, qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(lesson->name, name);
    QCOMPARE(lesson->file, file);
    QVERIFY(!lesson->title.isEmpty());
    QVERIFY(!lesson->summary.isEmpty());
    QVERIFY(!lesson->steps.empty());
    for (const LessonStep& step : lesson->steps) QVERIFY2(!step.narration.isEmpty(), qPrintable(step.title));
  }

  void builtInLessonsInOrder() {
    QString error;
    const std::vector<Lesson> lessons = builtInLessons(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(lessons.size(), static_cast<std::size_t>(kBuiltInNames.size()));
    QCOMPARE(lessons.size(), std::size_t{MEMLOG_WITH_REDIS ? 8 : 7});
    QStringList names;
    for (const Lesson& lesson : lessons) names << lesson.name;
    QCOMPARE(names, kBuiltInNames);
  }

  // What the built-ins' setups say arrives in the Lesson (the player and main() rely on it).
  void builtInSetups() {
    const auto sharding = loadLesson(u"sharding"_s, nullptr);
    QVERIFY(sharding);
    QCOMPARE(sharding->sharding.shards, 8);
    QCOMPARE(sharding->log.segment_size, std::size_t{100});
    QCOMPARE(sharding->source.rate, 200.0);
    QVERIFY(sharding->sourceRunning);
    QCOMPARE(sharding->steps[1].wait->key, u"th-003"_s);
    QCOMPARE(sharding->steps[1].wait->shard.value_or(-1), 5);
    const auto records = loadLesson(u"records-and-offsets"_s, nullptr);
    QVERIFY(records);
    QVERIFY(!records->sourceRunning);
    QVERIFY(!records->sharding.sharded());
    QCOMPARE(records->steps[2].timeoutSeconds, 30);
    QCOMPARE(records->steps[3].timeoutSeconds, 60);  // the default
    QCOMPARE(records->steps[1].actions.size(), std::size_t{1});
    QCOMPARE(records->steps[1].actions[0].kind, LessonAction::Kind::step);
  }

  void documentedExample() {
    const QString file = QStringLiteral(MEMLOG_SOURCE_DIR) + u"/docs/examples/bursts.lesson.json"_s;
    const QByteArray json = readAll(file);
    QVERIFY2(!json.isEmpty(), qPrintable(file + u" cannot be read"_s));
    QString error;
    const auto lesson = parseLesson(json, file, &error);
    QVERIFY2(lesson, qPrintable(error));
    QCOMPARE(lesson->name, u"bursts"_s);
    QCOMPARE(lesson->log.segment_size, std::size_t{100});
    QCOMPARE(lesson->source.rate, 20.0);
    QCOMPARE(lesson->steps.size(), std::size_t{4});
    QCOMPARE(lesson->steps[1].actions[0].kind, LessonAction::Kind::source);
    QCOMPARE(lesson->steps[1].actions[0].args.value(u"burst_size"_s).toInt(), 200);
    QCOMPARE(lesson->steps[2].wait->purges.value_or(-1), qint64{4});
  }

  // THE TABLE OF BROKEN FILES (tests/session/lesson_samples.hpp): one message, "FILE: WHERE:
  // WHAT", for the first problem.
  void broken_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("message");
    const auto add = [](const lesson_samples::Broken& row) {
      QTest::addRow("%s", row.what) << QByteArray(row.json) << QString::fromUtf8(row.where)
                                    << QString::fromUtf8(row.message);
    };
    for (const auto& row : lesson_samples::kBroken) add(row);
    for (const auto& row : lesson_samples::kBrokenStage) add(row);
  }
  void broken() {
    QFETCH(QByteArray, json);
    QFETCH(QString, where);
    QFETCH(QString, message);
    const QString file = u"lessons/broken.json"_s;
    QString error;
    const auto lesson = parseLesson(json, file, &error);
    QVERIFY2(!lesson, "a broken lesson was accepted");
    const QString prefix = file + u": "_s + (where.isEmpty() ? QString() : where + u": "_s);
    QVERIFY2(error.startsWith(prefix), qPrintable(u"expected to start with \""_s + prefix + u"\", got: "_s + error));
    QVERIFY2(error.mid(prefix.size()).startsWith(message),
             qPrintable(u"expected \""_s + prefix + message + u"…\", got: "_s + error));
    QVERIFY2(!error.contains(u'\n'), "one message, one line");
  }

  // The line and column of a JSON error: those of the character the parser could not take.
  void notJson_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    for (const auto& row : lesson_samples::kNotJson)
      QTest::addRow("%s", row.what) << QByteArray(row.json) << row.line << row.column;
  }
  void notJson() {
    QFETCH(QByteArray, json);
    QFETCH(int, line);
    QFETCH(int, column);
    QString error;
    QVERIFY(!parseLesson(json, u"x.json"_s, &error));
    const QString expected = u"x.json: not valid JSON at line %1, column %2: "_s.arg(line).arg(column);
    QVERIFY2(error.startsWith(expected), qPrintable(u"expected \""_s + expected + u"…\", got: "_s + error));
  }

  void brokenWithoutErrorOut() {
    QVERIFY(!parseLesson("[]", u"x.json"_s, nullptr));  // no message wanted: no crash
  }

  void good_data() {
    QTest::addColumn<QByteArray>("json");
    for (const auto& row : lesson_samples::kGood) QTest::addRow("%s", row.what) << QByteArray(row.json);
    for (const auto& row : lesson_samples::kGoodStage) QTest::addRow("%s", row.what) << QByteArray(row.json);
  }
  void good() {
    QFETCH(QByteArray, json);
    QString error;
    const auto lesson = parseLesson(json, u"good.json"_s, &error);
    QVERIFY2(lesson, qPrintable(error));
    QVERIFY(error.isEmpty());
  }

  // Every state a condition may name, spelt as docs/lessons.md and the message say.
  void states_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<ConsumerState>("state");
    QTest::addRow("live") << u"live"_s << ConsumerState::live;
    QTest::addRow("lagging") << u"lagging"_s << ConsumerState::lagging;
    QTest::addRow("fell_behind") << u"fell_behind"_s << ConsumerState::fell_behind;
    QTest::addRow("stopped") << u"stopped"_s << ConsumerState::stopped;
  }
  void states() {
    QFETCH(QString, text);
    QFETCH(ConsumerState, state);
    const QByteArray json =
        uR"({"name": "t", "title": "T", "steps": [{"title": "A", "narration": "n",
        "actions": [{"do": "add_consumer", "name": "r"}], "until": {"consumer": "r", "state": "%1"}}]})"_s.arg(text)
            .toUtf8();
    QString error;
    const auto lesson = parseLesson(json, u"states.json"_s, &error);
    QVERIFY2(lesson, qPrintable(error));
    QVERIFY(lesson->steps[0].wait->state);
    QCOMPARE(*lesson->steps[0].wait->state, state);
  }

  void load_data() {
    QTest::addColumn<QString>("nameOrFile");
    QTest::addColumn<QString>("name");     // of the lesson loaded; empty: refused
    QTest::addColumn<QString>("message");  // the start of the refusal
    const QString neither =
        u"' is neither a built-in lesson ("_s + kBuiltInNames.join(u", "_s) + u") nor a lesson file that can be read"_s;
    QTest::addRow("a built-in by name") << u"slow-consumer"_s << u"slow-consumer"_s << QString();
    if (MEMLOG_WITH_REDIS)
      QTest::addRow("redis, with Redis") << u"redis"_s << u"redis"_s << QString();
    else
      QTest::addRow("redis, without Redis")
          << u"redis"_s << QString() << u"the lesson redis needs a build with Redis (MEMLOG_WITH_REDIS=ON)"_s;
    QTest::addRow("a file") << m_dir.filePath(u"mine.json"_s) << u"mine"_s << QString();
    QTest::addRow("a file of exactly 1 MiB") << m_dir.filePath(u"1mib.json"_s) << u"mine"_s << QString();
    QTest::addRow("a broken file") << m_dir.filePath(u"broken.json"_s) << QString()
                                   << m_dir.filePath(u"broken.json"_s) + u": 'steps' must be a list"_s;
    QTest::addRow("neither") << u"slow"_s << QString() << u"'slow"_s + neither;
    QTest::addRow("a missing file") << m_dir.filePath(u"none.json"_s) << QString()
                                    << u"'"_s + m_dir.filePath(u"none.json"_s) + neither;
    QTest::addRow("a directory") << m_dir.filePath(u"folder.json"_s) << QString()
                                 << u"'"_s + m_dir.filePath(u"folder.json"_s) + neither;
    QTest::addRow("over 1 MiB") << m_dir.filePath(u"too-large.json"_s) << QString()
                                << m_dir.filePath(u"too-large.json"_s) + u": a lesson file is at most 1 MiB"_s;
  }
  void load() {
    QFETCH(QString, nameOrFile);
    QFETCH(QString, name);
    QFETCH(QString, message);
    QString error;
    const auto lesson = loadLesson(nameOrFile, &error);
    if (name.isEmpty()) {
      QVERIFY2(!lesson, "refused");
      QVERIFY2(error.startsWith(message), qPrintable(u"expected \""_s + message + u"…\", got: "_s + error));
      return;
    }
    QVERIFY2(lesson, qPrintable(error));
    QCOMPARE(lesson->name, name);
    QCOMPARE(lesson->file, nameOrFile == name ? u":/lessons/%1.json"_s.arg(name) : nameOrFile);
  }

  void describe_data() {
    QTest::addColumn<QString>("until");  // a condition as a lesson writes it, in a sharded lesson
    QTest::addColumn<QString>("text");
    QTest::addRow("records") << uR"({"records": 5})"_s << u"5 records written"_s;
    QTest::addRow("seals and purges") << uR"({"seals": 2, "purges": 1})"_s << u"2 seals, 1 purge"_s;
    QTest::addRow("a state") << uR"({"consumer": "slow", "state": "lagging"})"_s << u"consumer slow lagging"_s;
    QTest::addRow("a lag") << uR"({"consumer": "slow", "lag_at_least": 50})"_s
                           << u"consumer slow with a lag of 50 or more"_s;
    QTest::addRow("caught up") << uR"({"consumer": "slow", "caught_up_within": 5})"_s
                               << u"consumer slow within 5 records of the newest"_s;
    QTest::addRow("records and a state") << uR"({"records": 50, "consumer": "slow", "state": "live"})"_s
                                         << u"50 records written, consumer slow live"_s;
    QTest::addRow("a key") << uR"({"key": "th-003", "shard": 5})"_s << u"a record with key th-003 in shard 5"_s;
    QTest::addRow("a skew") << uR"({"skew_at_least": 3})"_s << u"skew at least 3×"_s;
  }
  void describe() {
    QFETCH(QString, until);
    QFETCH(QString, text);
    const QByteArray json =
        uR"({"name": "t", "title": "T", "setup": {"shards": 8}, "steps": [{"title": "A",
        "narration": "n", "actions": [{"do": "add_consumer", "name": "slow"}], "until": %1}]})"_s.arg(until)
            .toUtf8();
    QString error;
    const auto lesson = parseLesson(json, u"describe.json"_s, &error);
    QVERIFY2(lesson, qPrintable(error));
    QCOMPARE(lesson->steps[0].wait->describe(), text);
  }

  // Conditions the parser cannot make (a replay, a state named in the core's words): the words
  // for them, from the values.
  void describeValues() {
    LessonCondition replayed;
    replayed.replayed = true;
    QCOMPARE(replayed.describe(), u"the log replayed"_s);
    LessonCondition fell;
    fell.consumer = u"slow"_s;
    fell.state = ConsumerState::fell_behind;
    QCOMPARE(fell.describe(), u"consumer slow fell behind"_s);
    QVERIFY(LessonCondition{}.empty());
    QCOMPARE(LessonCondition{}.describe(), QString());
  }

 private:
  QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestLesson)
#include "tst_lesson.moc"
