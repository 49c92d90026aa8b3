// SPDX-License-Identifier: MIT
#include "lesson_narrator.hpp"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>

#include "lessons/lesson_player.hpp"

using namespace Qt::StringLiterals;

LessonNarrator::LessonNarrator(LessonPlayer* player, QObject* parent) : QObject(parent), m_player(player) {
  // Headless: no one reads the narration, so a step that waits for nothing moves on at once,
  // and one whose condition holds moves on after a moment (its last frame printed).
  player->setAutoplay(true, 100, 200);
  print(u"lesson %1: %2 (%3 %4)"_s.arg(player->lesson().name, player->lesson().title)
            .arg(player->stepCount())
            .arg(player->stepCount() == 1 ? u"step"_s : u"steps"_s));
  connect(player, &LessonPlayer::stepStarted, this, [this](int index) {
    const LessonStep& step = m_player->lesson().steps[static_cast<std::size_t>(index)];
    if (!step.wait) print(prefix(index) + u": nothing to wait for"_s);
  });
  connect(player, &LessonPlayer::conditionMet, this, [this](int index) {
    const LessonStep& step = m_player->lesson().steps[static_cast<std::size_t>(index)];
    print(prefix(index) + u": condition met (%1) after %2 s"_s.arg(step.wait->describe())
                              .arg(static_cast<double>(m_player->stepElapsedMs()) / 1000.0, 0, 'f', 1));
  });
  connect(player, &LessonPlayer::timedOut, this, [this](int index, const QString& hint) {
    const LessonStep& step = m_player->lesson().steps[static_cast<std::size_t>(index)];
    print(prefix(index) + u": condition not met after %1 s (%2)%3"_s.arg(step.timeoutSeconds)
                              .arg(step.wait->describe(), hint.isEmpty() ? QString() : u" — "_s + hint));
    m_exitCode = kExitTimedOut;
    QCoreApplication::exit(kExitTimedOut);
  });
  connect(player, &LessonPlayer::actionFailed, this,
          [this](int index, const QString& why) { print(prefix(index) + u": an action failed: "_s + why); });
  connect(player, &LessonPlayer::finished, this, [this] {
    print(u"lesson %1 completed"_s.arg(m_player->lesson().name));
    QCoreApplication::exit(0);
  });
}

int LessonNarrator::interrupted(const QString& signal) const {
  if (m_player->isFinished()) return m_exitCode;
  const int step = std::max(0, m_player->current());
  print(u"lesson %1 interrupted by %2 at step %3/%4"_s.arg(m_player->lesson().name, signal)
            .arg(step + 1)
            .arg(m_player->stepCount()));
  return kExitInterrupted;
}

QString LessonNarrator::prefix(int index) const {
  return u"step %1/%2 %3"_s.arg(index + 1)
      .arg(m_player->stepCount())
      .arg(m_player->lesson().steps[static_cast<std::size_t>(index)].title);
}

void LessonNarrator::print(const QString& line) const {
  std::fprintf(stdout, "%s\n", qPrintable(line));
  std::fflush(stdout);
}
