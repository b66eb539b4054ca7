// Exports (normad/Exports.h, normad/Npz.h): .npy/.npz layout, round trips, NumPy reading what the
// engine wrote and the engine reading what NumPy wrote, refusals of bad files, atomic saves under
// SIGKILL.

#include "normad/Exports.h"
#include "normad/Npz.h"
#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"
#include "normad/Version.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace normad;

namespace {

constexpr const char* python = "/usr/bin/python3"; // Debian's, with python3-numpy

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

/// Runs a Python script with NumPy; returns stdout, or a null array with the error in `error`.
QByteArray runPython(const QString& script, const QString& workDir, QString& error)
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.start(QString::fromLatin1(python), {QStringLiteral("-c"), script});
    if (!p.waitForStarted(10000) || !p.waitForFinished(60000)) {
        error = QStringLiteral("python3 did not run: ") + p.errorString();
        return {};
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        error = QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    return p.readAllStandardOutput();
}

/// A double from Python's float.hex().
double fromHex(const QJsonValue& v)
{
    return std::strtod(v.toString().toLatin1().constData(), nullptr);
}

Project smallXor()
{
    generators::XorOptions o;
    o.groupSize = 6;
    o.hidden = 5;
    o.duration = 0.05;
    Project p = generators::xorTask(3, o);
    p.ensureWeights();
    EpochMetrics e;
    e.epoch = 1;
    e.meanCorrelation = 0.25;
    e.minCorrelation = 0.125;
    e.layerRates = {12.5, 3.0};
    e.patterns.resize(p.task.patterns.size());
    p.history.push_back(e);
    return p;
}

/// A raster with awkward doubles (not short decimals), some empty trains.
SpikeRaster randomRaster(int neurons, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> time(0.0, 0.5);
    std::uniform_int_distribution<int> count(0, 6);
    SpikeRaster r(static_cast<std::size_t>(neurons));
    for (SpikeTrain& t : r) {
        const int n = count(rng);
        for (int i = 0; i < n; ++i)
            t.push_back(time(rng));
        std::sort(t.begin(), t.end());
    }
    return r;
}

bool identical(const SpikeRaster& a, const SpikeRaster& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].size() != b[i].size())
            return false;
        for (std::size_t k = 0; k < a[i].size(); ++k)
            if (std::memcmp(&a[i][k], &b[i][k], sizeof(double)) != 0)
                return false;
    }
    return true;
}

} // namespace

