// SPDX-License-Identifier: MIT
// What a lesson step may highlight (point at, with the ring the window draws), and the check of
// a step's highlight against the lesson at that step (consumers by name, a sharded log's panels).
//
// Threading: pure functions.
#pragma once

#include <QString>
#include <QStringList>

#include <set>

#include "lessons/lesson.hpp"

// The fixed targets: "segment:history", "segment:active", "segment:purged", "chart:writes",
// "chart:lag", "chart:retained", "table", "panel:source", "panel:consumers",
// "panel:configuration", "panel:shards", "panel:routing", "panel:skew", "control:rate",
// "control:step", "control:crash", and "panel:mirror" in a build with Redis. Besides them:
// "consumer:NAME" (a consumer added by the setup or an earlier step); a row of the record table, "row:latest",
// "row:earliest" or "row:N" (the record at offset N); and one series of a chart, "series:CHART:NAME" (see
// chartSeriesNames).
QStringList highlightTargets();

// The series a "series:CHART:NAME" target may name, for each chart: "writes" has "writes",
// "purges" and "reads:CONSUMER"; "lag" has "CONSUMER"; "retained" has "records" and "payload".
// The names stay as they are when the legend's texts change (they are a lesson file's words).
QString chartSeriesNames(const QString& chart);

// Empty when `target` (empty: none) can be highlighted at that step of `lesson`, where
// `consumers` exist; else what is wrong ("highlights consumer 'x', which does not exist at this
// point").
QString checkHighlight(const QString& target, const Lesson& lesson, const std::set<QString>& consumers);
