// SPDX-License-Identifier: MIT
#include "compare/compare_words.hpp"

#include <QLocale>

#include <cmath>

#include "compare/compare_session.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;
using memlog::sim::ConsumerState;

namespace compare_words {
namespace {
// Closer than this is "about the same": rates and fills wobble from frame to frame.
constexpr double kSameRatio = 1.1;

QString judged(Verdict verdict, const QString& words) {
  switch (verdict) {
    case Verdict::better:
      return u"better: "_s + words;
    case Verdict::worse:
      return u"worse: "_s + words;
    case Verdict::same:
    case Verdict::differs:
      break;
  }
  return words;
}

struct Phrases {
  QString more, fewer, onlyHere, noneHere;  // %1 = "N×"
  Verdict whenMore;
};

Phrases phrasesOf(Figure figure) {
  switch (figure) {
    case Figure::retainedRecords:
      return {u"keeps %1 the records"_s, u"keeps %1 fewer records"_s, u"retains records, the other none"_s,
              u"retains nothing yet"_s, Verdict::better};
    case Figure::retainedSeconds:
      return {u"%1 longer"_s, u"%1 shorter"_s, u"retains for a while, the other not"_s, u"retains for no time"_s,
              Verdict::better};
    case Figure::memory:
      return {u"%1 the memory"_s, u"%1 less memory"_s, u"holds memory, the other none"_s, u"holds no memory"_s,
              Verdict::worse};
    case Figure::purges:
      // More purges, each of a smaller segment: a trade-off, not better or worse.
      return {u"%1 as many purges"_s, u"%1 fewer purges"_s, u"purged here only"_s, u"no purge yet"_s, Verdict::differs};
    case Figure::skew:
      // The busiest shard over the mean: the further above, the sooner that shard purges.
      // A ratio of ratios says little: the words say which way, the figures by how much. Not
      // better or worse: with more shards one hot key stands further above the mean while its
      // shard is written exactly as fast.
      return {u"load more uneven"_s, u"load more even"_s, u"uneven load"_s, u"even load"_s, Verdict::differs};
  }
  return {};
}

// A phrase with its "N×" filled in, when it has a place for one.
QString filled(const QString& phrase, double larger, double smaller) {
  return phrase.contains(u"%1"_s) ? phrase.arg(times(larger, smaller)) : phrase;
}

Verdict opposite(Verdict verdict) {
  if (verdict == Verdict::better) return Verdict::worse;
  if (verdict == Verdict::worse) return Verdict::better;
  return verdict;
}

int rank(ConsumerState state) {  // how badly a consumer is doing; stopped is not comparable
  switch (state) {
    case ConsumerState::live:
      return 0;
    case ConsumerState::lagging:
      return 1;
    case ConsumerState::fell_behind:
      return 2;
    case ConsumerState::stopped:
      break;
  }
  return -1;
}
}  // namespace

QString times(double larger, double smaller) {
  const double ratio = larger / smaller;
  if (ratio >= 10) return QString::number(std::llround(ratio)) + u'×';
  return QString::number(std::round(ratio * 10) / 10, 'g', 3) + u'×';
}

Mark mark(Figure figure, double mine, double theirs) {
  if (mine < 0 || theirs < 0) return {};
  const Phrases phrases = phrasesOf(figure);
  if (mine == 0 && theirs == 0) return {};
  // Only the side with the difference gets the words of a one-sided figure; a trade-off marks
  // only the larger side (the smaller one is its mirror image and would only repeat it).
  if (theirs == 0) return {judged(phrases.whenMore, phrases.onlyHere), phrases.whenMore};
  if (mine == 0) {
    const Verdict verdict = opposite(phrases.whenMore);
    return {judged(verdict, phrases.noneHere), verdict == Verdict::differs ? Verdict::same : verdict};
  }
  if (mine >= theirs && mine / theirs < kSameRatio) return {u"about the same"_s, Verdict::same};
  if (theirs > mine && theirs / mine < kSameRatio) return {u"about the same"_s, Verdict::same};
  if (mine > theirs) return {judged(phrases.whenMore, filled(phrases.more, mine, theirs)), phrases.whenMore};
  const Verdict verdict = opposite(phrases.whenMore);
  if (verdict == Verdict::differs) return {filled(phrases.fewer, theirs, mine), Verdict::same};
  return {judged(verdict, filled(phrases.fewer, theirs, mine)), verdict};
}

Mark consumerMark(const memlog::sim::ConsumerSnapshot& mine, const memlog::sim::ConsumerSnapshot& theirs) {
  const int here = rank(mine.state), there = rank(theirs.state);
  if (here < 0 || there < 0) return {};
  if (here == there) return {here == 2 ? u"overtaken on both"_s : QString(), Verdict::same};
  if (here == 2) return {judged(Verdict::worse, u"overtaken here only"_s), Verdict::worse};
  if (there == 2) return {judged(Verdict::better, u"not overtaken here"_s), Verdict::better};
  if (here == 1) return {judged(Verdict::worse, u"lagging here only"_s), Verdict::worse};
  return {judged(Verdict::better, u"keeps up here only"_s), Verdict::better};
}

QString consumerText(const memlog::sim::ConsumerSnapshot& consumer) {
  if (consumer.id == CompareFigures::kAbsent) return u"not here: it reads one shard of the other log"_s;
  const QLocale locale;
  QString word = Theme::stateWord(consumer.state);
  switch (consumer.state) {
    case ConsumerState::live:
    case ConsumerState::lagging:
      return word + u", lag "_s + locale.toString(static_cast<qint64>(consumer.lag));
    case ConsumerState::fell_behind:
      return word + u" at offset "_s + locale.toString(static_cast<qint64>(consumer.position));
    case ConsumerState::stopped:
      break;
  }
  return word;
}

}  // namespace compare_words
