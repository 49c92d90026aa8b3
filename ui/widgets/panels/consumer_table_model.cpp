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

QString ConsumerTableModel::errorText(const memlog::sim::ConsumerSnapshot& s) {
  if (!s.error) return {};
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
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case NameColumn:
      return QString::fromStdString(s.name);
    case PaceColumn:
      return s.pace > 0 ? u"%1/s"_s.arg(locale.toString(s.pace, 'g', 6)) : u"unthrottled"_s;
    case PositionColumn:
      return locale.toString(s.position);
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
