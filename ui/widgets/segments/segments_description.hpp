// SPDX-License-Identifier: MIT
// describeSegments: the segments picture in words, for screen readers (SegmentsView's
// accessible description) — each segment's offsets and fill, where the next record goes, and
// where each consumer reads and in which state. A pure function of what the picture draws.
#pragma once

#include <QString>

#include <span>

#include <memlog/source/consumer.hpp>

#include "segments/segment_geometry.hpp"

// e.g. "history offsets 60–79, 20 of 20 records; active offsets 80–99, 4 of 20 records, next
// write at 84; consumers: fast at 84 live, slow at 61 lagging".
QString describeSegments(const SegmentGeometry& geometry, std::size_t segmentSize,
                         std::span<const memlog::sim::ConsumerSnapshot> consumers);
