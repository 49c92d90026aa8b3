// SPDX-License-Identifier: MIT
// The real memlog-monitor in a real X window: started under Xvfb with command-line options,
// left to run, screenshotted by its own --screenshot; the picture must show a rendered window
// (the table, the segments and the charts draw many colours; a blank or failed window does
// not). Compare mode is opened as a user would, from the menu with the keyboard (xdotool), and
// the whole screen photographed (ImageMagick's import). Bad command-line values must fail fast
// with exit code 2 and one line on stderr.
#include <QDeadlineTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>  // NOLINT(modernize-deprecated-headers): kill() is POSIX, declared by <signal.h>, not by <csignal>

#include <cerrno>
#include <optional>
#include <set>

namespace {
// A loopback port P with P + 1 free too (HTTP on P, WebSocket on P + 1): both bound, then
// released on return; `fallback` if no such pair turns up in 50 tries.
quint16 freePortPair(quint16 fallback) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    QTcpServer http;
    if (!http.listen(QHostAddress::LocalHost, 0)) break;
    const quint16 port = http.serverPort();
    if (port == 65535) continue;  // no port after it
    QTcpServer webSocket;
    if (webSocket.listen(QHostAddress::LocalHost, static_cast<quint16>(port + 1))) return port;
  }
  return fallback;
}

// Appends what `app` printed since the last call to `out`; true once `out` holds `text`.
bool printed(QProcess& app, QByteArray& out, const char* text) {
  out += app.readAllStandardOutput();
  return out.contains(text);
}

// The first of `programs` that is not installed, or an empty string.
QString missing(const QStringList& programs) {
  for (const QString& program : programs)
    if (QStandardPaths::findExecutable(program).isEmpty()) return program;
  return {};
}

// The colours of every third pixel of every third line: a rendered window has hundreds, a
// blank or failed one a few.
std::set<QRgb> coloursOf(const QImage& image) {
  std::set<QRgb> colours;
  for (int y = 0; y < image.height(); y += 3)
    for (int x = 0; x < image.width(); x += 3) colours.insert(image.pixel(x, y));
  return colours;
}

// Whether one of `colours` is `want`, give or take a little antialiasing.
bool hasColour(const std::set<QRgb>& colours, QRgb want) {
  return std::any_of(colours.begin(), colours.end(), [want](QRgb c) {
    return qAbs(qRed(c) - qRed(want)) < 6 && qAbs(qGreen(c) - qGreen(want)) < 6 && qAbs(qBlue(c) - qBlue(want)) < 6;
  });
}

// The real memlog-monitor under xvfb-run on a screen of its own, with its own settings folder
// (which also holds its screenshots). Between xvfb-run and the monitor, a shell prints the
// display, its X authority file and its own process id — the monitor's, since it execs it:
// what X clients (xdotool, import) need to reach the window, and what to signal to stop it.
class XvfbMonitor {
 public:
  XvfbMonitor() = default;
  XvfbMonitor(const XvfbMonitor&) = delete;
  XvfbMonitor& operator=(const XvfbMonitor&) = delete;
  ~XvfbMonitor() { stop(); }

