// SPDX-License-Identifier: MIT
// LessonPlayer on a live session: a step's actions run once (Back and Next again do not rerun
// them), its condition is checked against the live state (counts since the step began), a
// condition that does not hold in time times out with the hint, and autoplay moves on.
#include <QSignalSpy>
#include <QTest>

#include "adapter/log_session.hpp"
#include "lessons/lesson_player.hpp"

using namespace Qt::StringLiterals;

namespace {
Lesson lessonFrom(const char* json) {
  QString error;
  auto lesson = parseLesson(QByteArray(json), u"test.json"_s, &error);
  if (!lesson) qFatal("%s", qPrintable(error));
  return *lesson;
}
const char* const kSteps =
    "{\"name\": \"t\", \"title\": \"T\", \"setup\": {\"segment_size\": 10, \"rate\": 0, \"running\": false},"
    " \"steps\": ["
    "  {\"title\": \"add\", \"narration\": \"n\", \"actions\": [{\"do\": \"add_consumer\", \"name\": \"c\"}]},"
    "  {\"title\": \"write\", \"narration\": \"n\", \"actions\": [{\"do\": \"step\", \"records\": 25}],"
    "   \"until\": {\"records\": 25, \"purges\": 1}},"
    "  {\"title\": \"never\", \"narration\": \"n\", \"until\": {\"records\": 1}, \"timeout_s\": 1, \"hint\": \"try\"}"
    "]}";
}  // namespace

class TestLessonPlayer : public QObject {
  Q_OBJECT

 private slots:
  void actionsRunOnceConditionsHoldAndTimeOut() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    LessonPlayer player(&session, lessonFrom(kSteps));
    QSignalSpy met(&player, &LessonPlayer::conditionMet);
    QSignalSpy timedOut(&player, &LessonPlayer::timedOut);
    QSignalSpy finished(&player, &LessonPlayer::finished);
    player.start();
    QCOMPARE(player.current(), 0);
    QCOMPARE(player.state(), LessonPlayer::StepState::noCondition);
    QCOMPARE(session.consumers()->snapshots().size(), std::size_t{1});
    player.next();  // 25 records: two seals, one purge (segments of 10)
    session.frames()->tick();
    QCOMPARE(met.count(), 1);
    QCOMPARE(player.state(), LessonPlayer::StepState::met);
    player.back();
    QCOMPARE(player.current(), 0);
    player.next();  // shown again: its 25 records are not written again
    QCOMPARE(session.source()->counters().written, 25u);
    QCOMPARE(session.consumers()->snapshots().size(), std::size_t{1});
    player.next();  // waits for a record that never comes (the source is paused)
    QCOMPARE(player.state(), LessonPlayer::StepState::waiting);
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 5000);
    QCOMPARE(timedOut.at(0).at(1).toString(), u"try"_s);
    session.source()->step();  // it may still hold later
    session.frames()->tick();
    QCOMPARE(player.state(), LessonPlayer::StepState::met);
    player.next();
    QCOMPARE(finished.count(), 1);
    QVERIFY(player.isFinished());
  }

  void autoplayMovesOn() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    LessonPlayer player(&session, lessonFrom(kSteps));
    player.setAutoplay(true, 0, 0);
    QSignalSpy timedOut(&player, &LessonPlayer::timedOut);
    player.start();
    QTRY_COMPARE_WITH_TIMEOUT(player.current(), 2, 5000);  // through step 2 by itself
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 5000);
    QCOMPARE(player.current(), 2);  // a timed-out step does not move on by itself
  }
};

QTEST_GUILESS_MAIN(TestLessonPlayer)
#include "tst_lesson_player.moc"
