// SPDX-License-Identifier: MIT
#include "panels/sharding_panel.hpp"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

ShardingPanel::ShardingPanel(const ShardingOptions& current, QWidget* parent) : QWidget(parent), m_current(current) {
  m_shards = new QLineEdit(this);
  m_shards->setPlaceholderText(u"1 (one log)"_s);
  m_shards->setToolTip(
      u"How many shards: 2 to 1024, each an independent log with its own offsets; a record's key "
      u"chooses its shard. Empty or 1: one log."_s);
  m_keyField = new QLineEdit(this);
  m_keyField->setPlaceholderText(u"natural: device, sku or ticket"_s);
  m_keyField->setToolTip(
      u"The top-level JSON field a record's key is taken from. Empty: the simulation's natural "
      u"key (device, sku, ticket), the whole line for a real source."_s);
  m_sharder = new QLineEdit(this);
  m_sharder->setPlaceholderText(u"fnv"_s);
  m_sharder->setToolTip(
      u"fnv: Go memlog's FNV-1a hash of the key. keys:K1,K2,...: K1 on shard 0, K2 on shard 1, "
      u"...; any other key is refused and counted."_s);
  if (current.sharded()) {
    m_shards->setText(QString::number(current.shards));
    m_keyField->setText(current.keyField);
    m_sharder->setText(QString::fromStdString(current.sharder.text()));
  }
  m_message = new QLabel(this);
  m_message->setWordWrap(true);
  auto* apply = new QPushButton(u"Apply (starts a new log)"_s, this);
  auto* form = new QFormLayout;
  form->addRow(u"Shards"_s, m_shards);
  form->addRow(u"Key field"_s, m_keyField);
  form->addRow(u"Sharder"_s, m_sharder);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addWidget(apply);
  layout->addWidget(m_message);
  connect(apply, &QPushButton::clicked, this, &ShardingPanel::applyFromFields);
  for (QLineEdit* field : {m_shards, m_keyField, m_sharder})
    connect(field, &QLineEdit::returnPressed, this, &ShardingPanel::applyFromFields);
}

std::optional<ShardingOptions> ShardingPanel::parseFields(QString* why) const {
  ShardingOptions options;
  const auto fail = [why](const QString& reason) -> std::optional<ShardingOptions> {
    *why = reason;
    return std::nullopt;
  };
  const QString shards = m_shards->text().trimmed();
  if (!shards.isEmpty() && shards != u"1"_s) {
    if (QString w = sharding::parseShards(shards, &options.shards); !w.isEmpty()) return fail(u"Shards: "_s + w);
  }
  const QString field = m_keyField->text().trimmed();
  const QString sharder = m_sharder->text().trimmed();
  if (!options.sharded()) {
    if (!field.isEmpty() || (!sharder.isEmpty() && sharder != u"fnv"_s))
      return fail(u"A key field and a sharder are for a sharded log: give 2 shards or more."_s);
    return options;
  }
  if (!field.isEmpty())
    if (QString w = sharding::parseKeyField(field, &options.keyField); !w.isEmpty()) return fail(u"Key field: "_s + w);
  if (!sharder.isEmpty())
    if (QString w = sharding::parseSharder(sharder, &options.sharder); !w.isEmpty()) return fail(u"Sharder: "_s + w);
  if (QString w = sharding::validate(options); !w.isEmpty()) return fail(u"Sharder: "_s + w);
  return options;
}

QString ShardingPanel::apply(const QString& shards, const QString& keyField, const QString& sharder) {
  m_shards->setText(shards);
  m_keyField->setText(keyField);
  m_sharder->setText(sharder);
  applyFromFields();
  return m_message->property("error").toBool() ? m_message->text() : QString();
}

QString ShardingPanel::message() const { return m_message->text(); }

void ShardingPanel::applyFromFields() {
  QString why;
  const std::optional<ShardingOptions> options = parseFields(&why);
  if (!options) {
    Theme::tint(m_message, Theme::Message::error);
    m_message->setText(why);
    m_message->setProperty("error", true);
    return;
  }
  m_message->setProperty("error", false);
  if (*options == m_current) {
    Theme::tint(m_message, Theme::Message::info);
    m_message->setText(u"That is how the log is sharded now."_s);
    return;
  }
  const QString what = options->sharded() ? u"a log of %1 shards"_s.arg(options->shards) : u"one log"_s;
  if (m_confirm && QMessageBox::question(this, u"Start a new log?"_s,
                                         u"The log is started anew as %1: the records retained now are dropped and "
                                         u"the consumers start again on the new log."_s.arg(what)) != QMessageBox::Yes)
    return;
  Theme::tint(m_message, Theme::Message::success);
  m_message->setText(u"Starting %1…"_s.arg(what));
  emit applyRequested(*options);
}
