// SPDX-License-Identifier: MIT
// CompareDialog: what compare mode's second log is — its segment size and its shard count (1 =
// one log), starting from a suggestion that differs from the monitor's log in one of them. A
// combination that cannot be made (a key list longer than the shard count) or that is the
// monitor's own log is named under the fields, and OK waits until it is fixed.
//
// Threading: GUI thread only.
#pragma once

#include <QDialog>

#include <memlog/options.hpp>

#include "shards/sharding_options.hpp"

class QDialogButtonBox;
class QLabel;
class QSpinBox;

class CompareDialog : public QDialog {
  Q_OBJECT

 public:
  // `current` and `sharding`: the monitor's log (sharding not sharded: one log).
  CompareDialog(const memlog::Options& current, const ShardingOptions& sharding, QWidget* parent = nullptr);

  // The second log's options (the monitor's, with the segment size chosen) and sharding (the
  // monitor's sharder and key, with the shard count chosen; not sharded for 1).
  memlog::Options options() const;
  ShardingOptions sharding() const;
  // Why OK is not possible now; empty when it is.
  QString problem() const;

  QSpinBox* segmentSizeBox() const { return m_segmentSize; }
  QSpinBox* shardsBox() const { return m_shards; }

  // The suggested second log: a monitor with shards gets four times as many (at most the
  // maximum; a quarter as many at the top), one log ten times its segment size (a tenth from
  // 1,000 up) — the comparisons people usually want to see.
  static int suggestedShards(const ShardingOptions& sharding);
  static int suggestedSegmentSize(const memlog::Options& current, const ShardingOptions& sharding);

 private:
  void check();

  memlog::Options m_current;
  ShardingOptions m_currentSharding;
  QSpinBox* m_segmentSize;
  QSpinBox* m_shards;
  QLabel* m_problem;
  QDialogButtonBox* m_buttons;
};
