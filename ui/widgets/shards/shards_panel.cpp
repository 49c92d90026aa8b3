// SPDX-License-Identifier: MIT
#include "shards/shards_panel.hpp"

#include <QLabel>
#include <QVBoxLayout>

#include "shards/shard_map_view.hpp"
#include "shards/shard_text.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

ShardsPanel::ShardsPanel(ShardSet* shards, QWidget* parent) : QWidget(parent), m_shards(shards) {
  m_summary = new QLabel(this);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_summary->setWordWrap(true);  // a narrow dock wraps the line rather than widening the window
  m_summary->setToolTip(
      u"How records are spread: the busiest and the idlest shard by write rate, and the skew — "
      u"the busiest shard's rate over the mean (1× is even)."_s);
  m_refused = new QLabel(this);
  m_refused->setWordWrap(true);
  m_refused->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_refused->setToolTip(
      u"Records the router could not place — no key, or a key the sharder does not know. They "
      u"are counted here, never put on a guessed shard."_s);
  Theme::tint(m_refused, Theme::Message::warning);
  m_refused->hide();
  m_map = new ShardMapView(shards, this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(m_summary);
  layout->addWidget(m_refused);
  layout->addWidget(m_map, 1);
  connect(shards, &ShardSet::sampled, this, &ShardsPanel::showFrame);
  showFrame(shards->current());
}

void ShardsPanel::setFrozen(bool frozen) {
  m_frozen = frozen;
  m_map->setFrozen(frozen);
}

QString ShardsPanel::summaryText() const { return m_summary->text(); }

void ShardsPanel::showFrame(const ShardFrame& frame) {
  if (m_frozen) return;
  const QString text = shardingText(m_shards->options(), m_shards->router()->key_field()) +
                       u" · shown: #%1 · "_s.arg(m_shards->focused()) + shardLoadText(frame, u" · "_s);
  if (m_summary->text() != text) m_summary->setText(text);
  const QString refused = refusedText(frame.router);
  if (m_refused->text() != refused) m_refused->setText(refused);
  m_refused->setVisible(!refused.isEmpty());
}
