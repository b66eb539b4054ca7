// Hostile inputs under a memory limit (issue 11, points 1–4): the real `normad` binary (NORMAD_CLI)
// runs in a child whose address space is capped with setrlimit(RLIMIT_AS), on files this test
// writes. Each file is small (≤ 80 MB) but describes far more memory than the cap: the program must
// refuse it with a message naming the file, the place and the count (exit 1 for memory, 2 for a
// bad file), never die of std::bad_alloc, std::terminate or the kernel's OOM killer.
//
// Not run under AddressSanitizer/ThreadSanitizer: they reserve terabytes of address space, so any
// RLIMIT_AS breaks them. tests/cli/CMakeLists.txt registers this suite only without sanitizers, with
// a label ("memory") outside the sanitizer runs of scripts/workbench.sh.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

/// The address-space cap of every run: a little over what normad maps at start (Qt, the engine,
/// one thread); every hostile file below would need well over it without its refusal.
constexpr rlim_t memoryLimitBytes = 1024ull * 1024 * 1024;

struct LimitedRun {
    int exitCode = -1; ///< -1 when killed by a signal
    int signal = 0;
    QByteArray err;
};

/// A small, valid project: 2 inputs, 2 hidden, 1 output, two patterns (docs/project-format.md's
/// example without weights and history). `extra` is inserted as top-level members.
std::string project(std::string simulation = {}, const std::string& inputs = "2", const std::string& extra = {})
{
    if (simulation.empty())
        simulation = R"({"dt_s": 0.0001, "duration_s": 0.1})";
    return R"({"formatVersion": 3, "name": "limits", "seed": 7, "simulation": )" + simulation +
           R"(, "network": {"inputs": )" + inputs +
           R"(, "layers": [{"size": 2}, {"size": 1}]},
  "task": {"patterns": [{"name": "A", "inputs_s": [[0.005, 0.012], [0.02]], "desired_s": [[0.025, 0.07]]},
                        {"name": "B", "inputs_s": [[0.041], [0.003, 0.018]], "desired_s": [[0.06]]}]})" +
           extra + "}";
}

/// `count` copies of `item` joined by commas.
std::string repeated(const std::string& item, std::size_t count)
{
    std::string s;
    s.reserve((item.size() + 1) * count);
    for (std::size_t i = 0; i < count; ++i) {
        if (i)
            s += ',';
        s += item;
    }
    return s;
}

void putLe(std::string& s, std::uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        s += static_cast<char>((v >> (8 * i)) & 0xff);
}

/// A .npy header (format 1.0) for `descr` and `shape`, padded to 64 bytes.
std::string npyHeader(const std::string& descr, const std::string& shape)
{
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
    dict += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    putLe(out, dict.size(), 2);
    return out + dict;
}