class TestExports : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        const QByteArray v = runPython(QStringLiteral("import numpy; print(numpy.__version__)"), m_dir.path(), error);
        QVERIFY2(!v.isEmpty(), qPrintable("NumPy is required (apt-get install python3-numpy): " + error));
    }

    void npyHeaderIsNumpyFormat1_data()
    {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::addColumn<QByteArray>("shapeText");
        QTest::newRow("0-d") << QList<qint64>{} << QByteArray("()");
        QTest::newRow("1-d") << QList<qint64>{3} << QByteArray("(3,)");
        QTest::newRow("2-d") << QList<qint64>{2, 3} << QByteArray("(2, 3)");
        QTest::newRow("empty") << QList<qint64>{0} << QByteArray("(0,)");
    }
    void npyHeaderIsNumpyFormat1()
    {
        QFETCH(QList<qint64>, shape);
        QFETCH(QByteArray, shapeText);
        std::vector<std::int64_t> s(shape.begin(), shape.end());
        std::int64_t n = 1;
        for (auto d : s)
            n *= d;
        const std::string bytes = npyBytes(NpyArray::float64(s, std::vector<double>(static_cast<std::size_t>(n), 1.5)));
        QCOMPARE(QByteArray::fromStdString(bytes.substr(0, 8)), QByteArray("\x93NUMPY\x01\x00", 8));
        const std::size_t headerLength =
            static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        QCOMPARE((10 + headerLength) % 64, std::size_t(0));
        const QByteArray header = QByteArray::fromStdString(bytes.substr(10, headerLength));
        QVERIFY(header.endsWith('\n'));
        QCOMPARE(header.trimmed(), "{'descr': '<f8', 'fortran_order': False, 'shape': " + shapeText + ", }");
        QCOMPARE(bytes.size(), 10 + headerLength + static_cast<std::size_t>(n) * 8);
    }

    void npzRoundTrip()
    {
        NpzArchive a;
        a.add("w", NpyArray::float64({2, 3}, {1.0, -2.5, 3e-300, 0.1, std::nextafter(1.0, 2.0), -0.0}));
        a.add("i", NpyArray::int64({4}, {0, -1, std::numeric_limits<std::int64_t>::max(), 42}));
        a.add("scalar", NpyArray::int64({}, {7}));
        a.add("text", NpyArray::string("µ-Schritt ✓ {\"a\": 1}"));
        a.add("empty text", NpyArray::string(""));
        const std::string bytes = a.toBytes();
        QCOMPARE(QByteArray::fromStdString(a.toBytes()), QByteArray::fromStdString(bytes)); // deterministic
        const NpzArchive b = NpzArchive::fromBytes(bytes);
        QCOMPARE(b.entries().size(), a.entries().size());
        QVERIFY(b.find("w")->doubles() == a.find("w")->doubles());
        QVERIFY(std::signbit(b.find("w")->doubles()[5]));
        QVERIFY(b.find("w")->shape() == (std::vector<std::int64_t>{2, 3}));
        QVERIFY(b.find("i")->integers() == a.find("i")->integers());
        QVERIFY(b.find("scalar")->shape().empty());
        QCOMPARE(b.find("scalar")->integers().at(0), std::int64_t(7));
        QCOMPARE(b.find("text")->text(), a.find("text")->text());
        QCOMPARE(b.find("empty text")->text(), std::string());
    }

    /// NumPy loads the exported weights and spike trains; shapes, dtypes and every value (as
    /// float.hex, so bit-exact) match what the engine holds.
    void numpyReadsExports()
    {
        const Project p = smallXor();
        const QString weights = m_dir.filePath("weights.npz");
        const QString spikes = m_dir.filePath("inputs.npz");
        const QString recorded = m_dir.filePath("hidden.npz");
        try {
            exportWeights(p, weights.toStdString());
            exportSpikes(p, SpikeSource::parse("inputs", 2), spikes.toStdString());
            exportSpikes(p, SpikeSource::parse("layer1", 1), recorded.toStdString());
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        const QString script = QStringLiteral(R"(
import json, numpy as np
out = {}
w = np.load('weights.npz')
out['files'] = sorted(w.files)
for k in w.files:
    if k == 'metadata':
        out['metadata'] = json.loads(str(w[k]))
    else:
        a = w[k]
        out[k] = {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': [float(x).hex() for x in a.ravel()]}
for name in ('inputs', 'hidden'):
    s = np.load(name + '.npz')
    out[name] = {'indices': [int(i) for i in s['indices']], 'indices_dtype': str(s['indices'].dtype),
                 'times': [float(t).hex() for t in s['times']], 'times_dtype': str(s['times'].dtype),
                 'n': int(s['n_neurons']), 'meta': json.loads(str(s['metadata']))}
print(json.dumps(out))
)");
        QString error;
        const QByteArray output = runPython(script, m_dir.path(), error);
        QVERIFY2(!output.isEmpty(), qPrintable(error));
        const QJsonObject o = QJsonDocument::fromJson(output).object();
        QCOMPARE(o["files"].toArray().size(), p.network.layerCount() + 1);
        for (int l = 1; l <= p.network.layerCount(); ++l) {
            const QJsonObject a = o[QStringLiteral("layer%1.weight").arg(l)].toObject();
            const Eigen::MatrixXd& w = p.network.weights(l);
            QCOMPARE(a["dtype"].toString(), QStringLiteral("float64"));
            QCOMPARE(a["shape"].toArray(), (QJsonArray{int(w.rows()), int(w.cols())})); // [n_out, n_in]
            const QJsonArray values = a["values"].toArray();
            QCOMPARE(values.size(), int(w.size()));
            for (Eigen::Index i = 0; i < w.rows(); ++i)
                for (Eigen::Index j = 0; j < w.cols(); ++j)
                    QCOMPARE(fromHex(values[int(i * w.cols() + j)]), w(i, j));
        }
        const QJsonObject meta = o["metadata"].toObject();
        QCOMPARE(meta["seed"].toInteger(), qint64(p.seed));
        QCOMPARE(meta["dt_s"].toDouble(), p.simulation.dt);
        QCOMPARE(meta["version"].toString(), QString::fromLatin1(versionString()));
        QCOMPARE(meta["units"].toObject()["weight"].toString(), QStringLiteral("A"));
        QCOMPARE(meta["layers"].toArray().size(), p.network.layerCount());
        QCOMPARE(meta["layers"].toArray()[0].toObject()["neuron"].toObject()["threshold_V"].toDouble(),
                 p.network.layer(1).neuron.threshold);
        QVERIFY(meta["parameters"].toObject().contains("training"));

        auto checkSpikes = [&](const QJsonObject& s, const SpikeRaster& expected) {
            QCOMPARE(s["indices_dtype"].toString(), QStringLiteral("int64"));
            QCOMPARE(s["times_dtype"].toString(), QStringLiteral("float64"));
            QCOMPARE(s["n"].toInt(), int(expected.size()));
            SpikeRaster fromNumpy(expected.size());
            const QJsonArray indices = s["indices"].toArray(), times = s["times"].toArray();
            QCOMPARE(indices.size(), int(spikeCount(expected)));
            double previous = -1;
            for (int k = 0; k < indices.size(); ++k) {
                const double t = fromHex(times[k]);
                QVERIFY(t >= previous); // sorted by time, as Brian2's SpikeGeneratorGroup likes it
                previous = t;
                fromNumpy[std::size_t(indices[k].toInt())].push_back(t);
            }
            QVERIFY(identical(fromNumpy, expected));
        };
        checkSpikes(o["inputs"].toObject(), p.task.patterns[2].inputs);
        QCOMPARE(o["inputs"].toObject()["meta"].toObject()["source"].toString(), QStringLiteral("inputs"));
        const SpikeRaster hidden = spikesOf(p, SpikeSource::parse("layer1", 1));
        QCOMPARE(hidden.size(), std::size_t(p.network.populationSize(1)));
        checkSpikes(o["hidden"].toObject(), hidden);

        // Sidecars: manifest and training log beside each export.
        QVERIFY(QFile::exists(m_dir.filePath("weights.manifest.json")));
        QVERIFY(readAll(m_dir.filePath("weights.log.csv")).startsWith("epoch,mean_correlation"));
        QCOMPARE(readAll(m_dir.filePath("weights.log.csv")).count('\n'), 2);
    }

    /// What NumPy writes — int32 indices, savez_compressed, big-endian, Fortran order, float32 —
    /// is read back as NumPy holds it.
    void readsWhatNumpyWrites()
    {
        const QString script = QStringLiteral(R"(
import numpy as np
idx = np.array([2, 0, 1, 2], dtype=np.int32)
t = np.array([0.001, 0.0025, 0.1, 0.3])
np.savez('plain.npz', indices=idx, times=t)
np.savez_compressed('compressed.npz', indices=idx.astype('>i8'), times=t.astype('>f8'), n_neurons=np.int64(5))
m = np.arange(6, dtype=np.float64).reshape(2, 3)
np.savez('fortran.npz', m=np.asfortranarray(m), f=np.array([0.5, 1.5], dtype=np.float32), b=np.array([True, False]))
print('ok')
)");
        QString error;
        QVERIFY2(!runPython(script, m_dir.path(), error).isEmpty(), qPrintable(error));
        const SpikeRaster expected{{0.0025}, {0.1}, {0.001, 0.3}};
        try {
            QVERIFY(identical(importSpikes(m_dir.filePath("plain.npz").toStdString()), expected));
            SpikeRaster five = expected;
            five.resize(5);
            QVERIFY(identical(importSpikes(m_dir.filePath("compressed.npz").toStdString()), five));
            const NpzArchive f = NpzArchive::load(m_dir.filePath("fortran.npz").toStdString());
            QVERIFY(f.find("m")->doubles() == (std::vector<double>{0, 1, 2, 3, 4, 5})); // C order
            QVERIFY(f.find("f")->doubles() == (std::vector<double>{0.5, 1.5}));
            QVERIFY(f.find("b")->integers() == (std::vector<std::int64_t>{1, 0}));
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
    }

    void spikeRoundTrip_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("csv") << QStringLiteral("round.csv");
        QTest::newRow("npz") << QStringLiteral("round.npz");
    }
    void spikeRoundTrip()
    {
        QFETCH(QString, file);
        const SpikeRaster raster = randomRaster(17, 5);
        const std::string path = m_dir.filePath(file).toStdString();
        try {
            writeSpikes(raster, path);
            QVERIFY(identical(importSpikes(path, 17), raster));
            // Without the population size: up to the last neuron that spiked (or n_neurons in .npz).
            SpikeRaster trimmed = raster;
            if (file.endsWith(".csv"))
                while (!trimmed.empty() && trimmed.back().empty())
                    trimmed.pop_back();
            QVERIFY(identical(importSpikes(path), trimmed));
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
    }

    void weightsCsvAndJson()
    {
        const Project p = smallXor();
        try {
            exportWeights(p, m_dir.filePath("w.csv").toStdString());
            exportWeights(p, m_dir.filePath("w.JSON").toStdString());
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        const QList<QByteArray> lines = readAll(m_dir.filePath("w.csv")).split('\n');
        QCOMPARE(lines.first(), QByteArray("layer,post,pre,weight_A"));
        QCOMPARE(lines.size() - 2, int(p.network.synapseCount()));
        for (int k = 1; k < lines.size() - 1; ++k) {
            const QList<QByteArray> f = lines[k].split(',');
            QCOMPARE(f.size(), 4);
            QCOMPARE(std::strtod(f[3].constData(), nullptr),
                     p.network.weights(f[0].toInt())(f[1].toInt(), f[2].toInt()));
        }
        const QJsonObject doc = QJsonDocument::fromJson(readAll(m_dir.filePath("w.JSON"))).object();
        QCOMPARE(doc["layers"].toArray().size(), p.network.layerCount());
        const QJsonObject l2 = doc["layers"].toArray()[1].toObject();
        QCOMPARE(l2["key"].toString(), QStringLiteral("layer2.weight"));
        QCOMPARE(l2["weights_A"].toArray()[0].toArray()[3].toDouble(), p.network.weights(2)(0, 3));
        QCOMPARE(doc["metadata"].toObject()["seed"].toInteger(), qint64(p.seed));
    }

    void manifestAndLog()
    {
        const Project p = smallXor();
        const QJsonObject m = QJsonDocument::fromJson(QByteArray::fromStdString(runManifestJson(p, "test"))).object();
        QCOMPARE(m["export"].toString(), QStringLiteral("test"));
        QCOMPARE(m["version"].toString(), QString::fromLatin1(versionString()));
        QCOMPARE(m["epochsTrained"].toInt(), 1);
        const QJsonObject params = m["parameters"].toObject();
        for (const char* key : {"formatVersion", "seed", "simulation", "synapse", "network", "task", "training"})
            QVERIFY2(params.contains(QLatin1String(key)), key);
        QVERIFY(!params["network"].toObject()["layers"].toArray()[0].toObject().contains("weights_A"));
        const std::string log = trainingLogCsv(p.history, 4, 2);
        QVERIFY(log.starts_with(
            "epoch,mean_correlation,min_correlation,van_rossum,spike_count_error,missing,extra,cost,"
            "converged,seconds,c_pattern0,c_pattern1,c_pattern2,c_pattern3,rate_layer1_hz,rate_layer2_hz\n"));
        QVERIFY(log.find("\n1,0.25,0.125,") != std::string::npos);
        QVERIFY(log.ends_with(",12.5,3.0\n")); // formatShortest keeps an integral rate recognisably floating
    }

    void refusesBadSpikeFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<int>("neurons");
        QTest::addColumn<QString>("messageContains");

        QTest::newRow("empty csv") << "e.csv" << QByteArray() << -1 << "header";
        QTest::newRow("wrong header") << "h.csv" << QByteArray("time,neuron\n1,2\n") << -1 << "neuron,time_s";
        QTest::newRow("three fields") << "f.csv" << QByteArray("neuron,time_s\n1,0.1,3\n") << -1 << "line 2";
        QTest::newRow("text neuron") << "t.csv" << QByteArray("neuron,time_s\nx,0.1\n") << -1 << "\"x\"";
        QTest::newRow("fractional neuron")
            << "fr.csv" << QByteArray("neuron,time_s\n1.5,0.1\n") << -1 << "whole number";
        QTest::newRow("text time") << "tt.csv" << QByteArray("neuron,time_s\n1,abc\n") << -1 << "\"abc\"";
        QTest::newRow("negative time") << "n.csv" << QByteArray("neuron,time_s\n\n1,-0.5\n") << -1 << "line 3";
        QTest::newRow("nan time") << "nan.csv" << QByteArray("neuron,time_s\n1,nan\n") << -1 << "finite";
        QTest::newRow("negative neuron") << "nn.csv" << QByteArray("neuron,time_s\n-1,0.1\n") << -1 << "negative";
        QTest::newRow("neuron beyond population") << "b.csv" << QByteArray("neuron,time_s\n4,0.1\n") << 4 << "beyond";
        QTest::newRow("huge neuron") << "hn.csv" << QByteArray("neuron,time_s\n99999999999,0.1\n") << -1 << "largest";
        // A value from the file is quoted short and escaped (quotedText()); a long line is not read whole.
        QTest::newRow("NUL in a time") << "nul.csv" << QByteArray("neuron,time_s\n1,0.\0\xff\n", 20) << -1
                                       << "the time \"0.\\x00\\xff\"";
        QTest::newRow("1 MB line") << "long.csv"
                                   << "neuron,time_s\n1," + QByteArray(1 << 20, '1') + "\n"
                                   << -1 << "line 2: longer than 4096 bytes";
        QTest::newRow("1 MB header") << "lh.csv" << QByteArray(4000, 'h') + "\n" << -1 << "… (4000 bytes)";
        QTest::newRow("wrong extension") << "s.txt" << QByteArray("neuron,time_s\n") << -1 << ".txt";
        QTest::newRow("missing file") << "absent.csv" << QByteArray() << -1 << "no such file";
        QTest::newRow("empty npz") << "e.npz" << QByteArray() << -1 << "not a zip";
        QTest::newRow("text as npz") << "x.npz" << QByteArray("neuron,time_s\n1,2\n") << -1 << "not a zip";
        QTest::newRow("garbage zip") << "g.npz" << QByteArray("PK\x03\x04 garbage garbage garbage") << -1
                                     << "not a valid";

        auto npz = [](const NpzArchive& a) { return QByteArray::fromStdString(a.toBytes()); };
        NpzArchive noTimes;
        noTimes.add("indices", NpyArray::int64({1}, {0}));
        QTest::newRow("no times") << "nt.npz" << npz(noTimes) << -1 << "'times'";
        NpzArchive mismatch = noTimes;
        mismatch.add("times", NpyArray::float64({2}, {0.1, 0.2}));
        QTest::newRow("length mismatch") << "lm.npz" << npz(mismatch) << -1 << "must match";
        NpzArchive twoD;
        twoD.add("indices", NpyArray::int64({1, 1}, {0}));
        twoD.add("times", NpyArray::float64({1}, {0.1}));
        QTest::newRow("2-d indices") << "2d.npz" << npz(twoD) << -1 << "one-dimensional";
        NpzArchive textTimes = noTimes;
        textTimes.add("times", NpyArray::string("0.1"));
        QTest::newRow("text times") << "tx.npz" << npz(textTimes) << -1 << "one-dimensional";
        NpzArchive beyondN = noTimes;
        beyondN.add("times", NpyArray::float64({1}, {0.1}));
        beyondN.add("n_neurons", NpyArray::int64({}, {0}));
        QTest::newRow("index beyond n_neurons") << "bn.npz" << npz(beyondN) << -1 << "n_neurons";
        // n_neurons = 10^15 once sized the raster unchecked.
        NpzArchive hugeN = noTimes;
        hugeN.add("times", NpyArray::float64({1}, {0.1}));
        hugeN.add("n_neurons", NpyArray::int64({}, {1'000'000'000'000'000}));
        QTest::newRow("n_neurons 10^15") << "hn.npz" << npz(hugeN) << -1 << "largest population accepted";

        // A valid archive, then damaged: truncated, and with a corrupted .npy header.
        NpzArchive good;
        good.add("indices", NpyArray::int64({3}, {0, 1, 2}));
        good.add("times", NpyArray::float64({3}, {0.1, 0.2, 0.3}));
        const QByteArray bytes = npz(good);
        QTest::newRow("truncated npz") << "tr.npz" << bytes.left(bytes.size() / 2) << -1 << "npz";
        QByteArray badHeader = bytes;
        badHeader.replace("'descr': '<i8'", "'descr': '|O8'");
        QTest::newRow("object dtype") << "ob.npz" << badHeader << -1 << "pickle";
        QByteArray badShape = bytes;
        badShape.replace("'shape': (3,)", "'shape': (9,)");
        QTest::newRow("shape beyond data") << "sh.npz" << badShape << -1 << "declares";

        QByteArray badMagic = bytes;
        badMagic.replace("\x93NUMPY", "\x93NUMPX");
        QTest::newRow("bad magic") << "mg.npz" << badMagic << -1 << "NUMPY";
    }
    void refusesBadSpikeFiles()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, contents);
        QFETCH(int, neurons);
        QFETCH(QString, messageContains);
        const QString path = m_dir.filePath(QStringLiteral("bad-") + name);
        if (name != QLatin1String("absent.csv"))
            QVERIFY(writeAll(path, contents));
        try {
            importSpikes(path.toStdString(), neurons);
            QFAIL("accepted a bad file");
        } catch (const std::invalid_argument& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(path), qPrintable(message));
            QVERIFY2(message.contains(messageContains), qPrintable(message));
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QStringLiteral("wrong exception type: ") + e.what()));
        }
    }

    /// A size computed from a header is checked arithmetic: (2^61,) of 8-byte items is 2^64 bytes,
    /// which wrapped to 0, matched the empty data, and resize() threw length_error.
    void npyShapeOverflow_data()
    {
        QTest::addColumn<QByteArray>("descr");
        QTest::addColumn<QByteArray>("shape");
        QTest::newRow("(2^61,) <i8") << QByteArray("<i8") << QByteArray("(2305843009213693952,)");
        QTest::newRow("(2^62,) <f4") << QByteArray("<f4") << QByteArray("(4611686018427387904,)");
        QTest::newRow("(2^32, 2^32) |b1") << QByteArray("|b1") << QByteArray("(4294967296, 4294967296)");
        QTest::newRow("(2^40, 2^40, 2) <f8") << QByteArray("<f8") << QByteArray("(1099511627776, 1099511627776, 2)");
        QTest::newRow("(2^62,) <U999999999") << QByteArray("<U999999999") << QByteArray("(4611686018427387904,)");
    }

    void npyShapeOverflow()
    {
        QFETCH(QByteArray, descr);
        QFETCH(QByteArray, shape);
        QByteArray dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
        QByteArray npy = QByteArray("\x93NUMPY\x01\x00", 8);
        npy += static_cast<char>(dict.size() & 0xff);
        npy += static_cast<char>(dict.size() >> 8);
        npy += dict;
        try {
            parseNpy(std::string_view(npy.constData(), static_cast<std::size_t>(npy.size())), "x.npz", "indices");
            QFAIL("accepted a shape beyond the data");
        } catch (const NpzError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith("x.npz: array \"indices\": "), qPrintable(message));
        }
    }

    /// With the trial given, a time outside it is refused naming the line or spike, decided in the
    /// time domain (1e308 s has no int64 step: llround returned LLONG_MIN, "inside the trial").
    void importChecksTheTrial_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("messageContains");
        QTest::newRow("csv 1e308") << "t1.csv" << QByteArray("neuron,time_s\n0,0.01\n0,1e308\n")
                                   << "line 3: spike time 1e308 s is outside the trial [0, 0.1) s";
        QTest::newRow("csv at the end") << "t2.csv" << QByteArray("neuron,time_s\n1,0.1\n") << "line 2";
        QTest::newRow("csv half a step before the end")
            << "t3.csv" << QByteArray("neuron,time_s\n1,0.09996\n") << "line 2";
        NpzArchive late;
        late.add("indices", NpyArray::int64({2}, {0, 1}));
        late.add("times", NpyArray::float64({2}, {0.01, 1e308}));
        QTest::newRow("npz 1e308") << "t4.npz" << QByteArray::fromStdString(late.toBytes())
                                   << "spike 1 (indices/times[1]): spike time 1e308 s is outside the trial";
    }

    void importChecksTheTrial()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, contents);
        QFETCH(QString, messageContains);
        const QString path = m_dir.filePath(name);
        QVERIFY(writeAll(path, contents));
        SimulationParams trial;
        trial.dt = 1e-4;
        trial.duration = 0.1;
        QVERIFY(importSpikes(path.toStdString(), 2).size() == 2); // without the trial: accepted
        try {
            importSpikes(path.toStdString(), 2, &trial);
            QFAIL("accepted a time outside the trial");
        } catch (const std::invalid_argument& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
            QVERIFY2(message.contains(messageContains), qPrintable(message));
        }
    }

    /// The streamed reader gives the trains the whole-text reader gave: sorted, one per neuron.
    void csvReaderSortsAndSizesTrains()
    {
        const SpikeRaster r = spikesFromCsv("neuron,time_s\n\n2,0.3\r\n0,0.2\n2,0.1\n0,0.1", "mem.csv");
        QCOMPARE(r.size(), std::size_t(3));
        QCOMPARE(r[0], (SpikeTrain{0.1, 0.2}));
        QVERIFY(r[1].empty());
        QCOMPARE(r[2], (SpikeTrain{0.1, 0.3}));
        QCOMPARE(spikesFromCsv("neuron,time_s\n1,0.5\n", "mem.csv", 4).size(), std::size_t(4));
    }

    void refusesAProjectWithoutNetwork_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("npz") << "no-network.npz";
        QTest::newRow("csv") << "no-network.csv";
        QTest::newRow("json") << "no-network.json";
    }

    void refusesAProjectWithoutNetwork()
    {
        // An empty project has no weights: refusing beats writing an empty file that looks like a result.
        QFETCH(QString, file);
        const std::string path = m_dir.filePath(file).toStdString();
        try {
            exportWeights(Project{}, path);
            QFAIL("an empty project was exported");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("no network")), e.what());
        }
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
    }

    void refusesBadExportNames()
    {
        const Project p = smallXor();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, exportWeights(p, m_dir.filePath("w.txt").toStdString()));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 exportSpikes(p, SpikeSource::parse("inputs"), m_dir.filePath("s.json").toStdString()));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SpikeSource::parse("layer"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SpikeSource::parse("outputs"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spikesOf(p, SpikeSource::parse("layer3")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spikesOf(p, SpikeSource::parse("inputs", 4)));
        QVERIFY(!QFile::exists(m_dir.filePath("w.txt")));
    }

    /// A process killed at a random moment while it saves leaves the project readable: the old
    /// version or the new one, never a torn file.
    void killDuringSaveKeepsAReadableProject()
    {
        generators::MultilayerOptions o; // ~1 MB of weights: a save takes a while
        Project p = generators::multilayer(2, o);
        p.ensureWeights();
        const std::string path = m_dir.filePath("killed.json").toStdString();
        try {
            saveProject(p, path);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        std::mt19937 rng(7);
        for (int round = 0; round < 6; ++round) {
            const pid_t child = ::fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                Project q = p;
                for (int i = 0;; ++i) {
                    q.name = "save " + std::to_string(i);
                    try {
                        saveProject(q, path);
                    } catch (...) {
                        ::_exit(3);
                    }
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 200));
            ::kill(child, SIGKILL);
            int status = 0;
            ::waitpid(child, &status, 0);
            QVERIFY(WIFSIGNALED(status));
            try {
                const Project loaded = loadProject(path);
                QCOMPARE(loaded.network.weights(1), p.network.weights(1));
            } catch (const std::exception& e) {
                QFAIL(e.what());
            }
        }
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestExports)
#include "tst_exports.moc"
