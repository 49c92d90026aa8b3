// SPDX-License-Identifier: MIT
// RecordTableModel: the retained records of the adapter's log as a table (offset, created,
// size, payload preview) — without ever copying the log. It knows only the range of rows it
// shows and reads the records for the rows the view asks for (a small cache of the visible
// window, filled with read_batch).
//
// Updates from the adapter are merged per frame (a 33 ms single-shot timer): then the rows
// are clamped to the log's current range with ONE beginRemoveRows(0, n-1) for purged rows and
// ONE beginInsertRows for new ones — no resets for live updates. A record purged after its row
// was shown reads as "(purged)", never as stale data. Frozen, the model keeps what it shows.
// In the monitor it follows the session's frames instead (followFrames): its rows are then
// exactly the range of the frame every other view draws.
//
// Threading: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QTimer>

#include <memlog/log.hpp>

class FrameClock;
class ShardSet;
class LogAdapter;
struct Frame;

class RecordTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  // ShardColumn and KeyColumn only for a sharded log (showShards); the view moves them next to
  // the offset.
  enum Column { OffsetColumn, CreatedColumn, SizeColumn, PayloadColumn, ShardColumn, KeyColumn, ColumnCount };
  static constexpr int kPlainColumns = ShardColumn;
  enum Role { OffsetRole = Qt::UserRole + 1, PayloadRole };  // qint64, QByteArray (whole payload)

  explicit RecordTableModel(LogAdapter* adapter, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  memlog::Offset firstOffset() const { return m_first; }  // offset of row 0 (-1: no rows)
  memlog::Offset offsetAt(int row) const { return m_first + row; }
  int rowOf(memlog::Offset offset) const;  // -1 when not shown
  // The record behind a row, read now (nullopt when purged meanwhile).
  std::optional<memlog::Record> record(int row) const;

  // Syncs to each frame's range from now on, instead of its own per-frame timer.
  void followFrames(FrameClock* frames);
  // A sharded log: the rows are the shown shard's records, with a shard and a key column (the
  // key as the router takes it: its key field's value, or the whole line). Call once, at start.
  void showShards(ShardSet* shards);
  bool showsShards() const { return m_shards != nullptr; }
  QString keyAt(int row) const;  // the record's key (sharded), empty when it has none

  void setFrozen(bool frozen);
  bool isFrozen() const { return m_frozen; }

 public slots:
  void sync();                              // clamps the rows to the log's range now (normally done per frame)
  void syncTo(const memlog::Range& range);  // clamps the rows to `range` (a frame's)

 signals:
  void rowsSynced();  // after each sync that changed rows

 private:
  void scheduleSync();
  const memlog::Record* cached(memlog::Offset offset) const;

  LogAdapter* m_adapter;
  // The adapter's log, held here: data() runs per cell and must not take the adapter's mutex
  // and copy a shared_ptr each time. Replaced on logReplaced (GUI thread, as data()).
  std::shared_ptr<memlog::Log> m_log;
  QTimer m_frame;
  FrameClock* m_frames = nullptr;
  ShardSet* m_shards = nullptr;
  std::string m_keyField;       // the router's, taken once per sync (not per cell)
  memlog::Offset m_first = -1;  // rows show [m_first, m_first + m_count)
  int m_count = 0;
  bool m_frozen = false;
  // The records of the most recently requested window, read in one batch.
  mutable std::vector<memlog::Record> m_cache;
  mutable memlog::Offset m_cacheFirst = -1;
};