/// A zip archive of one entry `name`: `head` followed by `zeros` zero bytes, deflated (a bomb: a
/// few hundred kB for hundreds of MB) or stored. Written by hand: the test needs no zip library.
std::string zipOf(const std::string& name, const std::string& head, std::uint64_t zeros, bool deflated)
{
    const std::string zeroChunk(1 << 20, '\0');
    uLong crc = crc32(0, reinterpret_cast<const Bytef*>(head.data()), static_cast<uInt>(head.size()));
    std::string data;
    z_stream z{};
    if (deflated)
        deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY); // raw deflate, as zip stores it
    auto feed = [&](const char* p, std::size_t n, bool last) {
        if (!deflated) {
            data.append(p, n);
            return;
        }
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
        z.avail_in = static_cast<uInt>(n);
        char out[1 << 16];
        do {
            z.next_out = reinterpret_cast<Bytef*>(out);
            z.avail_out = sizeof out;
            deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
            data.append(out, sizeof out - z.avail_out);
        } while (z.avail_out == 0);
    };
    feed(head.data(), head.size(), zeros == 0);
    for (std::uint64_t left = zeros; left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeroChunk.size()));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(zeroChunk.data()), static_cast<uInt>(n));
        left -= n;
        feed(zeroChunk.data(), n, left == 0);
    }
    if (deflated)
        deflateEnd(&z);
    const std::uint64_t size = head.size() + zeros;
    const int method = deflated ? 8 : 0;
    auto common = [&](std::string& s) {
        putLe(s, 20, 2);     // version needed
        putLe(s, 0, 2);      // flags
        putLe(s, method, 2); // compression
        putLe(s, 0, 4);      // time, date
        putLe(s, crc, 4);
        putLe(s, data.size(), 4);
        putLe(s, size, 4);
        putLe(s, name.size(), 2);
        putLe(s, 0, 2); // extra
    };
    std::string zip;
    putLe(zip, 0x04034b50, 4);
    common(zip);
    zip += name;
    zip += data;
    const std::size_t directory = zip.size();
    putLe(zip, 0x02014b50, 4);
    putLe(zip, 20, 2); // made by
    common(zip);
    putLe(zip, 0, 2); // comment
    putLe(zip, 0, 2); // disk
    putLe(zip, 0, 2); // internal attributes
    putLe(zip, 0, 4); // external attributes
    putLe(zip, 0, 4); // offset of the local header
    zip += name;
    const std::size_t directorySize = zip.size() - directory;
    putLe(zip, 0x06054b50, 4);
    putLe(zip, 0, 4); // disks
    putLe(zip, 1, 2);
    putLe(zip, 1, 2);
    putLe(zip, directorySize, 4);
    putLe(zip, directory, 4);
    putLe(zip, 0, 2);
    return zip;
}

} // namespace

class TestMemoryLimits : public QObject {
    Q_OBJECT

