// SPDX-License-Identifier: MIT
#include "compare/compare_dialog.hpp"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "adapter/log_limits.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

int CompareDialog::suggestedShards(const ShardingOptions& sharding) {
  if (!sharding.sharded()) return 1;
  const int max = static_cast<int>(memlog::shard::kMaxShards);
  return sharding.shards * 4 <= max ? sharding.shards * 4
                                    : std::max(static_cast<int>(memlog::shard::kMinShards), sharding.shards / 4);
}

int CompareDialog::suggestedSegmentSize(const memlog::Options& current, const ShardingOptions& sharding) {
  const auto size = static_cast<int>(current.segment_size);
  if (sharding.sharded()) return size;  // the shard count is what changes
  return std::max(1, size >= 1000 ? size / 10 : size * 10);
}

CompareDialog::CompareDialog(const memlog::Options& current, const ShardingOptions& sharding, QWidget* parent)
    : QDialog(parent), m_current(current), m_currentSharding(sharding) {
  setWindowTitle(u"Compare with another log"_s);
  setMinimumWidth(460);  // the intro in three lines, not five
  const QString monitors = sharding.sharded()
                               ? u"%1 shards × segment size %2"_s.arg(sharding.shards).arg(current.segment_size)
                               : u"one log, segment size %1"_s.arg(current.segment_size);
  auto* intro = new QLabel(
      u"A second log gets the same records as the monitor's (%1), side by side. "
      "Change its segment size, its shard count, or both."_s.arg(monitors),
      this);
  intro->setWordWrap(true);

  m_segmentSize = new QSpinBox(this);
  m_segmentSize->setRange(1, static_cast<int>(log_limits::kMaxSegmentSize));
  m_segmentSize->setGroupSeparatorShown(true);
  m_segmentSize->setValue(suggestedSegmentSize(current, sharding));
  m_segmentSize->setToolTip(u"Records per segment, in each shard when it is sharded."_s);
  m_shards = new QSpinBox(this);
  m_shards->setRange(1, static_cast<int>(memlog::shard::kMaxShards));
  m_shards->setSpecialValueText(u"one log (not sharded)"_s);
  m_shards->setValue(suggestedShards(sharding));
  m_shards->setToolTip(u"How many shards the records are spread over by key (as the monitor's are); 1 = one log."_s);

  m_problem = new QLabel(this);
  m_problem->setWordWrap(true);
  Theme::tint(m_problem, Theme::Message::warning);
  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  m_buttons->button(QDialogButtonBox::Ok)->setText(u"Compare"_s);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* form = new QFormLayout;
  form->addRow(u"Segment size:"_s, m_segmentSize);
  form->addRow(u"Shards:"_s, m_shards);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(m_problem);
  layout->addWidget(m_buttons);

  connect(m_segmentSize, &QSpinBox::valueChanged, this, &CompareDialog::check);
  connect(m_shards, &QSpinBox::valueChanged, this, &CompareDialog::check);
  check();
}

memlog::Options CompareDialog::options() const {
  memlog::Options options = m_current;
  options.segment_size = static_cast<std::size_t>(m_segmentSize->value());
  return options;
}

ShardingOptions CompareDialog::sharding() const {
  ShardingOptions sharding = m_currentSharding;
  sharding.shards = m_shards->value() > 1 ? m_shards->value() : 0;
  return sharding;
}

QString CompareDialog::problem() const {
  if (QString why = log_limits::validate(options()); !why.isEmpty()) return why;
  const ShardingOptions other = sharding();
  if (other.sharded())
    if (QString why = sharding::validate(other); !why.isEmpty()) return why;
  if (other.shards == m_currentSharding.shards && options().segment_size == m_current.segment_size)
    return u"That is the monitor's log itself: change the segment size or the shard count."_s;
  return {};
}

void CompareDialog::check() {
  const QString why = problem();
  m_problem->setText(why);
  m_problem->setVisible(!why.isEmpty());
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}
