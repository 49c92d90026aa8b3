// SPDX-License-Identifier: MIT
#include "command_line.hpp"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>

#include <memlog/version.hpp>

#include <memlog/source/feed_spec.hpp>
#include <memlog/source/redis_stream_address.hpp>

#include "adapter/log_limits.hpp"
#include "feeds/feed_factory.hpp"

using namespace Qt::StringLiterals;

namespace {

// A whole number in [low, high], or an error naming the option.
std::optional<qint64> integer(const QString& name, const QString& text, qint64 low, qint64 high, QString& error) {
  bool ok = false;
  const qint64 value = text.trimmed().toLongLong(&ok);
  if (!ok) {
    error = u"--%1: '%2' is not a whole number"_s.arg(name, text);
    return std::nullopt;
  }
  if (value < low || value > high) {
    error = u"--%1: %2 is out of range (%3 to %4)"_s.arg(name).arg(value).arg(low).arg(high);
    return std::nullopt;
  }
  return value;
}

// QCommandLineParser names the program after the running QCoreApplication's argv[0] — a path
// as typed, or "<executable_name>" when there is none yet (main() parses before creating it, so
// a bad value fails fast without a display): the usage line always says memlog-monitor.
QString helpText(const QCommandLineParser& parser) {
  QString text = parser.helpText();
  const qsizetype endOfUsage = text.indexOf(u'\n');
  text.replace(0, endOfUsage < 0 ? text.size() : endOfUsage, u"Usage: memlog-monitor [options]"_s);
  return text;
}

}  // namespace