  // False, with why(), if xvfb-run did not start or did not say its display within a minute.
  bool start(QSize screen, const QStringList& arguments) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));                // a real X window, not offscreen
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.path());  // fresh settings
    m_process.setProcessEnvironment(env);
    m_process.start(
        QStringLiteral("xvfb-run"),
        QStringList{QStringLiteral("-a"), QStringLiteral("-s"),
                    QStringLiteral("-screen 0 %1x%2x24").arg(screen.width()).arg(screen.height()), QStringLiteral("sh"),
                    QStringLiteral("-c"), QStringLiteral(R"(echo "display $DISPLAY $XAUTHORITY $$"; exec "$0" "$@")"),
                    QStringLiteral(MEMLOG_MONITOR_BINARY)} +
            arguments);
    if (!m_process.waitForStarted(30000)) {
      m_why = QStringLiteral("xvfb-run did not start: ") + m_process.errorString();
      return false;
    }
    // xvfb-run waits for the server to be up before running the shell (a loaded machine may
    // take a while): its line comes once the display can be reached.
    const QDeadlineTimer deadline(60000);
    while (!m_process.canReadLine() && m_process.state() == QProcess::Running && !deadline.hasExpired())
      m_process.waitForReadyRead(250);
    const QList<QByteArray> words = m_process.readLine().trimmed().split(' ');
    if (words.size() != 4 || words[0] != "display") {
      m_why = QStringLiteral("no display from xvfb-run: ") + QString::fromLocal8Bit(m_process.readAllStandardError());
      return false;
    }
    m_x11 = QProcessEnvironment::systemEnvironment();
    m_x11.insert(QStringLiteral("DISPLAY"), QString::fromLocal8Bit(words[1]));
    m_x11.insert(QStringLiteral("XAUTHORITY"), QString::fromLocal8Bit(words[2]));
    m_pid = words[3].toLongLong();
    return true;
  }
  QString why() const { return m_why; }
  QString display() const { return m_x11.value(QStringLiteral("DISPLAY")); }

  // Waits for the monitor to quit by itself (--quit-after) and xvfb-run to close the display.
  bool finish(int ms) { return m_process.waitForFinished(ms); }
  QProcess& process() { return m_process; }
  QString filePath(const QString& name) const { return m_dir.filePath(name); }

  // Ends the monitor, as `kill` would, if it still runs; xvfb-run then closes the display.
  void stop() {
    if (m_process.state() == QProcess::NotRunning) return;
    if (m_pid > 0) ::kill(static_cast<pid_t>(m_pid), SIGTERM);
    if (m_process.waitForFinished(30000)) return;
    m_process.kill();  // xvfb-run itself: its server would be left behind, but the run ends
    m_process.waitForFinished(30000);
  }

  // Runs an X client on this display: its standard output if it ran and succeeded.
  std::optional<QByteArray> x11(const QString& program, const QStringList& arguments) const {
    QProcess client;
    client.setProcessEnvironment(m_x11);
    client.start(program, arguments);
    if (!client.waitForFinished(30000) || client.exitStatus() != QProcess::NormalExit || client.exitCode() != 0)
      return std::nullopt;
    return client.readAllStandardOutput();
  }

  // A visible window that `xdotool search` finds by `criteria` (--name PATTERN, --class
  // PATTERN), other than `except`: asked for until one shows or `ms` have passed; empty if
  // none did.
  QString waitForWindow(const QStringList& criteria, int ms, const QString& except = {}) const {
    const QDeadlineTimer deadline(ms);
    do {
      if (const auto found = x11(QStringLiteral("xdotool"),
                                 QStringList{QStringLiteral("search"), QStringLiteral("--onlyvisible")} + criteria))
        for (const QByteArray& window : found->trimmed().split('\n'))
          if (!window.isEmpty() && window != except.toLatin1()) return QString::fromLatin1(window);
      QTest::qWait(200);
    } while (!deadline.hasExpired());
    return {};
  }

 private:
  QTemporaryDir m_dir;
  QProcess m_process;  // xvfb-run; the shell and then the monitor its child
  QProcessEnvironment m_x11;
  qint64 m_pid = 0;  // the monitor's
  QString m_why;
};

// Starts memlog-monitor without a display and with its own settings folder.
void startHeadless(QProcess& app, const QTemporaryDir& config, const QStringList& arguments) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove(QStringLiteral("DISPLAY"));
  env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
  app.setProcessEnvironment(env);
  app.start(QStringLiteral(MEMLOG_MONITOR_BINARY), QStringList{QStringLiteral("--headless")} + arguments);
}
}  // namespace

class TestMonitorWindow : public QObject {
  Q_OBJECT

