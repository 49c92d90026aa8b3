// SPDX-License-Identifier: MIT
// The Lessons panel and its player: it shows the player's step and drives it (Back / Next), and
// it may outlive the player (main destroys the player before the window): then it holds none,
// and Restart asks for nothing.
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

#include "adapter/log_session.hpp"
#include "lessons/lesson.hpp"
#include "lessons/lesson_player.hpp"
#include "lessons/lessons_panel.hpp"

using namespace Qt::StringLiterals;

class TestLessonsPanel : public QObject {
  Q_OBJECT

 private slots:
  void drivesItsPlayer() {
    QString error;
    const auto lesson = loadLesson(u"records-and-offsets"_s, &error);
    QVERIFY2(lesson, qPrintable(error));
    LogSession session(lesson->log, lesson->source);
    LessonPlayer player(&session, *lesson);
    LessonsPanel panel;
    panel.setPlayer(&player);
    QCOMPARE(panel.player(), &player);
    player.start();
    const auto labels = panel.findChildren<QLabel*>();
    const auto says = [&](const QString& text) {
      return std::any_of(labels.begin(), labels.end(), [&](const QLabel* l) { return l->text().contains(text); });
    };
    QVERIFY(says(u"step 1 of "_s));
    QPushButton* next = nullptr;
    for (QPushButton* b : panel.findChildren<QPushButton*>())
      if (b->text().startsWith(u"Next"_s)) next = b;
    QVERIFY(next);
    next->click();
    QCOMPARE(player.current(), 1);
    QVERIFY(says(u"step 2 of "_s));
  }

  void outlivesItsPlayer() {
    QString error;
    const auto lesson = loadLesson(u"records-and-offsets"_s, &error);
    QVERIFY2(lesson, qPrintable(error));
    LogSession session(lesson->log, lesson->source);
    auto* player = new LessonPlayer(&session, *lesson);
    LessonsPanel panel;
    panel.setPlayer(player);
    player->start();
    delete player;
    QCOMPARE(panel.player(), nullptr);
    QSignalSpy requested(&panel, &LessonsPanel::lessonRequested);
    for (QPushButton* b : panel.findChildren<QPushButton*>())
      if (b->text() == u"Restart"_s) b->click();
    QCOMPARE(requested.count(), 0);
  }
};

QTEST_MAIN(TestLessonsPanel)
#include "tst_lessons_panel.moc"
