// SPDX-License-Identifier: MIT
// LessonsPanel: the lessons — the built-in list and Open… (a lesson file), and while one plays:
// "step 3 of 9", the step's title and narration, what it waits for (done, waiting, or the
// hint once its timeout passed), Back / Next / Restart and autoplay. Choosing a lesson asks
// for it (lessonRequested): it starts on a new log with its own setup.
//
// Threading: GUI thread only.
#pragma once

#include <QPointer>
#include <QWidget>

class LessonPlayer;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

class LessonsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit LessonsPanel(QWidget* parent = nullptr);

  // Follows `player` (the lesson playing); nullptr: none.
  void setPlayer(LessonPlayer* player);
  // Compact: only the step, its narration (a few lines, scrolled), its status and Back / Next —
  // the lesson shown again in another window (compare mode), the chooser staying in the main one.
  void setCompact(bool on);
  LessonPlayer* player() const;

  QString progressText() const;  // "step 3 of 9"
  QString statusText() const;    // what the step waits for, or that it is done
  QString narrationHtml() const;
  QPushButton* nextButton() const { return m_next; }
  QPushButton* backButton() const { return m_back; }
  QComboBox* lessonChoice() const { return m_choice; }

 signals:
  void lessonRequested(const QString& nameOrFile);
  void highlightRequested(const QString& target);  // empty: none

 protected:
  void changeEvent(QEvent* event) override;  // a new font (presenter mode): the title follows

 private:
  void scaleTitle();
  void showStep();
  void showStatus();
  void openFile();

  QPointer<LessonPlayer> m_player;  // null once the player is gone (it may go before this panel)
  QComboBox* m_choice;
  QPushButton* m_open;
  QLabel* m_progress;
  QLabel* m_title;
  QTextBrowser* m_narration;
  QLabel* m_status;
  QPushButton* m_back;
  QPushButton* m_next;
  QPushButton* m_restart;
  QCheckBox* m_autoplay;
};