 private slots:
  void rendersLiveLogUnderXvfb_data() {
    QTest::addColumn<QSize>("screen");
    QTest::addColumn<QString>("theme");  // --theme, if any
    // The segments' fills (Theme: Okabe–Ito's sky blue and bluish green at half strength, over
    // white, or over the dark palette's base).
    QTest::addColumn<QRgb>("history");
    QTest::addColumn<QRgb>("active");
    QTest::addColumn<bool>("dark");
    QTest::addRow("1280x720 projector") << QSize(1280, 720) << QString() << qRgb(0xab, 0xda, 0xf4)
                                        << qRgb(0x80, 0xcf, 0xb9) << false;
    QTest::addRow("1920x1080 desktop") << QSize(1920, 1080) << QString() << qRgb(0xab, 0xda, 0xf4)
                                       << qRgb(0x80, 0xcf, 0xb9) << false;
    QTest::addRow("1280x720, --theme dark")
        << QSize(1280, 720) << QStringLiteral("dark") << qRgb(0x3a, 0x69, 0x84) << qRgb(0x0f, 0x5e, 0x48) << true;
  }
  void rendersLiveLogUnderXvfb() {
    QFETCH(QSize, screen);
    QFETCH(QString, theme);
    QFETCH(QRgb, history);
    QFETCH(QRgb, active);
    QFETCH(bool, dark);
    if (const QString program = missing({QStringLiteral("xvfb-run")}); !program.isEmpty())
      QSKIP(qPrintable(program + QStringLiteral(" is not installed (scripts/setup.sh installs it)")));
    XvfbMonitor app;
    const QString shot = app.filePath(QStringLiteral("monitor.png"));
    QStringList arguments{QStringLiteral("--segment-size"), QStringLiteral("50"),
                          QStringLiteral("--rate"),         QStringLiteral("500"),
                          QStringLiteral("--consumers"),    QStringLiteral("3"),
                          QStringLiteral("--quit-after"),   QStringLiteral("4"),
                          QStringLiteral("--screenshot"),   shot};
    if (!theme.isEmpty()) arguments << QStringLiteral("--theme") << theme;
    QVERIFY2(app.start(screen, arguments), qPrintable(app.why()));
    QVERIFY(app.finish(90000));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QVERIFY2(app.process().exitCode() == 0, app.process().readAllStandardError().constData());

    QImage image(shot);
    QVERIFY2(!image.isNull(), "no screenshot");
    // The first start fits the screen: all of a small one, most of a large one, never more.
    QVERIFY2(image.width() <= screen.width() && image.height() <= screen.height() &&
                 image.width() >= screen.width() * 3 / 4 && image.height() >= screen.height() * 3 / 4,
             qPrintable(QStringLiteral("%1x%2 on a %3x%4 screen")
                            .arg(image.width())
                            .arg(image.height())
                            .arg(screen.width())
                            .arg(screen.height())));
    const std::set<QRgb> colours = coloursOf(image);
    QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
    // The segments picture's colours are there: the history's blue and the active's green.
    QVERIFY2(hasColour(colours, history) && hasColour(colours, active), "the segments were not drawn");
    // Dark: the whole window, not just some views (most of it dark, the text light on it).
    int darkPixels = 0, samples = 0;
    for (int y = 0; y < image.height(); y += 5)
      for (int x = 0; x < image.width(); x += 5, ++samples) darkPixels += QColor(image.pixel(x, y)).lightness() < 100;
    if (dark)
      QVERIFY2(darkPixels > samples * 85 / 100, qPrintable(QStringLiteral("%1 of %2").arg(darkPixels).arg(samples)));
    else
      QVERIFY2(darkPixels < samples * 30 / 100, qPrintable(QStringLiteral("%1 of %2").arg(darkPixels).arg(samples)));
    const QString keep = QDir::temp().filePath(  // for a person to look at
        QStringLiteral("memlog-monitor-test-%1x%2%3.png").arg(screen.width()).arg(screen.height()).arg(theme));
    QFile::remove(keep);
    QFile::copy(shot, keep);
  }

  // A sharded log in a real window: 8 shards (lanes) on a projector, 256 (a heat-map) on a
  // desktop, a hot key making one shard busy. The picture is kept for a person to look at.
  void shardedWindowUnderXvfb_data() {
    QTest::addColumn<QSize>("screen");
    QTest::addColumn<int>("shards");
    QTest::addRow("8 shards, 1280x720") << QSize(1280, 720) << 5;
    QTest::addRow("256 shards, 1920x1080") << QSize(1920, 1080) << 5;
  }
  void shardedWindowUnderXvfb() {
    QFETCH(QSize, screen);
    QFETCH(int, shards);
    if (const QString program = missing({QStringLiteral("xvfb-run")}); !program.isEmpty())
      QSKIP(qPrintable(program + QStringLiteral(" is not installed (scripts/setup.sh installs it)")));
    XvfbMonitor app;
    const QString shot = app.filePath(QStringLiteral("sharded.png"));
    QVERIFY2(app.start(screen, {QStringLiteral("--shards"), QString::number(shards), QStringLiteral("--key-skew"),
                                QStringLiteral("hot:0.4"), QStringLiteral("--segment-size"), QStringLiteral("100"),
                                QStringLiteral("--rate"), QStringLiteral("800"), QStringLiteral("--quit-after"),
                                QStringLiteral("5"), QStringLiteral("--screenshot"), shot}),
             qPrintable(app.why()));
    QVERIFY(app.finish(90000));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QVERIFY2(app.process().exitCode() == 0, app.process().readAllStandardError().constData());
    QImage image(shot);
    QVERIFY2(!image.isNull(), "no screenshot");
    QVERIFY(image.width() <= screen.width() && image.height() <= screen.height());
    const std::set<QRgb> colours = coloursOf(image);
    QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
    const QString keep = QDir::temp().filePath(QStringLiteral("memlog-monitor-test-%1-shards.png").arg(shards));
    QFile::remove(keep);
    QFile::copy(shot, keep);
  }

