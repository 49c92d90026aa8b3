// SPDX-License-Identifier: MIT
// compare_words: how the compare window says which side is better or worse for a figure, in
// words ("better: keeps 10× the records", "worse: overtaken here only") — the colour it is
// drawn in only repeats what the words say. Plain functions, so the wording is tested alone.
#pragma once

#include <QString>

#include <memlog/source/consumer.hpp>

namespace compare_words {

enum class Verdict {
  same,     // about equal (within 10%): nothing to mark
  better,   // this side is better for this figure
  worse,    // this side is worse
  differs,  // a difference that is neither better nor worse (a trade-off), marked on the larger side
};

struct Mark {
  QString words;  // empty when there is nothing to say
  Verdict verdict = Verdict::same;
};

enum class Figure { retainedRecords, retainedSeconds, memory, purges, skew };

// "2×", "1.5×", "12×": how many times the larger of two positive values is the smaller.
QString times(double larger, double smaller);

// This side's mark for `figure`, with this side's value `mine` and the other's `theirs`
// (negative = unknown: nothing is said).
Mark mark(Figure figure, double mine, double theirs);

// A consumer's mark: the same consumer here (`mine`) and on the other log (`theirs`).
Mark consumerMark(const memlog::sim::ConsumerSnapshot& mine, const memlog::sim::ConsumerSnapshot& theirs);

// A consumer's state in words: "live, lag 3", "overtaken by the purge at offset 120", ...
QString consumerText(const memlog::sim::ConsumerSnapshot& consumer);

}  // namespace compare_words
