// SPDX-License-Identifier: MIT
#include "panels/real_source_panel.hpp"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include "controllers/feed_controller.hpp"
#include "controllers/status_text.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {

int index(RealSourcePanel::Kind kind) { return static_cast<int>(kind); }

// Per kind, in FeedSpec::Kind's order: the target's label, an example, what it reads.
struct KindText {
  QString label, placeholder, tip;
};
const KindText& textOf(RealSourcePanel::Kind kind) {
  static const KindText texts[] = {
      {u"Input"_s, QString(),
       u"Reads this process's standard input, one record per line: journalctl -f | memlog-monitor --source stdin"_s},
      {u"Path"_s, u"/var/log/syslog"_s,
       u"Reads the file from its start, then follows it as it grows; truncation and rotation are handled."_s},
      {u"URL"_s, u"http://127.0.0.1:8080/api/events?after={cursor:0}"_s,
       u"A JSON array (or an object with a records/items/data array); one record per new element. {cursor} in "
       "the URL is replaced by the response's next/cursor value or the highest id seen."_s},
      {u"Stream"_s, u"127.0.0.1:6379/events (add @0 for the whole stream)"_s,
       u"HOST:PORT/STREAM[@ID]: tails the stream with XREAD BLOCK after ID ($ = new entries only)."_s},
  };
  return texts[index(kind)];
}

}  // namespace

RealSourcePanel::RealSourcePanel(FeedController* feed, QWidget* parent) : QWidget(parent), m_feed(feed) {
  m_targetLabel = new QLabel(this);
  m_target = new QLineEdit(this);
  m_target->setClearButtonEnabled(true);
  m_browse = new QPushButton(u"Browse…"_s, this);
  m_pollInterval = new QSpinBox(this);
  m_pollInterval->setRange(50, 3'600'000);
  m_pollInterval->setSingleStep(250);
  m_pollInterval->setSuffix(u" ms"_s);
  m_pollInterval->setValue(static_cast<int>(feed->pollInterval().count()));
  m_pollInterval->setToolTip(u"How often the endpoint is asked for new elements."_s);
  m_pollLabel = new QLabel(u"Poll every"_s, this);
  m_connect = new QPushButton(this);
  m_status = new QLabel(this);
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_problem = new QLabel(this);
  m_problem->setWordWrap(true);
  Theme::tint(m_problem, Theme::Message::warning);
  m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_problem->setVisible(false);

  auto* target = new QHBoxLayout;
  target->addWidget(m_target, 1);
  target->addWidget(m_browse);
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(m_targetLabel, target);
  form->addRow(m_pollLabel, m_pollInterval);
  form->addRow(QString(), m_connect);
  form->addRow(u"State"_s, m_status);
  form->addRow(QString(), m_problem);

  connect(m_browse, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, u"Follow a file"_s, m_target->text());
    if (!path.isEmpty()) m_target->setText(path);
  });
  connect(m_pollInterval, &QSpinBox::valueChanged, this,
          [this](int ms) { m_feed->setPollInterval(std::chrono::milliseconds(ms)); });
  connect(m_target, &QLineEdit::returnPressed, this, &RealSourcePanel::connectOrDisconnect);
  connect(m_connect, &QPushButton::clicked, this, &RealSourcePanel::connectOrDisconnect);
  connect(feed, &FeedController::statusChanged, this, &RealSourcePanel::showStatus);
  connect(feed, &FeedController::problem, this, &RealSourcePanel::showProblem);
  setKind(m_kind);
}

void RealSourcePanel::setKind(Kind kind) {
  hideProblem();
  // Each kind keeps its own target: switching from a file to a URL and back finds the file.
  m_targets[index(m_kind)] = m_target->text();
  m_target->setText(m_targets[index(kind)]);
  m_kind = kind;
  const KindText& text = textOf(kind);
  m_targetLabel->setText(text.label);
  m_target->setPlaceholderText(text.placeholder);
  m_target->setToolTip(text.tip);
  m_targetLabel->setVisible(kind != Kind::standard_input);
  m_target->setVisible(kind != Kind::standard_input);
  m_browse->setVisible(kind == Kind::file);
  m_pollLabel->setVisible(kind == Kind::http);
  m_pollInterval->setVisible(kind == Kind::http);
  syncFromFeed();
}

void RealSourcePanel::setTarget(const QString& target) { m_target->setText(target); }

QString RealSourcePanel::sourceName() const {
  const QString target = m_target->text().trimmed();
  switch (m_kind) {
    case Kind::standard_input:
      return u"stdin"_s;
    case Kind::file:
      return u"file:"_s + target;
    case Kind::http:
      return u"http:"_s + target;
    case Kind::redis:
      return u"redis:"_s + target;
  }
  return {};
}

void RealSourcePanel::showProblem(const QString& message) {
  m_problem->setText(message);
  m_problem->setVisible(true);
}

void RealSourcePanel::hideProblem() { m_problem->setVisible(false); }

void RealSourcePanel::connectOrDisconnect() {
  if (m_feed->isOpen()) {
    m_feed->close();
    return;
  }
  hideProblem();
  emit openRequested(sourceName());
}

void RealSourcePanel::syncFromFeed() {
  const bool open = m_feed->isOpen();
  m_target->setReadOnly(open);
  m_connect->setText(open ? u"Disconnect"_s : m_kind == Kind::standard_input ? u"Read standard input"_s : u"Connect"_s);
  showStatus();
}

void RealSourcePanel::save(QSettings& store) const {
  QString targets[kKinds];
  std::copy(std::begin(m_targets), std::end(m_targets), std::begin(targets));
  targets[index(m_kind)] = m_target->text();
  store.setValue(u"sources/file"_s, targets[index(Kind::file)]);
  store.setValue(u"sources/http"_s, targets[index(Kind::http)]);
  store.setValue(u"sources/redis"_s, targets[index(Kind::redis)]);
  store.setValue(u"sources/pollMs"_s, m_pollInterval->value());
}

void RealSourcePanel::restore(QSettings& store) {
  // Only the fields: the simulation stays the source until the user connects another.
  m_targets[index(Kind::file)] = store.value(u"sources/file"_s).toString();
  m_targets[index(Kind::http)] = store.value(u"sources/http"_s).toString();
  m_targets[index(Kind::redis)] = store.value(u"sources/redis"_s).toString();
  if (m_feed->isOpen()) return;
  m_target->setText(m_targets[index(m_kind)]);
  bool ok = false;
  const int poll = store.value(u"sources/pollMs"_s).toInt(&ok);
  if (ok && poll >= m_pollInterval->minimum() && poll <= m_pollInterval->maximum()) m_pollInterval->setValue(poll);
}

void RealSourcePanel::showStatus() {
  m_status->setText(m_feed->isOpen() ? feedStatusText(m_feed->status()) : u"Not connected"_s);
}
