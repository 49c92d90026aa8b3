// SPDX-License-Identifier: MIT
#include "panels/consumer_table_model.hpp"

#include <QColor>
#include <QGuiApplication>
#include <QLocale>

#include <algorithm>
#include <array>

#include "controllers/consumer_controller.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;
using memlog::sim::ConsumerState;

ConsumerTableModel::ConsumerTableModel(ConsumerController* consumers, QObject* parent)
    : QAbstractTableModel(parent), m_consumers(consumers) {
  connect(consumers, &ConsumerController::consumersChanged, this, &ConsumerTableModel::refresh);
  refresh();
}

QColor ConsumerTableModel::stateColor(ConsumerState state) { return Theme::current().state(state); }

QImage ConsumerTableModel::stateIcon(ConsumerState state) {
  // Asked for at every paint of every row: drawn again only when the colour or the scale changes.
  struct Cached {
    QRgb color = 0;
    QImage image;
  };
  static std::array<Cached, 4> cache;
  const auto* gui = qobject_cast<QGuiApplication*>(QCoreApplication::instance());
  const qreal ratio = gui ? gui->devicePixelRatio() : 1.0;
  const Theme theme = Theme::current();
  Cached& cached = cache.at(static_cast<std::size_t>(state));
  if (cached.image.isNull() || cached.color != theme.state(state).rgba() || cached.image.devicePixelRatio() != ratio)
    cached = {theme.state(state).rgba(), theme.stateIcon(state, 14, ratio)};
  return cached.image;
}

QString ConsumerTableModel::shardBreakdown(const memlog::sim::ConsumerSnapshot& s) {
  // The shards where it is worst off first (fell behind, then lagging, by lag), at most ten.
  std::vector<memlog::sim::ShardPosition> shards = s.shards;
  const auto rank = [](memlog::sim::ConsumerState state) {
    return state == memlog::sim::ConsumerState::fell_behind ? 0 : state == memlog::sim::ConsumerState::lagging ? 1 : 2;
  };
  std::stable_sort(shards.begin(), shards.end(), [&](const auto& a, const auto& b) {
    return rank(a.state) != rank(b.state) ? rank(a.state) < rank(b.state) : a.lag > b.lag;
  });
  const QLocale locale;
  QString text = u"Per shard (worst first):"_s;
  for (std::size_t i = 0; i < std::min<std::size_t>(10, shards.size()); ++i)
    text += u"\n#%1: position %2, lag %3, %4"_s.arg(shards[i].shard)
                .arg(locale.toString(shards[i].position), locale.toString(shards[i].lag),
                     Theme::stateWord(shards[i].state));
  if (shards.size() > 10) text += u"\n… and %1 more shards"_s.arg(shards.size() - 10);
  return text;
}

QString ConsumerTableModel::errorText(const memlog::sim::ConsumerSnapshot& s) {
  if (!s.error) return {};
  if (!s.shards.empty() && s.error == memlog::Errc::out_of_range) {
    QStringList where;
    for (const auto& p : s.shards)
      if (p.state == memlog::sim::ConsumerState::fell_behind) where << u"#%1"_s.arg(p.shard);
    return u"overtaken by the purge on shard%1 %2 — resume from the earliest record there"_s.arg(
        where.size() > 1 ? u"s"_s : QString(),
        where.mid(0, 8).join(u", "_s) + (where.size() > 8 ? u", …"_s : QString()));
  }
  // The core's out_of_range names no offset and no way out; a consumer overtaken by the purge
  // is the lesson here, so say what happened and what to do.
  if (s.error == memlog::Errc::out_of_range)
    return u"overtaken by the purge at offset %1 — resume from the earliest record or from the checkpoint"_s.arg(
        QLocale().toString(s.position));
  return QString::fromStdString(s.error.message());
}

void ConsumerTableModel::refresh() {
  const auto& fresh = m_consumers->snapshots();
  // Remove rows whose consumer is gone (from the bottom up, one range at a time).
  for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0; --row) {
    const int id = m_rows[static_cast<std::size_t>(row)].id;
    if (std::none_of(fresh.begin(), fresh.end(), [id](const auto& s) { return s.id == id; })) {
      beginRemoveRows(QModelIndex(), row, row);
      m_rows.erase(m_rows.begin() + row);
      endRemoveRows();
    }
  }
  // Update the ones that stay, append the new ones (ids only grow, so new ones come last).
  for (const auto& s : fresh) {
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [&](const auto& r) { return r.id == s.id; });
    if (it != m_rows.end()) {
      *it = s;
      const int row = static_cast<int>(it - m_rows.begin());
      emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    } else {
      const int row = static_cast<int>(m_rows.size());
      beginInsertRows(QModelIndex(), row, row);
      m_rows.push_back(s);
      endInsertRows();
    }
  }
}

int ConsumerTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}
int ConsumerTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

int ConsumerTableModel::idAt(int row) const {
  return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<std::size_t>(row)].id : -1;
}

QVariant ConsumerTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size())) return {};
  const auto& s = m_rows[static_cast<std::size_t>(index.row())];
  const QLocale locale;
  if (role == IdRole) return s.id;
  if (role == StateRole) return static_cast<int>(s.state);
  if (role == Qt::ForegroundRole && index.column() == StateColumn) return stateColor(s.state);
  if (role == Qt::DecorationRole && index.column() == StateColumn) return stateIcon(s.state);  // its shape
  if (role == Qt::TextAlignmentRole && index.column() != NameColumn && index.column() != StateColumn &&
      index.column() != ErrorColumn)
    return {Qt::AlignRight | Qt::AlignVCenter};
  // The error in full where the column is too narrow for it.
  if (role == Qt::ToolTipRole && index.column() == ErrorColumn) return errorText(s);
  if (role == Qt::ToolTipRole && !s.shards.empty() && (index.column() == LagColumn || index.column() == StateColumn))
    return shardBreakdown(s);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case NameColumn:
      if (!s.shards.empty())  // sharded: which shards it reads
        return QString(QString::fromStdString(s.name) +
                       (s.shard < 0 ? u" (all shards)"_s : u" (shard #%1)"_s.arg(s.shard)));
      return QString::fromStdString(s.name);
    case PaceColumn:
      return s.pace > 0 ? u"%1/s"_s.arg(locale.toString(s.pace, 'g', 6)) : u"unthrottled"_s;
    case PositionColumn:
      return s.position < 0 && !s.shards.empty() ? u"—"_s : locale.toString(s.position);
    case CheckpointColumn:
      return s.checkpoint < 0 ? u"—"_s : locale.toString(s.checkpoint);
    case LagColumn:
      return locale.toString(s.lag);
    case StateColumn:
      return QString::fromUtf8(memlog::sim::to_string(s.state).data());
    case ErrorColumn:
      return errorText(s);
  }
  return {};
}

QVariant ConsumerTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  static const char* const names[] = {"Consumer", "Pace", "Position", "Checkpoint", "Lag", "State", "Error"};
  static const char* const tips[] = {
      "A stream reading the log on its own thread.",
      "How fast it reads: records per second, or as fast as it can.",
      "The offset it reads next.",
      "The offset after the last record it processed: where it resumes after a replay.",
      "Records written that it has not read yet.",
      "live: keeping up; lagging: half a segment or more behind; fell behind: overtaken by the purge.",
      "Why its stream ended.",
  };
  if (section < 0 || section >= ColumnCount) return {};
  if (role == Qt::DisplayRole) return QString::fromLatin1(names[section]);
  if (role == Qt::ToolTipRole) return QString::fromLatin1(tips[section]);
  return {};
}
