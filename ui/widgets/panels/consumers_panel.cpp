// SPDX-License-Identifier: MIT
#include "panels/consumers_panel.hpp"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include "controllers/consumer_controller.hpp"
#include "panels/consumer_table_model.hpp"
#include "server/log_server.hpp"

using namespace Qt::StringLiterals;
using memlog::sim::ConsumerStart;

ConsumersPanel::ConsumersPanel(ConsumerController* consumers, QWidget* parent)
    : QWidget(parent), m_consumers(consumers), m_model(new ConsumerTableModel(consumers, this)) {
  m_table = new QTableView(this);
  m_table->setModel(m_model);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

  m_name = new QLineEdit(this);
  m_name->setPlaceholderText(u"name (optional)"_s);
  m_pace = new QDoubleSpinBox(this);
  m_pace->setRange(0, 10'000'000);
  m_pace->setDecimals(0);
  m_pace->setSpecialValueText(u"unthrottled"_s);
  m_pace->setSuffix(u"/s"_s);
  m_pace->setToolTip(u"Records per second this consumer reads; 0 = as fast as it can."_s);
  m_start = new QComboBox(this);
  m_start->addItem(u"earliest"_s, static_cast<int>(ConsumerStart::earliest));
  m_start->addItem(u"latest (new records only)"_s, static_cast<int>(ConsumerStart::latest));
  m_start->addItem(u"offset"_s, static_cast<int>(ConsumerStart::offset));
  m_start->addItem(u"a time"_s, static_cast<int>(ConsumerStart::time));
  m_start->setToolTip(u"Where it starts reading: the oldest record retained, only what comes next, or an offset."_s);
  m_offset = new QSpinBox(this);
  m_offset->setRange(0, std::numeric_limits<int>::max());
  m_offset->setEnabled(false);
  m_time = new QDateTimeEdit(QDateTime::currentDateTime(), this);
  m_time->setDisplayFormat(u"HH:mm:ss"_s);
  m_time->setToolTip(u"Start at the first retained record created at or after this time."_s);
  m_time->hide();
  connect(m_start, &QComboBox::currentIndexChanged, this, [this] {
    const int start = m_start->currentData().toInt();
    m_offset->setVisible(start != static_cast<int>(ConsumerStart::time));
    m_offset->setEnabled(start == static_cast<int>(ConsumerStart::offset));
    m_time->setVisible(start == static_cast<int>(ConsumerStart::time));
  });

  auto* add = new QPushButton(u"Add consumer"_s, this);
  auto* remove = new QPushButton(u"Remove"_s, this);
  auto* fromEarliest = new QPushButton(u"Resume from earliest"_s, this);
  fromEarliest->setToolTip(
      u"Restart the selected consumer at the oldest record the log still has: it skips what was purged."_s);
  auto* fromCheckpoint = new QPushButton(u"Resume from checkpoint"_s, this);
  fromCheckpoint->setToolTip(
      u"Restart it where it left off. If that was purged, it falls behind again: replay the log from "
      "a checkpoint (source panel) to get those records back."_s);
  m_totalLag = new QLabel(this);
  m_totalLag->setToolTip(u"Records written that the consumers have not read yet, summed over all of them."_s);

  auto* form = new QHBoxLayout;
  form->addWidget(m_name);
  if (consumers->isSharded()) {
    m_shard = new QSpinBox(this);
    m_shard->setRange(-1, consumers->shardCount() - 1);
    m_shard->setSpecialValueText(u"all shards"_s);
    m_shard->setPrefix(u"shard #"_s);
    m_shard->setValue(-1);
    m_shard->setToolTip(
        u"The shard a new consumer reads, or all of them (one thread either way). Its lag is its "
        u"total; the Shards view marks the shards where it lags or fell behind."_s);
    form->addWidget(m_shard);
  }
  form->addWidget(m_pace);
  form->addWidget(m_start);
  form->addWidget(m_offset);
  form->addWidget(m_time);
  form->addWidget(add);
  auto* actions = new QHBoxLayout;
  actions->addWidget(remove);
  actions->addWidget(fromEarliest);
  actions->addWidget(fromCheckpoint);
  actions->addStretch();
  actions->addWidget(m_totalLag);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_table);
  layout->addLayout(actions);

  connect(add, &QPushButton::clicked, this, &ConsumersPanel::addFromForm);
  connect(remove, &QPushButton::clicked, this, &ConsumersPanel::removeSelected);
  connect(fromEarliest, &QPushButton::clicked, this, [this] { resumeSelected(false); });
  connect(fromCheckpoint, &QPushButton::clicked, this, [this] { resumeSelected(true); });
  connect(consumers, &ConsumerController::consumersChanged, this, [this] { m_totalLag->setText(totalLagText()); });
  m_totalLag->setText(totalLagText());
}

void ConsumersPanel::showRemoteConsumers(LogServer* server) {
  if (m_remote == nullptr) {
    m_remote = new QTableWidget(0, 3, this);
    m_remote->setHorizontalHeaderLabels({u"Remote client"_s, u"Position"_s, u"Lag"_s});
    m_remote->verticalHeader()->hide();
    m_remote->horizontalHeader()->setStretchLastSection(true);
    m_remote->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_remote->setToolTip(u"Consumers reading the log over the WebSocket stream (--serve)."_s);
    m_remote->setMaximumHeight(110);
    static_cast<QVBoxLayout*>(layout())->insertWidget(2, m_remote);
  }
  auto refresh = [this, server] {
    const auto clients = server->remoteConsumers();
    const QLocale locale;
    m_remote->setRowCount(static_cast<int>(clients.size()));
    for (int row = 0; row < clients.size(); ++row) {
      const auto& c = clients.at(row);
      m_remote->setItem(row, 0, new QTableWidgetItem(c.name.isEmpty() ? c.peer : c.name + u" ("_s + c.peer + u')'));
      m_remote->setItem(row, 1, new QTableWidgetItem(locale.toString(c.position)));
      m_remote->setItem(row, 2, new QTableWidgetItem(locale.toString(c.lag)));
    }
  };
  connect(server, &LogServer::remoteConsumersChanged, m_remote, refresh);
  refresh();
}

QString ConsumersPanel::totalLagText() const {
  return u"Total lag: %1 records"_s.arg(QLocale().toString(m_consumers->totalLag()));
}

int ConsumersPanel::selectedId() const {
  const QModelIndex current = m_table->currentIndex();
  return current.isValid() ? m_model->idAt(current.row()) : -1;
}

void ConsumersPanel::addFromForm() {
  memlog::sim::ConsumerOptions options;
  options.name = m_name->text().trimmed().toStdString();
  options.pace = m_pace->value();
  options.shard = m_shard ? m_shard->value() : -1;
  options.start = static_cast<ConsumerStart>(m_start->currentData().toInt());
  options.offset = m_offset->value();
  options.at = memlog::Timestamp{std::chrono::milliseconds(m_time->dateTime().toMSecsSinceEpoch())};
  m_consumers->add(options);
  m_name->clear();
}

void ConsumersPanel::removeSelected() {
  if (const int id = selectedId(); id >= 0) m_consumers->remove(id);
}

void ConsumersPanel::resumeSelected(bool fromCheckpoint) {
  if (const int id = selectedId(); id >= 0) m_consumers->resume(id, fromCheckpoint);
}
