// SPDX-License-Identifier: MIT
// The one place where a feed's and the mirror's health become words: rich text for the source
// panel, plain text for --headless, so that both say the same. The mirror's state reads
// "mirroring" while it runs; the rest reads as memlog::to_string(WorkerState) says.
//
// Threading: plain functions of their arguments (the panel's numbers follow QLocale()).
#pragma once

#include <QString>

#include <memlog/source/feed.hpp>
#if MEMLOG_WITH_REDIS
#include <memlog/redis/redis_mirror.hpp>
#endif

QString feedStateText(memlog::WorkerState state);  // "running", "retrying", ...

// The source panel: "<b>running</b> · 1,204 records · 9.4 KB" and what else there is to say
// (skipped records, failed attempts, the next try, the position on a line of its own).
QString feedStatusText(const memlog::feed::FeedStatus& status);
// --headless, every few seconds: "source stdin running records 1204 skipped 2".
QString feedStatusLine(const QString& source, const memlog::feed::FeedStatus& status);
// --headless, the summary: "source stdin finished (end of input after 3 lines, 12 bytes) skipped 1".
QString feedSummary(const QString& source, const memlog::feed::FeedStatus& status);

#if MEMLOG_WITH_REDIS
QString mirrorStateText(memlog::WorkerState state);  // "mirroring" while running, else as a feed's
// The source panel: "<b>mirroring</b> · lag 0 · 1,204 sent" and the rest ("<b>mirroring</b> ·
// 64 streams · lag 0 · …" for a sharded log); records that never reached Redis on a line of
// their own, in `errorColour` (a CSS colour, e.g. "#c62828").
QString mirrorStatusText(const memlog::redis::MirrorStatus& status, const QString& errorColour);
// --headless: "mirror redis:127.0.0.1:6379/copy mirroring lag 0 sent 1204 lost 3" every few
// seconds, and "mirror redis:127.0.0.1:6379/copy sent 1204 lag 0 lost 3" in the summary; for a
// sharded log the target names the streams, "redis:127.0.0.1:6379/copy:0..63", and the line
// says "mirroring 64 streams".
QString mirrorStatusLine(const QString& target, const memlog::redis::MirrorStatus& status);
QString mirrorSummary(const QString& target, const memlog::redis::MirrorStatus& status);
#endif