CommandLine parseCommandLine(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      u"memlog-monitor: watch a segmented in-memory log live — records arriving, segments filling, sealing "
      "and being purged, consumers keeping up or falling behind."_s);
  const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help and exit."_s);
  const QCommandLineOption version({u"v"_s, u"version"_s}, u"Show the version and exit."_s);
  const QCommandLineOption segmentSize(u"segment-size"_s, u"Records per segment (1 to 10000000)."_s, u"N"_s);
  const QCommandLineOption maxRecordBytes(u"max-record-bytes"_s, u"Largest record in bytes (1 to 67108864)."_s, u"N"_s);
  const QCommandLineOption startOffset(u"start-offset"_s, u"Offset of the first record (0 or more)."_s, u"N"_s);
  const QCommandLineOption rate(u"rate"_s, u"Source records per second (0 = as fast as possible, up to 10000000)."_s,
                                u"R"_s);
  const QCommandLineOption source(
      u"source"_s,
      u"Where records come from: a simulated legacy system (sensor, inventory, tickets), or a real source: "
      "stdin (one record per line), file:PATH (followed as it grows), http:URL (a JSON endpoint polled every "
      "--poll-ms; {cursor} in the URL is replaced by where it left off), redis:HOST:PORT/STREAM[@ID] (a Redis "
      "stream, tailed)."_s +
          (MEMLOG_WITH_REDIS ? QString() : u" This build has no Redis support."_s),
      u"SOURCE"_s);
  const QCommandLineOption pollMs(u"poll-ms"_s,
                                  u"How often an http: source polls, in ms (50 to 3600000; default 1000)."_s, u"MS"_s);
  const QCommandLineOption mirror(
      u"mirror"_s,
      u"Also append every record to a Redis stream: redis:HOST:PORT/STREAM (XADD, pipelined). A sharded log "
      "(--shards N) is mirrored shard by shard to the streams STREAM:0 … STREAM:N-1."_s +
          (MEMLOG_WITH_REDIS ? QString() : u" This build has no Redis support."_s),
      u"redis:HOST:PORT/STREAM"_s);
  const QCommandLineOption seed(u"seed"_s, u"Seed of the simulated records (0 or more)."_s, u"S"_s);
  const QCommandLineOption consumers(u"consumers"_s, u"Consumers to start with (0 to 64)."_s, u"N"_s);
  const QCommandLineOption screenshot(u"screenshot"_s, u"Save a PNG of the window to FILE once it has rendered."_s,
                                      u"FILE"_s);
  const QCommandLineOption quitAfter(u"quit-after"_s, u"Quit after SECONDS (0.1 to 86400)."_s, u"SECONDS"_s);
  const QCommandLineOption serve(
      u"serve"_s,
      u"Serve the log: HTTP API on [ADDR:]PORT (default address 127.0.0.1), WebSocket stream on "
      "PORT+1."_s,
      u"[ADDR:]PORT"_s);
  const QCommandLineOption headless(u"headless"_s, u"No window: run the source, the log and the server only."_s);
  const QCommandLineOption theme(
      u"theme"_s,
      u"Colours: light or dark (the Fusion style with a light or dark palette, e.g. for a projector), or system "
      "(the default: follow the desktop)."_s,
      u"light|dark|system"_s);
  const QCommandLineOption shards(
      u"shards"_s, u"Run a sharded log of N shards (2 to 1024), each record on its key's shard; without it, one log."_s,
      u"N"_s);
  const QCommandLineOption shardKey(
      u"shard-key"_s,
      u"The top-level JSON field a record's key is taken from (default: device, sku or ticket for the simulation, "
      "the whole line for a real source)."_s,
      u"FIELD"_s);
  const QCommandLineOption sharder(
      u"sharder"_s,
      u"How a key chooses its shard: fnv (Go memlog's FNV-1a, the default) or keys:K1,K2,... (K1 on shard 0, K2 on "
      "shard 1, ...; other keys are refused and counted)."_s,
      u"fnv|keys:K1,K2,..."_s);
  const QCommandLineOption keySkew(
      u"key-skew"_s,
      u"How the simulation spreads its keys: uniform (the default), hot[:SHARE] (one key takes SHARE of the "
      "records, default 0.5) or zipf[:S] (a Zipf law of exponent S, default 1.2)."_s,
      u"uniform|hot[:SHARE]|zipf[:S]"_s);
  const QCommandLineOption lesson(
      u"lesson"_s,
      u"Start in a lesson: a built-in one by name, or a lesson file (docs/lessons.md); 'list' lists the built-ins. "
      "With --headless the lesson plays by itself, a line per step, and the exit code says how it went (0: every "
      "step completed, 1: a condition timed out, 2: a bad file or name)."_s,
      u"NAME|FILE|list"_s);
  parser.addOption(lesson);
  const QCommandLineOption present(
      u"present"_s,
      u"Start in presenter mode: full screen, larger text, the segments, the lesson and one chart (F11)."_s);
  parser.addOption(present);
  parser.addOptions({help,     version, segmentSize, maxRecordBytes, startOffset, rate,      source,
                     pollMs,   mirror,  seed,        consumers,      screenshot,  quitAfter, serve,
                     headless, theme,   shards,      shardKey,       sharder,     keySkew});

  CommandLine result;
  if (!parser.parse(arguments)) {
    result.action = CommandLine::Action::error;
    result.text = parser.errorText();
    return result;
  }
  if (parser.isSet(help)) {
    result.action = CommandLine::Action::help;
    result.text = helpText(parser);
    return result;
  }
  if (parser.isSet(version)) {
    result.action = CommandLine::Action::version;
    result.text = u"memlog-monitor %1"_s.arg(QString::fromLatin1(memlog::kVersion));
    return result;
  }
  if (!parser.positionalArguments().isEmpty()) {
    result.action = CommandLine::Action::error;
    result.text = u"unexpected argument '%1' (see --help)"_s.arg(parser.positionalArguments().constFirst());
    return result;
  }

  MonitorOptions& o = result.options;
  QString error;
  auto fail = [&] {
    result.action = CommandLine::Action::error;
    result.text = error;
    return result;
  };
  if (parser.isSet(segmentSize)) {
    const auto v = integer(u"segment-size"_s, parser.value(segmentSize), 1, log_limits::kMaxSegmentSize, error);
    if (!v) return fail();
    o.log.segment_size = static_cast<std::size_t>(*v);
    o.hasSegmentSize = true;
  }
  if (parser.isSet(maxRecordBytes)) {
    const auto v = integer(u"max-record-bytes"_s, parser.value(maxRecordBytes), 1, log_limits::kMaxRecordBytes, error);
    if (!v) return fail();
    o.log.max_record_bytes = static_cast<std::size_t>(*v);
    o.hasMaxRecordBytes = true;
  }
  if (parser.isSet(startOffset)) {
    const auto v =
        integer(u"start-offset"_s, parser.value(startOffset), 0, std::numeric_limits<qint64>::max() / 2, error);
    if (!v) return fail();
    o.log.start_offset = *v;
    o.hasStartOffset = true;
  }
  if (parser.isSet(rate)) {
    bool ok = false;
    const double r = parser.value(rate).trimmed().toDouble(&ok);
    if (!ok || !(r >= 0) || r > 10'000'000) {  // !(r >= 0) also catches NaN
      error =
          u"--rate: '%1' is not a rate from 0 (as fast as possible) to 10000000 records/s"_s.arg(parser.value(rate));
      return fail();
    }
    o.source.rate = r;
    o.hasRate = true;
  }
  if (parser.isSet(source)) {
    const QString value = parser.value(source).trimmed();
    if (const auto kind = memlog::sim::source_kind_from_string(value.toStdString())) {
      o.source.kind = *kind;
      o.hasSource = true;
    } else if (const auto spec = memlog::feed::parse_feed_spec(value.toStdString())) {
      if (QString why = unsupportedFeed(*spec); !why.isEmpty()) {
        error = u"--source: %1"_s.arg(why);
        return fail();
      }
      o.feed = QString::fromStdString(spec->text());
    } else {
      error = u"--source: %1"_s.arg(QString::fromStdString(spec.error()));
      return fail();
    }
  }
  if (parser.isSet(pollMs)) {
    const auto v = integer(u"poll-ms"_s, parser.value(pollMs), 50, 3'600'000, error);
    if (!v) return fail();
    o.pollMs = static_cast<int>(*v);
  }
  if (parser.isSet(mirror)) {
    if (!MEMLOG_WITH_REDIS) {
      error = u"--mirror: %1"_s.arg(noRedisSupport());
      return fail();
    }
    const auto target = memlog::parse_redis_stream_address(parser.value(mirror).trimmed().toStdString());
    if (!target) {
      error = u"--mirror: %1"_s.arg(QString::fromStdString(target.error()));
      return fail();
    }
    o.mirror = QString::fromStdString(std::string(memlog::kRedisPrefix) + target->text());
  }
  if (parser.isSet(seed)) {
    bool ok = false;
    const qulonglong s = parser.value(seed).trimmed().toULongLong(&ok);
    if (!ok) {
      error = u"--seed: '%1' is not a whole number from 0 to 18446744073709551615"_s.arg(parser.value(seed));
      return fail();
    }
    o.source.seed = s;
    o.hasSeed = true;
  }
  if (parser.isSet(consumers)) {
    const auto v = integer(u"consumers"_s, parser.value(consumers), 0, 64, error);
    if (!v) return fail();
    o.consumers = static_cast<int>(*v);
    o.hasConsumers = true;
  }
  if (parser.isSet(screenshot)) {
    o.screenshot = parser.value(screenshot);
    if (o.screenshot.isEmpty()) {
      error = u"--screenshot: needs a file name"_s;
      return fail();
    }
  }
  if (parser.isSet(quitAfter)) {
    bool ok = false;
    const double s = parser.value(quitAfter).trimmed().toDouble(&ok);
    if (!ok || !(s >= 0.1) || s > 86400) {
      error = u"--quit-after: '%1' is not a number of seconds from 0.1 to 86400"_s.arg(parser.value(quitAfter));
      return fail();
    }
    o.quitAfter = s;
  }
  if (parser.isSet(serve)) {
    const QString value = parser.value(serve).trimmed();
    const qsizetype colon = value.lastIndexOf(u':');
    o.serveAddress = colon >= 0 ? value.left(colon) : u"127.0.0.1"_s;
    if (o.serveAddress.startsWith(u'[') && o.serveAddress.endsWith(u']'))
      o.serveAddress = o.serveAddress.mid(1, o.serveAddress.size() - 2);
    const auto port = integer(u"serve"_s, value.mid(colon + 1), 1, 65534, error);
    if (!port) return fail();
    if (QHostAddress(o.serveAddress).isNull()) {
      error = u"--serve: '%1' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)"_s.arg(o.serveAddress);
      return fail();
    }
    o.servePort = static_cast<quint16>(*port);
  }
  if (parser.isSet(theme)) {
    const auto scheme = Theme::schemeFromString(parser.value(theme));
    if (!scheme) {
      error = u"--theme: '%1' is not light, dark or system"_s.arg(parser.value(theme));
      return fail();
    }
    o.theme = *scheme;
  }
  if (parser.isSet(shards)) {
    if (QString why = sharding::parseShards(parser.value(shards), &o.sharding.shards); !why.isEmpty()) {
      error = u"--shards: %1"_s.arg(why);
      return fail();
    }
  }
  if (parser.isSet(shardKey)) {
    if (QString why = sharding::parseKeyField(parser.value(shardKey), &o.sharding.keyField); !why.isEmpty()) {
      error = u"--shard-key: %1"_s.arg(why);
      return fail();
    }
  }
  if (parser.isSet(sharder)) {
    if (QString why = sharding::parseSharder(parser.value(sharder).trimmed(), &o.sharding.sharder); !why.isEmpty()) {
      error = u"--sharder: %1"_s.arg(why);
      return fail();
    }
  }
  o.hasSharding = parser.isSet(shards) || parser.isSet(shardKey) || parser.isSet(sharder);
  if (!o.sharding.sharded() && (parser.isSet(shardKey) || parser.isSet(sharder))) {
    error =
        u"--%1: only for a sharded log (add --shards N)"_s.arg(parser.isSet(shardKey) ? u"shard-key"_s : u"sharder"_s);
    return fail();
  }
  if (QString why = sharding::validate(o.sharding); !why.isEmpty()) {
    error = u"--sharder: %1"_s.arg(why);
    return fail();
  }
  if (parser.isSet(keySkew)) {
    const auto skew = memlog::sim::parse_key_skew(parser.value(keySkew).trimmed().toStdString());
    if (!skew) {
      error = u"--key-skew: %1"_s.arg(QString::fromStdString(skew.error()));
      return fail();
    }
    o.source.skew = *skew;
    o.hasKeySkew = true;
  }
  if (parser.isSet(lesson)) {
    o.lesson = parser.value(lesson).trimmed();
    if (o.lesson.isEmpty()) {
      error = u"--lesson: give a lesson's name, a lesson file, or list"_s;
      return fail();
    }
    if (o.lesson == u"list"_s) {
      result.action = CommandLine::Action::listLessons;
      return result;
    }
  }
  o.headless = parser.isSet(headless);
  o.present = parser.isSet(present);
  if (o.headless && o.present) {
    error = u"--present: there is no window to present with --headless"_s;
    return fail();
  }
  if (o.headless && !o.screenshot.isEmpty()) {
    error = u"--screenshot: there is no window to take a picture of with --headless"_s;
    return fail();
  }
  return result;
}
