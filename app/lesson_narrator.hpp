// SPDX-License-Identifier: MIT
// LessonNarrator: a lesson played without a window (--headless --lesson). It plays the steps by
// itself and prints a line per step — "step 2/5 Each record gets the next offset: condition met
// (5 records written) after 0.3 s" — and ends the application when the last step completes
// (exit code 0) or when a step's condition times out (1: the lesson's promise did not hold);
// SIGINT or SIGTERM before the end is 3, with a line saying at which step.
//
// Threading: GUI (main) thread only.
#pragma once

#include <QObject>

class LessonPlayer;

class LessonNarrator : public QObject {
  Q_OBJECT

 public:
  static constexpr int kExitTimedOut = 1;
  static constexpr int kExitInterrupted = 3;  // SIGINT or SIGTERM before the lesson completed

  // The run was ended by `signal` ("SIGTERM"): says at which step, and gives kExitInterrupted
  // unless the lesson had completed.
  int interrupted(const QString& signal) const;

  // Prints to stdout; quits the application with its exit code at the end.
  explicit LessonNarrator(LessonPlayer* player, QObject* parent = nullptr);

  int exitCode() const { return m_exitCode; }

 private:
  void print(const QString& line) const;
  QString prefix(int index) const;

  LessonPlayer* m_player;
  int m_exitCode = 0;
};