    QString m_cli;
    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    void write(const QString& name, const std::string& bytes)
    {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes.data(), static_cast<qint64>(bytes.size())), static_cast<qint64>(bytes.size()));
    }

    /// Runs normad with `args` in a child limited to `limit` bytes of address space.
    LimitedRun runLimited(const QStringList& args, rlim_t limit = memoryLimitBytes)
    {
        // Everything the child needs is prepared before fork(): after it, only async-signal-safe calls.
        std::vector<QByteArray> storage{m_cli.toLocal8Bit()};
        for (const QString& a : args)
            storage.push_back(a.toLocal8Bit());
        std::vector<char*> argv;
        for (QByteArray& s : storage)
            argv.push_back(s.data());
        argv.push_back(nullptr);
        const QByteArray errPath = path("stderr.txt").toLocal8Bit();
        const int errFd = ::open(errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        const int nullFd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        LimitedRun r;
        if (errFd < 0 || nullFd < 0)
            return r;
        const rlimit cap{limit, limit};
        const pid_t pid = ::fork();
        if (pid == 0) {
            if (::setrlimit(RLIMIT_AS, &cap) != 0 || ::dup2(nullFd, 1) < 0 || ::dup2(errFd, 2) < 0)
                ::_exit(126);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(errFd);
        ::close(nullFd);
        int status = 0;
        if (pid < 0 || ::waitpid(pid, &status, 0) != pid)
            return r;
        if (WIFEXITED(status))
            r.exitCode = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
            r.signal = WTERMSIG(status);
        QFile err(path("stderr.txt"));
        if (err.open(QIODevice::ReadOnly))
            r.err = err.readAll();
        return r;
    }

    /// The run ended with `code` and a short stderr that contains every one of `parts`.
    static void verifyRefusal(const LimitedRun& r, int code, const QStringList& parts)
    {
        const QString err = QString::fromUtf8(r.err.left(2000));
        QVERIFY2(r.signal == 0, qPrintable(QString("killed by signal %1: %2").arg(r.signal).arg(err)));
        QVERIFY2(r.exitCode == code, qPrintable(QString("exit %1: %2").arg(r.exitCode).arg(err)));
        QVERIFY2(r.err.size() < 1000, qPrintable(QString("%1 bytes on stderr").arg(r.err.size())));
        for (const QString& part : parts)
            QVERIFY2(r.err.contains(part.toUtf8()), qPrintable("'" + part + "' not in: " + err));
    }

private slots:
    void initTestCase()
    {
        m_cli = qEnvironmentVariable("NORMAD_CLI");
        QVERIFY2(!m_cli.isEmpty() && QFileInfo(m_cli).isExecutable(), "NORMAD_CLI must name the normad binary");
        QVERIFY(m_dir.isValid());
    }

    /// The cap leaves room for ordinary work: a valid project simulates under it.
    void validProjectRunsUnderTheLimit()
    {
        write("valid.json", project());
        const LimitedRun r = runLimited({"simulate", path("valid.json"), "--out", path("valid-sim")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    /// 20 M empty history entries (60 MB): refused at the first one, which lacks its "epoch",
    /// before the rest is built (they took 23 GB).
    void emptyHistoryEntriesRefusedAtTheFirst()
    {
        write("history.json", project({}, "2", R"(, "history": [)" + repeated("{}", 20'000'000) + "]"));
        verifyRefusal(runLimited({"simulate", path("history.json"), "--out", path("h-sim")}), 2,
                      {"history.json: history[0]:", "\"epoch\""});
    }

    /// 20 M empty arrays under a key the reader ignores (60 MB, ~1.7 GB as a document): the parse
    /// stops at the memory budget, naming the file, the JSON path and the count.
    void documentBeyondTheBudgetRefused()
    {
        write("wide.json", project({}, "2", R"(, "unusedArrays": [)" + repeated("[]", 20'000'000) + "]"));
        verifyRefusal(runLimited({"simulate", path("wide.json"), "--out", path("w-sim")}), 1,
                      {"wide.json: unusedArrays[", "values so far", "of memory; this process can use"});
    }

    /// 20 M empty weight rows (60 MB; 83 M of them took 6.3 GB and 30 s before the refusal): the
    /// parse stops at the memory budget, naming the file and the weights' JSON path.
    void emptyWeightRowsRefused()
    {
        std::string text = project();
        const std::string layers = R"([{"size": 2}, {"size": 1}])";
        text.replace(text.find(layers), layers.size(),
                     R"([{"size": 2, "weights_A": [)" + repeated("[]", 20'000'000) + R"(]}, {"size": 1}])");
        write("rows.json", text);
        verifyRefusal(runLimited({"simulate", path("rows.json"), "--out", path("r-sim")}), 1,
                      {"rows.json: network.layers[0].weights_A[", "of memory; this process can use"});
    }

    /// 10^7 inputs in a file of a few hundred bytes: 3.2 GB of weights, refused before they are
    /// allocated; without a task it is refused for that first, allocating nothing.
    void hugeNetworkRefusedBeforeItsWeights()
    {
        std::string text = project({}, "10000000");
        const std::string layers = R"([{"size": 2}, {"size": 1}])";
        text.replace(text.find(layers), layers.size(), R"([{"size": 40}, {"size": 1}])");
        write("inputs.json", text);
        verifyRefusal(runLimited({"simulate", path("inputs.json"), "--out", path("i-sim")}), 1,
                      {"inputs.json: network: the weights of 10000000 inputs", "of memory"});
        write("notask.json", R"({"formatVersion": 3, "simulation": {"dt_s": 0.0001, "duration_s": 0.1},
            "network": {"inputs": 10000000, "layers": [{"size": 40}]}})");
        verifyRefusal(runLimited({"simulate", path("notask.json"), "--out", path("n-sim")}), 2,
                      {"notask.json: task: required field is missing"});
    }

    /// A 512 MiB array deflated to half a megabyte: refused from the sizes the archive declares,
    /// before inflating (it took 5 GB).
    void npzBombRefusedBeforeInflating()
    {
        write("project.json", project());
        write("bomb.npz", zipOf("indices.npy", npyHeader("<f8", "(67108864,)"), 64ull << 23, true));
        QVERIFY(QFileInfo(path("bomb.npz")).size() < 4 << 20);
        verifyRefusal(runLimited({"import", path("project.json"), "--spikes", path("bomb.npz")}), 1,
                      {"bomb.npz: array \"indices\":", "inflates to", "of memory"});
    }

    /// Shape (2^61,) of 8-byte items and no data: 2^64 bytes wrapped to 0 and passed the size
    /// check; now a bad file (exit 2) naming the file and the array.
    void npzShapeOverflowIsABadFile()
    {
        write("project.json", project());
        write("overflow.npz", zipOf("indices.npy", npyHeader("<i8", "(2305843009213693952,)"), 0, false));
        verifyRefusal(runLimited({"import", path("project.json"), "--spikes", path("overflow.npz")}), 2,
                      {"overflow.npz: array \"indices\":", "2^63"});
    }

    /// 20 M spikes (80 MB) and a bad last line: the CSV is streamed and checked before any train is
    /// sized, so the refusal names the file and the line (it took 6.7 GB, then "out of memory").
    void spikeCsvWithABadLastLine()
    {
        write("project.json", project());
        std::string csv = "neuron,time_s\n";
        csv.reserve(80'000'100);
        for (int i = 0; i < 20'000'000; ++i)
            csv += "0,0\n";
        csv += "0,x\n";
        write("spikes.csv", csv);
        verifyRefusal(runLimited({"import", path("project.json"), "--spikes", path("spikes.csv")}), 2,
                      {"spikes.csv: line 20000002: the time \"x\" is not a number"});
    }

    /// A spike at 1e308 s: t/dt has no int64 step (llround gave LLONG_MIN, "inside the trial").
    void spikeTimeBeyondTheTrial()
    {
        write("project.json", project());
        write("late.csv", "neuron,time_s\n1,0.01\n0,1e308\n");
        verifyRefusal(runLimited({"import", path("project.json"), "--spikes", path("late.csv")}), 2,
                      {"late.csv: line 3: spike time 1e308 s is outside the trial [0, 0.1) s"});
        std::string text = project();
        const std::string desired = R"("desired_s": [[0.06]])";
        text.replace(text.find(desired), desired.size(), R"("desired_s": [[0.06, 1e308]])");
        write("late.json", text);
        verifyRefusal(runLimited({"simulate", path("late.json"), "--out", path("l-sim")}), 2,
                      {"late.json: task.patterns[1].desired_s[0][1]:", "inside the trial"});
    }

    /// 2·10^7 steps: the membrane CSV would take ~2 GB in memory; refused with the estimate before
    /// simulating (it took 3.7 GB for 10^8 steps).
    void simulateMembraneCsvBeyondTheBudget()
    {
        write("long.json", project(R"({"dt_s": 0.0001, "duration_s": 2000})"));
        verifyRefusal(runLimited({"simulate", path("long.json"), "--out", path("long-sim")}), 1,
                      {"long.json: membrane.csv: the membrane potentials of 20000000 time steps", "of memory"});
        QVERIFY(!QFileInfo::exists(path("long-sim/membrane.csv")));
    }

    /// An unterminated 200 MB string once printed 200 MB on stderr, NUL bytes and invalid UTF-8 raw.
    void longAndBinaryValuesAreQuotedShort()
    {
        std::string text = project();
        text.replace(text.find(R"("limits")"), 8, "\"" + std::string(50'000'000, 'a') + std::string("\0\xff", 2));
        write("unterminated.json", text);
        const LimitedRun r = runLimited({"simulate", path("unterminated.json"), "--out", path("u-sim")});
        verifyRefusal(r, 2, {"unterminated.json:", "not valid JSON", "…", " bytes)"});
        for (char c : r.err)
            QVERIFY2(c == '\n' || static_cast<unsigned char>(c) >= 0x20, "a control character on stderr");
    }
};

QTEST_GUILESS_MAIN(TestMemoryLimits)
#include "tst_memorylimits.moc"