  // A lesson in presenter mode on a 1280×720 projector: the window is the whole screen and the
  // picture is kept for a person to look at.
  void lessonInPresenterModeUnderXvfb() {
    if (const QString program = missing({QStringLiteral("xvfb-run")}); !program.isEmpty())
      QSKIP(qPrintable(program + QStringLiteral(" is not installed (scripts/setup.sh installs it)")));
    XvfbMonitor app;
    const QString shot = app.filePath(QStringLiteral("present.png"));
    QVERIFY2(app.start(QSize(1280, 720),
                       {QStringLiteral("--lesson"), QStringLiteral("segments"), QStringLiteral("--present"),
                        QStringLiteral("--quit-after"), QStringLiteral("4"), QStringLiteral("--screenshot"), shot}),
             qPrintable(app.why()));
    QVERIFY(app.finish(90000));
    QVERIFY2(app.process().exitCode() == 0, app.process().readAllStandardError().constData());
    QImage image(shot);
    QVERIFY2(!image.isNull(), "no screenshot");
    QCOMPARE(image.size(), QSize(1280, 720));  // full screen
    const std::set<QRgb> colours = coloursOf(image);
    QVERIFY2(colours.size() > 100, qPrintable(QString::number(colours.size())));
    const QString keep = QDir::temp().filePath(QStringLiteral("memlog-monitor-test-presenter.png"));
    QFile::remove(keep);
    QFile::copy(shot, keep);
  }

