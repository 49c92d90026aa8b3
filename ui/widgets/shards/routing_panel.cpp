// SPDX-License-Identifier: MIT
#include "shards/routing_panel.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "shards/key_table_model.hpp"
#include "shards/routing_view.hpp"
#include "shards/shard_set.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {
// Keys by text and, when one is chosen, by shard.
class KeyFilterProxy : public QSortFilterProxyModel {
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setShard(int shard) {
    m_shard = shard;
    invalidateFilter();
  }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
    if (m_shard >= 0) {
      const QModelIndex shard = sourceModel()->index(row, KeyTableModel::ShardColumn, parent);
      if (shard.data(KeyTableModel::SortRole).toInt() != m_shard) return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(row, parent);
  }

 private:
  int m_shard = -1;
};
}  // namespace

RoutingPanel::RoutingPanel(ShardSet* shards, QWidget* parent) : QWidget(parent), m_shards(shards) {
  m_view = new RoutingView(shards, this);
  m_model = new KeyTableModel(shards, this);
  auto* proxy = new KeyFilterProxy(this);
  m_proxy = proxy;
  m_proxy->setSourceModel(m_model);
  m_proxy->setSortRole(KeyTableModel::SortRole);
  m_proxy->setFilterKeyColumn(KeyTableModel::KeyColumn);
  m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
  m_proxy->setDynamicSortFilter(true);

  m_lookup = new QLineEdit(this);
  m_lookup->setPlaceholderText(u"Which shard? Type any key…"_s);
  m_lookup->setToolTip(u"The shard any key goes to, by the log's own sharder — also for keys not seen yet."_s);
  m_lookupResult = new QLabel(this);
  m_lookupResult->setMinimumWidth(110);
  m_keyFilter = new QLineEdit(this);
  m_keyFilter->setPlaceholderText(u"Filter keys"_s);
  m_keyFilter->setClearButtonEnabled(true);
  m_shardFilter = new QSpinBox(this);
  m_shardFilter->setRange(-1, shards->count() - 1);
  m_shardFilter->setSpecialValueText(u"all shards"_s);
  m_shardFilter->setPrefix(u"shard #"_s);
  m_shardFilter->setValue(-1);
  m_shardFilter->setToolTip(u"Only the keys of one shard."_s);

  m_table = new QTableView(this);
  m_table->setModel(m_proxy);
  m_table->setSortingEnabled(true);
  m_table->sortByColumn(KeyTableModel::RecordsColumn, Qt::DescendingOrder);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setSectionResizeMode(KeyTableModel::KeyColumn, QHeaderView::Stretch);
  m_table->setToolTip(u"Double-click a key to show its shard."_s);

  // One row of tools (a projector's 720 lines have little height to spare).
  auto* tools = new QHBoxLayout;
  tools->addWidget(m_lookup, 2);
  tools->addWidget(m_lookupResult, 1);
  tools->addWidget(m_keyFilter, 2);
  tools->addWidget(m_shardFilter);
  m_table->setMinimumHeight(60);
  auto* below = new QWidget(this);
  auto* belowLayout = new QVBoxLayout(below);
  belowLayout->setContentsMargins(0, 0, 0, 0);
  belowLayout->addLayout(tools);
  belowLayout->addWidget(m_table, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(m_view);
  split->addWidget(below);
  split->setChildrenCollapsible(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(split);

  connect(m_lookup, &QLineEdit::textChanged, this, &RoutingPanel::lookUp);
  connect(m_keyFilter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
  connect(m_shardFilter, &QSpinBox::valueChanged, this, [proxy](int shard) { proxy->setShard(shard); });
  connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const QModelIndex source = m_proxy->mapToSource(index);
    if (source.isValid()) m_shards->requestFocus(m_model->shardOfRow(source.row()));
  });
}

void RoutingPanel::setFrozen(bool frozen) { m_view->setFrozen(frozen); }

void RoutingPanel::lookUp() {
  const QString key = m_lookup->text();
  if (key.isEmpty()) {
    m_lookupResult->clear();
    return;
  }
  const auto shard = m_shards->log()->shard_of(key.toStdString());
  if (shard) {
    m_lookupResult->setText(u"→ shard #%1"_s.arg(*shard));
    Theme::tint(m_lookupResult, Theme::Message::info);
  } else {
    m_lookupResult->setText(u"refused: no shard for it"_s);
    Theme::tint(m_lookupResult, Theme::Message::warning);
  }
}
