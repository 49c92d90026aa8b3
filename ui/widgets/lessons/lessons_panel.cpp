// SPDX-License-Identifier: MIT
#include "lessons/lessons_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "lessons/lesson_player.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

LessonsPanel::LessonsPanel(QWidget* parent) : QWidget(parent) {
  m_choice = new QComboBox(this);
  m_choice->addItem(u"Choose a lesson…"_s);
  QString error;
  for (const Lesson& lesson : builtInLessons(&error)) {
    m_choice->addItem(lesson.title, lesson.name);
    m_choice->setItemData(m_choice->count() - 1, lesson.summary, Qt::ToolTipRole);
  }
  m_choice->setToolTip(
      u"A lesson sets up the live log, tells what happens, points at it and waits until it has "
      u"really happened. Choosing one starts it on a new log."_s);
  auto* open = m_open = new QPushButton(u"Open…"_s, this);
  open->setToolTip(u"Play a lesson from a file (its format: docs/lessons.md)."_s);
  m_progress = new QLabel(this);
  m_title = new QLabel(this);
  m_title->setWordWrap(true);
  scaleTitle();
  m_narration = new QTextBrowser(this);
  m_narration->setOpenExternalLinks(false);
  m_narration->setMinimumHeight(80);
  m_narration->setPlaceholderText(
      u"Choose a lesson above: it sets the log up and walks through what happens, on "
      u"the live log."_s);
  m_status = new QLabel(this);
  m_status->setWordWrap(true);
  m_back = new QPushButton(u"← Back"_s, this);
  m_next = new QPushButton(u"Next →"_s, this);
  m_restart = new QPushButton(u"Restart"_s, this);
  m_restart->setToolTip(u"The lesson again from its first step, on a new log."_s);
  m_autoplay = new QCheckBox(u"Autoplay"_s, this);
  m_autoplay->setToolTip(u"Move on by itself: once a step's condition holds, or after a pause."_s);

  auto* choose = new QHBoxLayout;
  choose->addWidget(m_choice, 1);
  choose->addWidget(open);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_back);
  buttons->addWidget(m_next);
  buttons->addWidget(m_restart);
  buttons->addStretch();
  buttons->addWidget(m_autoplay);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(choose);
  layout->addWidget(m_progress);
  layout->addWidget(m_title);
  layout->addWidget(m_narration, 1);
  layout->addWidget(m_status);
  layout->addLayout(buttons);

  connect(m_choice, &QComboBox::activated, this, [this](int index) {
    if (index > 0) emit lessonRequested(m_choice->itemData(index).toString());
  });
  connect(open, &QPushButton::clicked, this, &LessonsPanel::openFile);
  connect(m_restart, &QPushButton::clicked, this, [this] {
    if (m_player)
      emit lessonRequested(m_player->lesson().file.startsWith(u":/"_s) ? m_player->lesson().name
                                                                       : m_player->lesson().file);
  });
  setPlayer(nullptr);
}

void LessonsPanel::setCompact(bool on) {
  for (QWidget* w : std::initializer_list<QWidget*>{m_choice, m_open, m_restart, m_autoplay}) w->setVisible(!on);
  // About four lines of narration: the rest scrolls, and the window keeps room for its own views.
  m_narration->setMaximumHeight(on ? m_narration->fontMetrics().lineSpacing() * 4 + 12 : QWIDGETSIZE_MAX);
}

LessonPlayer* LessonsPanel::player() const { return m_player; }

void LessonsPanel::setPlayer(LessonPlayer* player) {
  m_player = player;
  for (QWidget* w : std::initializer_list<QWidget*>{m_back, m_next, m_restart, m_autoplay}) w->setEnabled(player);
  if (!player) {
    m_progress->clear();
    m_title->clear();
    m_status->clear();
    return;
  }
  const int index = m_choice->findData(player->lesson().name);
  m_choice->setCurrentIndex(index > 0 && player->lesson().file.startsWith(u":/"_s) ? index : 0);
  connect(m_back, &QPushButton::clicked, player, &LessonPlayer::back);
  connect(m_next, &QPushButton::clicked, player, &LessonPlayer::next);
  connect(m_autoplay, &QCheckBox::toggled, player, [player](bool on) { player->setAutoplay(on); });
  connect(player, &LessonPlayer::stepStarted, this, &LessonsPanel::showStep);
  connect(player, &LessonPlayer::conditionMet, this, &LessonsPanel::showStatus);
  connect(player, &LessonPlayer::timedOut, this, &LessonsPanel::showStatus);
  connect(player, &LessonPlayer::finished, this, [this] {
    m_progress->setText(u"%1 — completed"_s.arg(m_player->lesson().title));
    m_status->setText(u"The lesson is over. Choose another, or Restart."_s);
    m_next->setEnabled(false);
    emit highlightRequested({});
  });
  showStep();
}

QString LessonsPanel::progressText() const { return m_progress->text(); }
QString LessonsPanel::statusText() const { return m_status->text(); }
QString LessonsPanel::narrationHtml() const { return m_narration->toHtml(); }

void LessonsPanel::showStep() {
  if (!m_player || m_player->current() < 0 || m_player->isFinished()) {
    if (m_player) m_title->setText(m_player->lesson().title);
    return;
  }
  const LessonStep& step = m_player->lesson().steps[static_cast<std::size_t>(m_player->current())];
  m_progress->setText(
      u"%1 — step %2 of %3"_s.arg(m_player->lesson().title).arg(m_player->current() + 1).arg(m_player->stepCount()));
  m_title->setText(step.title);
  m_narration->setHtml(step.narration);
  m_back->setEnabled(m_player->current() > 0);
  m_next->setEnabled(true);
  m_next->setText(m_player->current() + 1 == m_player->stepCount() ? u"Finish ✓"_s : u"Next →"_s);
  showStatus();
  emit highlightRequested(step.highlight);
}

void LessonsPanel::showStatus() {
  if (!m_player || m_player->current() < 0 || m_player->isFinished()) return;
  const LessonStep& step = m_player->lesson().steps[static_cast<std::size_t>(m_player->current())];
  switch (m_player->state()) {
    case LessonPlayer::StepState::noCondition:
      Theme::tint(m_status, Theme::Message::info);
      m_status->setText(u"Read, watch, then Next (→)."_s);
      break;
    case LessonPlayer::StepState::waiting:
      Theme::tint(m_status, Theme::Message::info);
      m_status->setText(u"Waiting for: %1…"_s.arg(step.wait->describe()));
      break;
    case LessonPlayer::StepState::met:
      Theme::tint(m_status, Theme::Message::success);
      m_status->setText(u"✓ It happened: %1. Next (→) when ready."_s.arg(step.wait->describe()));
      break;
    case LessonPlayer::StepState::timedOut:
      Theme::tint(m_status, Theme::Message::warning);
      m_status->setText(
          u"Not yet (%1). %2"_s.arg(step.wait->describe(), step.hint.isEmpty() ? u"Next (→) skips it."_s : step.hint));
      break;
  }
}

void LessonsPanel::scaleTitle() {
  // The step's title a size above the panel's text, whatever that is (presenter mode enlarges it).
  QFont big = font();
  big.setBold(true);
  big.setPointSizeF(font().pointSizeF() * 1.2);
  m_title->setFont(big);
}

void LessonsPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange) scaleTitle();
  QWidget::changeEvent(event);
}

void LessonsPanel::openFile() {
  const QString file = QFileDialog::getOpenFileName(this, u"Open a lesson"_s, QString(), u"Lessons (*.json)"_s);
  if (!file.isEmpty()) emit lessonRequested(file);
}
