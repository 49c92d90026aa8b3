// SPDX-License-Identifier: MIT
#include "panels/mirror_panel.hpp"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>

#include <memlog/source/redis_stream_address.hpp>

#include "controllers/mirror_controller.hpp"
#include "controllers/status_text.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

MirrorPanel::MirrorPanel(MirrorController* mirror, QWidget* parent)
    : QGroupBox(u"Mirror to a Redis stream"_s, parent), m_mirror(mirror) {
  setCheckable(true);
  setChecked(false);
  setToolTip(
      u"Every record appended to the log is also appended to a Redis stream (XADD, pipelined, MAXLEN ~ the "
      "log's retention). The entry ID is the record's time and offset: <ms>-<offset>."_s);
  m_target = new QLineEdit(u"127.0.0.1:6379/memlog"_s, this);
  m_target->setPlaceholderText(u"HOST:PORT/STREAM"_s);
  m_status = new QLabel(this);
  m_status->setWordWrap(true);
  m_problem = new QLabel(this);
  m_problem->setWordWrap(true);
  Theme::tint(m_problem, Theme::Message::warning);
  m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_problem->setVisible(false);
  auto* form = new QFormLayout(this);
  form->addRow(u"Stream"_s, m_target);
  form->addRow(u"State"_s, m_status);
  form->addRow(QString(), m_problem);

  connect(this, &QGroupBox::toggled, this, [this](bool on) {
    if (m_syncing) return;
    m_problem->setVisible(false);
    if (on)
      start();
    else
      m_mirror->stop();
  });
  connect(m_target, &QLineEdit::returnPressed, this, [this] {
    if (isChecked()) start();
  });
  connect(mirror, &MirrorController::runningChanged, this, &MirrorPanel::syncFromMirror);
  connect(mirror, &MirrorController::statusChanged, this, &MirrorPanel::syncFromMirror);
  connect(mirror, &MirrorController::problem, this, [this](const QString& message) {
    m_problem->setText(message);
    m_problem->setVisible(true);
  });
  syncFromMirror();
}

void MirrorPanel::start() {
  QString error;
  m_problem->setVisible(false);
  if (!m_mirror->start(m_target->text(), &error)) {
    m_problem->setText(error);
    m_problem->setVisible(true);
    syncFromMirror();  // unchecks the switch again
  }
}

void MirrorPanel::save(QSettings& store) const { store.setValue(u"sources/mirror"_s, m_target->text()); }

void MirrorPanel::restore(QSettings& store) {
  const QString address = store.value(u"sources/mirror"_s).toString();
  if (!address.isEmpty() && !m_mirror->isRunning()) m_target->setText(address);
}

void MirrorPanel::syncFromMirror() {
  MirrorController* mirror = m_mirror;
  m_syncing = true;
  setChecked(mirror->isRunning());
  m_syncing = false;
  if (mirror->isRunning() &&
      m_target->text() != mirror->target().mid(static_cast<qsizetype>(memlog::kRedisPrefix.size())) &&
      !m_target->hasFocus())
    m_target->setText(mirror->target().mid(static_cast<qsizetype>(memlog::kRedisPrefix.size())));
  if (!mirror->isRunning()) {
    m_status->setText(u"Off"_s);
    return;
  }
  m_status->setText(mirrorStatusText(mirror->status(), Theme::of(palette()).error.name()));
}