  // Leaving presenter mode (Esc) puts the window back where it was, whole on the 1280×720
  // screen: with no window manager's frame, restoring the saved geometry alone left it a title
  // bar lower, its status bar off the screen.
  void leavingPresenterModeKeepsTheWindowOnScreen() {
    if (const QString program = missing({QStringLiteral("xvfb-run"), QStringLiteral("xdotool")}); !program.isEmpty())
      QSKIP(qPrintable(program + QStringLiteral(" is not installed (scripts/setup.sh installs it)")));
    XvfbMonitor app;
    QVERIFY2(app.start(QSize(1280, 720),
                       {QStringLiteral("--present"), QStringLiteral("--quit-after"), QStringLiteral("120")}),
             qPrintable(app.why()));
    const QString window = app.waitForWindow({QStringLiteral("--name"), QStringLiteral("^memlog monitor$")}, 60000);
    QVERIFY2(!window.isEmpty(), "the monitor's window did not show");
    const auto geometry = [&] {
      const auto out = app.x11(QStringLiteral("xdotool"), {QStringLiteral("getwindowgeometry"), window});
      return out ? QString::fromUtf8(*out).simplified() : QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(geometry().contains(QStringLiteral("Position: 0,0")), 10000);
    // Esc, given to the window explicitly (no window manager gives it the focus); the layout
    // and the geometry come back at once.
    QVERIFY(app.x11(QStringLiteral("xdotool"), {QStringLiteral("windowfocus"), QStringLiteral("--sync"), window,
                                                QStringLiteral("key"), QStringLiteral("Escape")}));
    QTest::qWait(2000);
    QTRY_VERIFY2_WITH_TIMEOUT(geometry().contains(QStringLiteral("Position: 0,0")), qPrintable(geometry()), 10000);
    QVERIFY2(geometry().contains(QStringLiteral("Geometry: 1280x720")), qPrintable(geometry()));
    app.stop();
  }

  // Compare mode on a 1280×720 projector, opened as a user would: View → Compare with another
  // log…, a segment size or a shard count typed into the dialog, Enter. A few seconds later, when
  // both logs have purged, the whole screen is photographed: the compare window, all on the
  // screen, over the monitor's. The picture is kept in the build's test folder
  // (docs/screenshot-compare.png and docs/screenshot-compare-shards.png are two).
  void compareModeUnderXvfb_data() {
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("keys");  // in the dialog, from its first field
    QTest::addColumn<QString>("windowName");
    QTest::addColumn<QString>("picture");
    QTest::addColumn<bool>("historyShown");  // a consumer overtaken on every shard tints the shards' histories
    QTest::addRow("segment sizes: 100 and 1,000")
        << QStringList{QStringLiteral("--segment-size"), QStringLiteral("100")}
        << QStringList{QStringLiteral("ctrl+a"), QStringLiteral("1"), QStringLiteral("0"), QStringLiteral("0"),
                       QStringLiteral("0")}
        << QStringLiteral("compare segment sizes") << QStringLiteral("screenshot-compare.png") << true;
    QTest::addRow("shard counts: 4 and 16")
        << QStringList{QStringLiteral("--segment-size"), QStringLiteral("100"), QStringLiteral("--shards"),
                       QStringLiteral("4")}
        << QStringList{QStringLiteral("Tab"), QStringLiteral("ctrl+a"), QStringLiteral("1"), QStringLiteral("6")}
        << QStringLiteral("compare shard counts") << QStringLiteral("screenshot-compare-shards.png") << false;
  }

  void compareModeUnderXvfb() {
    QFETCH(QStringList, options);
    QFETCH(QStringList, keys);
    QFETCH(QString, windowName);
    QFETCH(QString, picture);
    QFETCH(bool, historyShown);
    if (const QString program =
            missing({QStringLiteral("xvfb-run"), QStringLiteral("xdotool"), QStringLiteral("import")});
        !program.isEmpty())
      QSKIP(qPrintable(program + QStringLiteral(" is not installed (scripts/setup.sh installs it)")));
    const QSize screen(1280, 720);
    XvfbMonitor app;
    // --quit-after only in case the test dies: once done, the test stops the monitor itself.
    QVERIFY2(app.start(screen, options + QStringList{QStringLiteral("--rate"), QStringLiteral("1000"),
                                                     QStringLiteral("--consumers"), QStringLiteral("2"),
                                                     QStringLiteral("--quit-after"), QStringLiteral("170")}),
             qPrintable(app.why()));
    const QString monitor = app.waitForWindow({QStringLiteral("--name"), QStringLiteral("^memlog monitor$")}, 60000);
    QVERIFY2(!monitor.isEmpty(), "the monitor's window did not show");

    // The menu from the keyboard: Alt+V opens View (its popup is another window of the
    // application's, with no name), M is Co&mpare's mnemonic. Without a window manager nothing
    // gives a window the focus, so it is given explicitly. A key lost on a busy machine is
    // retried.
    const auto key = [&](const QString& window, const QStringList& keys) {
      return app
          .x11(QStringLiteral("xdotool"),
               QStringList{QStringLiteral("windowfocus"), QStringLiteral("--sync"), window, QStringLiteral("key")} +
                   keys)
          .has_value();
    };
    QString dialog;
    for (int attempt = 0; attempt < 5 && dialog.isEmpty(); ++attempt) {
      QVERIFY(key(monitor, {QStringLiteral("Escape"), QStringLiteral("alt+v")}));
      const QString menu =
          app.waitForWindow({QStringLiteral("--class"), QStringLiteral("^memlog-monitor$")}, 10000, monitor);
      if (menu.isEmpty()) continue;
      QVERIFY(app.x11(QStringLiteral("xdotool"), {QStringLiteral("key"), QStringLiteral("m")}));
      dialog = app.waitForWindow({QStringLiteral("--name"), QStringLiteral("^Compare with another log$")}, 10000);
    }
    QVERIFY2(!dialog.isEmpty(), "View → Compare with another log… did not open its dialog");
    QVERIFY(key(dialog, keys + QStringList{QStringLiteral("Return")}));
    const QString compare = app.waitForWindow({QStringLiteral("--name"), windowName}, 30000);
    QVERIFY2(!compare.isEmpty(), "the compare window did not show");

    // All of it on the screen.
    const std::optional<QByteArray> geometry =
        app.x11(QStringLiteral("xdotool"), {QStringLiteral("getwindowgeometry"), QStringLiteral("--shell"), compare});
    QVERIFY(geometry);
    QHash<QByteArray, int> place;
    for (const QByteArray& line : geometry->split('\n'))
      if (const qsizetype equals = line.indexOf('='); equals > 0)
        place[line.left(equals)] = line.mid(equals + 1).toInt();
    const QRect window(place.value("X"), place.value("Y"), place.value("WIDTH"), place.value("HEIGHT"));
    QVERIFY2(QRect(QPoint(0, 0), screen).contains(window) && window.width() >= screen.width() * 3 / 4,
             geometry->constData());

    // At 1,000 records/s a segment of 1,000 fills in a second: both logs have purged after
    // three (the right one's first purge needs two full segments and one record more); 16
    // shards of 100 get about 60 records/s each: they have purged too.
    QTest::qWait(5000);
    const QString shot = app.filePath(picture);
    QVERIFY(app.x11(QStringLiteral("import"), {QStringLiteral("-window"), QStringLiteral("root"), shot}));
    app.stop();

    // Kept first, to be looked at when a check below fails.
    const QString keep = QDir(QStringLiteral(MEMLOG_TEST_OUTPUT_DIR)).filePath(picture);
    QFile::remove(keep);
    QVERIFY(QFile::copy(shot, keep));
    qInfo("compare mode at 1280x720: %s", qPrintable(keep));
    const QImage image(shot);
    QVERIFY2(!image.isNull(), "no screenshot");
    QCOMPARE(image.size(), screen);
    const std::set<QRgb> colours = coloursOf(image);
    QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
    // Both pictures: the active segments' bluish green and the histories' sky blue (Theme).
    QVERIFY2(hasColour(colours, qRgb(0x80, 0xcf, 0xb9)), "no active segment drawn");
    QVERIFY2(!historyShown || hasColour(colours, qRgb(0xab, 0xda, 0xf4)), "no history segment drawn");
  }

  // --headless --serve: no window, no display; the HTTP API answers and status lines are printed.
  void headlessServes() {
    const quint16 port = freePortPair(40123);
    QTemporaryDir dir;
    QProcess app;
    startHeadless(
        app, dir,
        {QStringLiteral("--serve"), QString::number(port), QStringLiteral("--segment-size"), QStringLiteral("100"),
         QStringLiteral("--rate"), QStringLiteral("300"), QStringLiteral("--quit-after"), QStringLiteral("120")});
    QVERIFY(app.waitForStarted());
    QByteArray out;
    QTRY_VERIFY2_WITH_TIMEOUT(printed(app, out, "serving http://127.0.0.1:"),
                              QByteArray(out + app.readAllStandardError()).constData(), 10000);
    QNetworkAccessManager http;
    QByteArray body;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          QNetworkReply* reply = http.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/range").arg(port))));
          QSignalSpy done(reply, &QNetworkReply::finished);
          done.wait(3000);
          body = reply->readAll();
          reply->deleteLater();
          return body.contains("\"latest\"") && !body.contains("\"latest\":-1");
        }(),
        30000);
    // Stopped as a service manager stops it (not by a --quit-after racing a loaded machine).
    app.terminate();
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitCode(), 0);
  }

  // journalctl -f | memlog-monitor --headless --source stdin --serve P: every line a record,
  // served over HTTP; the end of the input does not end the process (the log is still served).
  void headlessReadsStandardInput() {
    const quint16 port = freePortPair(40125);
    QTemporaryDir dir;
    QProcess app;
    startHeadless(
        app, dir,
        {QStringLiteral("--source"), QStringLiteral("stdin"), QStringLiteral("--serve"), QString::number(port),
         QStringLiteral("--consumers"), QStringLiteral("1"), QStringLiteral("--quit-after"), QStringLiteral("120")});
    QVERIFY(app.waitForStarted());
    app.write("Nov 25 10:00:01 host sshd[1]: session opened\nNov 25 10:00:02 host cron[2]: job done\n\n");
    app.write("line without a newline at the end");
    app.closeWriteChannel();
    QNetworkAccessManager http;
    QJsonArray records;
    QTRY_COMPARE_WITH_TIMEOUT(
        [&] {
          QNetworkReply* reply =
              http.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/records?from=earliest").arg(port))));
          QSignalSpy done(reply, &QNetworkReply::finished);
          done.wait(3000);
          records = QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("records")).toArray();
          reply->deleteLater();
          return records.size();
        }(),
        3, 30000);
    QCOMPARE(records[0].toObject().value(QStringLiteral("payload")).toString(),
             QStringLiteral("Nov 25 10:00:01 host sshd[1]: session opened"));
    QCOMPARE(records[2].toObject().value(QStringLiteral("payload")).toString(),
             QStringLiteral("line without a newline at the end"));
    app.terminate();
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitCode(), 0);
    const QByteArray out = app.readAllStandardOutput();
    QVERIFY2(out.contains("source stdin opened"), out.constData());
    QVERIFY2(out.contains("source stdin finished (end of input after 4 lines"), out.constData());
    QVERIFY2(out.contains("written 3 offsets 0-2"), out.constData());
  }

  // seq 1 300000 | memlog-monitor --headless --source stdin: the end of the input does not end
  // the run; whatever does (--quit-after, Ctrl+C, kill) leaves one last line saying what
  // happened, and a signal is a normal quit (exit code 0, settings saved).
  void headlessEndsWithASummary_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("quitBy");         // "quit-after" or the signal sent
    QTest::addColumn<QByteArrayList>("fragments");  // all in the summary line
    const QStringList stdinSource{QStringLiteral("--source"), QStringLiteral("stdin")};
    const QStringList quitAfter{QStringLiteral("--quit-after"), QStringLiteral("3")};
    const QByteArray threeRecords = "one\ntwo\n\nthree";  // a blank line is no record
    QTest::addRow("--quit-after after the end of input")
        << stdinSource + quitAfter << threeRecords << QByteArrayLiteral("quit-after")
        << QByteArrayList{"summary after ", "s: source stdin finished (end of input after 4 lines, 14 bytes)",
                          " written 3 offsets 0-2 retained 0-2 purges 0 problems 0"};
    QTest::addRow("Ctrl+C after the end of input")
        << stdinSource << threeRecords << QByteArrayLiteral("SIGINT")
        << QByteArrayList{"s (SIGINT): source stdin finished", " written 3 offsets 0-2 ", " problems 0"};
    QTest::addRow("kill after the end of input")
        << stdinSource << threeRecords << QByteArrayLiteral("SIGTERM")
        << QByteArrayList{"s (SIGTERM): source stdin finished", " written 3 offsets 0-2 ", " problems 0"};
    QTest::addRow("a line over the record limit is a problem")
        << stdinSource + quitAfter + QStringList{QStringLiteral("--max-record-bytes"), QStringLiteral("4")}
        << QByteArrayLiteral("one\ntoo long\nsix\n") << QByteArrayLiteral("quit-after")
        << QByteArrayList{"source stdin finished (end of input after 3 lines", " written 2 offsets 0-1 ",
                          " problems 1"};
    QTest::addRow("offsets from --start-offset")
        << stdinSource + quitAfter + QStringList{QStringLiteral("--start-offset"), QStringLiteral("100")}
        << threeRecords << QByteArrayLiteral("quit-after")
        << QByteArrayList{" written 3 offsets 100-102 retained 100-102 "};
    QTest::addRow("nothing read") << stdinSource + quitAfter << QByteArray() << QByteArrayLiteral("quit-after")
                                  << QByteArrayList{"source stdin finished", " written 0 offsets none purges 0 "};
    QTest::addRow("the simulation") << QStringList{QStringLiteral("--source"), QStringLiteral("sensor"),
                                                   QStringLiteral("--rate"), QStringLiteral("100")} +
                                           quitAfter
                                    << QByteArray() << QByteArrayLiteral("quit-after")
                                    << QByteArrayList{"s: source sensor written ", " offsets 0-", " problems 0"};
  }
  void headlessEndsWithASummary() {
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, quitBy);
    QFETCH(QByteArrayList, fragments);
    QTemporaryDir dir;
    QProcess app;
    startHeadless(app, dir, arguments);
    QVERIFY(app.waitForStarted());
    app.write(input);
    app.closeWriteChannel();
    QByteArray out;
    if (quitBy != "quit-after") {
      // The periodic status line (every 5 s) says when the input has all been read.
      QTRY_VERIFY2_WITH_TIMEOUT(printed(app, out, "source stdin finished records 3"), out.constData(), 20000);
      QVERIFY(::kill(static_cast<pid_t>(app.processId()), quitBy == "SIGINT" ? SIGINT : SIGTERM) == 0);
    }
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    out += app.readAllStandardOutput();
    QCOMPARE(out.count("summary"), 1);
    const QByteArray summary = out.trimmed().split('\n').constLast();  // the last line
    QVERIFY2(summary.startsWith("summary after "), out.constData());
    for (const QByteArray& fragment : fragments) QVERIFY2(summary.contains(fragment), summary.constData());
  }

  // A headless lesson stopped by a signal before its end says at which step, and exits 3 — not
  // 0, which means the lesson completed. The same signal again while it quits (`timeout` sends it
  // to the process and to its group) is the same request: the clean-up still runs.
  void headlessLessonInterrupted_data() {
    QTest::addColumn<bool>("again");  // a second SIGTERM right after the first
    QTest::addRow("SIGTERM once") << false;
    QTest::addRow("SIGTERM again right after") << true;
  }
  void headlessLessonInterrupted() {
    QFETCH(bool, again);
    QTemporaryDir dir;
    QProcess app;
    startHeadless(app, dir, {QStringLiteral("--lesson"), QStringLiteral("slow-consumer")});
    QVERIFY(app.waitForStarted());
    QByteArray out;
    QTRY_VERIFY2_WITH_TIMEOUT(printed(app, out, "step 1/4"), out.constData(), 30000);
    const auto pid = static_cast<pid_t>(app.processId());
    QVERIFY(::kill(pid, SIGTERM) == 0);
    if (again) {
      // A moment later, not at once: two at once are merged by the kernel into one. Without its
      // fix (SA_RESETHAND) this one killed the app before its clean-up.
      QTest::qSleep(0);
      QVERIFY(::kill(pid, SIGTERM) == 0 || errno == ESRCH);  // gone already: nothing to check
    }
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 3);
    out += app.readAllStandardOutput();
    const QByteArray last = out.trimmed().split('\n').constLast();
    QVERIFY2(last.startsWith("lesson slow-consumer interrupted by SIGTERM at step "), out.constData());
  }

  // A source that is not there: a clear message on stderr (and in the status lines), retried;
  // the process keeps running and quits normally.
  void missingFileIsReportedOnStderr() {
    QTemporaryDir dir;
    QProcess app;
    const QString missing = dir.filePath(QStringLiteral("not-yet.log"));
    startHeadless(app, dir,
                  {QStringLiteral("--source"), QStringLiteral("file:") + missing, QStringLiteral("--quit-after"),
                   QStringLiteral("2")});
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitCode(), 0);
    const QByteArray err = app.readAllStandardError();
    const QByteArray expected = QByteArray("memlog-monitor: source: file:") + missing.toUtf8() + ": cannot open " +
                                missing.toUtf8() + ": No such file or directory; retrying in";
    QVERIFY2(err.contains(expected), err.constData());
  }

  void badValuesExitWithCode2_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addRow("zero segment size") << QStringList{QStringLiteral("--segment-size"), QStringLiteral("0")};
    QTest::addRow("non-numeric rate") << QStringList{QStringLiteral("--rate"), QStringLiteral("fast")};
    QTest::addRow("unknown source") << QStringList{QStringLiteral("--source"), QStringLiteral("mainframe")};
    QTest::addRow("malformed source") << QStringList{QStringLiteral("--source"), QStringLiteral("redis:nohost")};
    QTest::addRow("malformed mirror") << QStringList{QStringLiteral("--mirror"), QStringLiteral("redis:h:1/s@0")};
    QTest::addRow("overflowing offset") << QStringList{QStringLiteral("--start-offset"),
                                                       QStringLiteral("123456789012345678901234")};
  }
  void badValuesExitWithCode2() {
    QFETCH(QStringList, arguments);
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));  // no window is ever made: no display needed
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(MEMLOG_MONITOR_BINARY), arguments);
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitCode(), 2);
    const QByteArray err = app.readAllStandardError().trimmed();
    QVERIFY(err.startsWith("memlog-monitor: "));
    QCOMPARE(err.count('\n'), 0);
  }
};

QTEST_GUILESS_MAIN(TestMonitorWindow)
#include "tst_monitor_window.moc"
