// ExactSum: the batch sum is exact (against hand-made and long-double references), independent of
// the order and grouping of its terms, correctly rounded once, and reports overflow and NaN.
// ThreadPool: every index runs exactly once and exceptions reach the caller; stream() hands results
// over in order, without a barrier between indices, within its window, and discards what it stops on.

#include "normad/ExactSum.h"
#include "normad/ThreadPool.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <random>
#include <stdexcept>
#include <vector>

using namespace normad;

namespace {

double sumOf(const std::vector<double>& terms)
{
    ExactSum s(1);
    for (double x : terms)
        s.add(std::span<const double>(&x, 1));
    return s.value(0);
}

} // namespace

class TestExactSum : public QObject {
    Q_OBJECT

private slots:
    void exactOnAdversarialCases_data();
    void exactOnAdversarialCases();
    void manyTinyTermsAgreeWithLongDouble();
    void orderAndGroupingIndependent();
    void finalConversionRoundsToNearestEven();
    void termsBelowTheLsbRoundTermByTerm();
    void rawRoundTripAndMerge();
    void reportsOverflowAndNonFinite();
    void poolRunsEveryIndexOnce();
    void poolRethrows();
    void subtractUndoesAdd();
    void streamConsumesInOrderWithinTheWindow_data();
    void streamConsumesInOrderWithinTheWindow();
    void streamHasNoBarrierBetweenIndices();
    void streamStopsAndDiscards();
    void streamLastConsumeMayUseThePool();
    void streamRethrows();
};

void TestExactSum::exactOnAdversarialCases_data()
{
    QTest::addColumn<std::vector<double>>("terms");
    QTest::addColumn<double>("expected");
    // Each expected value is the exact sum, representable as a double.
    QTest::newRow("1 + 1e-30 - 1") << std::vector<double>{1.0, 1e-30, -1.0} << 1e-30;
    QTest::newRow("cancellation") << std::vector<double>{1e9, 3e-12, -1e9, -1e-12} << 2e-12;
    QTest::newRow("amperes") << std::vector<double>{2.5e-9, -2.5e-9, 7.25e-21} << 7.25e-21;
    QTest::newRow("double sum loses it") << std::vector<double>{0x1p30, 0x1p-40, 0x1p-40, -0x1p30} << 0x1p-39;
    QTest::newRow("negative result") << std::vector<double>{-3.0, 1e-20, 1.0} << (-2.0 + 1e-20);
    QTest::newRow("subnormal-free small") << std::vector<double>{0x1p-150, -0x1p-151} << 0x1p-151;
    QTest::newRow("zeros only") << std::vector<double>{0.0, -0.0} << 0.0;
    QTest::newRow("largest term") << std::vector<double>{0x1.fffffffffffffp31, -1.0} << (0x1.fffffffffffffp31 - 1.0);
}

void TestExactSum::exactOnAdversarialCases()
{
    QFETCH(std::vector<double>, terms);
    QFETCH(double, expected);
    QCOMPARE(sumOf(terms), expected);
}

void TestExactSum::manyTinyTermsAgreeWithLongDouble()
{
    // 10 000 terms of ~1e-10 with 30-bit integers as significands: every partial sum is exact in a
    // long double (64 bits), so it is a reference; a double sum of the same terms is not.
    std::mt19937_64 rng(7);
    std::vector<double> terms;
    long double reference = 0;
    for (int i = 0; i < 10000; ++i) {
        const double x = std::ldexp(static_cast<double>(static_cast<std::int64_t>(rng() >> 34) - (1LL << 29)), -63);
        terms.push_back(x);
        reference += x;
    }
    QCOMPARE(sumOf(terms), static_cast<double>(reference));
}

void TestExactSum::orderAndGroupingIndependent()
{
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> mantissa(-1, 1);
    std::uniform_int_distribution<int> exponent(-120, 20);
    std::vector<double> terms(3000);
    for (double& x : terms)
        x = std::ldexp(mantissa(rng), exponent(rng));
    const double first = sumOf(terms);
    double naive = 0;
    for (double x : terms)
        naive += x;
    for (int trial = 0; trial < 5; ++trial) {
        std::shuffle(terms.begin(), terms.end(), rng);
        QCOMPARE(std::bit_cast<std::uint64_t>(sumOf(terms)), std::bit_cast<std::uint64_t>(first));
        // Grouped in three partial accumulators merged in another order: the same bits.
        ExactSum a(1), b(1), c(1);
        for (std::size_t i = 0; i < terms.size(); ++i)
            (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(std::span<const double>(&terms[i], 1));
        c.add(a);
        c.add(b);
        QCOMPARE(std::bit_cast<std::uint64_t>(c.value(0)), std::bit_cast<std::uint64_t>(first));
    }
    // The naive sum is close (sanity of the reference), not necessarily equal.
    QVERIFY(std::abs(naive - first) <= 1e-12 * std::abs(first) + 1e-300);
}

void TestExactSum::finalConversionRoundsToNearestEven()
{
    // 1 + 2^-53 is a tie between 1 and 1 + 2^-52: to even (1). 1 + 2^-53 + 2^-100 is above the tie.
    QCOMPARE(sumOf({1.0, 0x1p-53}), 1.0);
    QCOMPARE(sumOf({1.0, 0x1p-53, 0x1p-100}), 1.0 + 0x1p-52);
    // (1 + 2^-52) + 2^-53 is a tie with an odd significand: up to 1 + 2^-51.
    QCOMPARE(sumOf({1.0 + 0x1p-52, 0x1p-53}), 1.0 + 0x1p-51);
    // Negative ties mirror the positive ones.
    QCOMPARE(sumOf({-1.0, -0x1p-53}), -1.0);
    QCOMPARE(sumOf({-1.0, -0x1p-53, -0x1p-100}), -(1.0 + 0x1p-52));
    // Just below the tie rounds down.
    QCOMPARE(sumOf({1.0, 0x1p-53, -0x1p-120}), 1.0);
}

void TestExactSum::termsBelowTheLsbRoundTermByTerm()
{
    // The LSB is 2^-192: 2^-193 is a tie and rounds to even (0); 3·2^-194 rounds to 2^-192.
    QCOMPARE(sumOf({0x1p-193}), 0.0);
    QCOMPARE(sumOf({0x1.8p-193}), 0x1p-192);
    QCOMPARE(sumOf({0x1p-300, 0x1p-300}), 0.0);
    QCOMPARE(sumOf({0x1p-191, -0x1.8p-193}), 0x1p-192); // 2^-191 − round(1.5·2^-193 → 2^-192)
    QCOMPARE(sumOf({std::numeric_limits<double>::denorm_min()}), 0.0);
}

void TestExactSum::rawRoundTripAndMerge()
{
    const std::vector<double> a{1e-9, -3e-20, 0, 5.0};
    const std::vector<double> b{-1e-9, 1e-30, 2.0, -5.0};
    ExactSum x(4), y(4);
    x.add(a);
    y.add(b);
    std::vector<std::uint64_t> rx = x.raw();
    const std::vector<std::uint64_t> ry = y.raw();
    ExactSum::addRaw(ry.data(), rx.data(), rx.size() / ExactSum::limbsPerEntry);
    ExactSum merged(4);
    merged.setRaw(rx);
    x.add(y);
    for (std::size_t i = 0; i < 4; ++i)
        QCOMPARE(merged.value(i), x.value(i));
    QCOMPARE(merged.value(0), 0.0);
    QCOMPARE(merged.value(1), static_cast<double>(-3e-20L + 1e-30L)); // exact in a long double
    QCOMPARE(merged.value(2), 2.0);
    QCOMPARE(merged.additions(), std::uint64_t{2});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, merged.setRaw(std::vector<std::uint64_t>(3)));
    // Into a reused buffer (what MpiGroup keeps between batches): a larger, dirty buffer comes out
    // as raw() would make it, header words included, and keeps its storage.
    std::vector<std::uint64_t> reused(rx.size() + 40, ~std::uint64_t{0});
    const std::uint64_t* storage = reused.data();
    x.raw(reused);
    QCOMPARE(reused, x.raw());
    QCOMPARE(reused.data(), storage);
}

void TestExactSum::reportsOverflowAndNonFinite()
{
    ExactSum s(2);
    s.add(std::vector<double>{1.0, 2.0});
    QVERIFY(s.finite());
    QVERIFY(!s.overflowed());
    s.add(std::vector<double>{0x1p32, 0.0});
    QVERIFY(s.overflowed());
    QVERIFY(s.finite());
    ExactSum n(2);
    n.add(std::vector<double>{std::numeric_limits<double>::quiet_NaN(), 0.0});
    QVERIFY(!n.finite());
    ExactSum inf(1);
    inf.add(std::vector<double>{-std::numeric_limits<double>::infinity()});
    QVERIFY(!inf.finite());
    // Flags survive a merge and a raw round trip (what an MPI reduction carries).
    ExactSum clean(2);
    clean.add(n);
    QVERIFY(!clean.finite());
    ExactSum fromRaw(2);
    fromRaw.setRaw(s.raw());
    QVERIFY(fromRaw.overflowed());
    s.reset();
    QVERIFY(!s.overflowed());
    QCOMPARE(s.value(1), 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.add(std::vector<double>{1, 2, 3}));
}

void TestExactSum::poolRunsEveryIndexOnce()
{
    for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        QCOMPARE(pool.size(), threads);
        for (int round = 0; round < 20; ++round) {
            std::vector<std::atomic<int>> hits(97);
            std::atomic<bool> badWorker = false;
            pool.parallelFor(hits.size(), [&](std::size_t i, int worker) {
                hits[i].fetch_add(1);
                if (worker < 0 || worker >= threads)
                    badWorker = true;
            });
            for (const auto& h : hits)
                QCOMPARE(h.load(), 1);
            QVERIFY(!badWorker);
        }
    }
    QVERIFY(ThreadPool::resolve(0) >= 1);
}

void TestExactSum::poolRethrows()
{
    ThreadPool pool(3);
    std::atomic<int> calls = 0;
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, pool.parallelFor(10, [&](std::size_t i, int) {
        ++calls;
        if (i == 4)
            throw std::runtime_error("pattern 4");
    }));
    QCOMPARE(calls.load(), 10);
    pool.parallelFor(3, [&](std::size_t, int) { ++calls; }); // still usable
    QCOMPARE(calls.load(), 13);
}

void TestExactSum::subtractUndoesAdd()
{
    // Terms that are rounded below the lowest bit (ties included), overflow and are not finite: an
    // add followed by a subtract of the same values leaves every bit of the state as it was.
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
    std::uniform_int_distribution<int> exponent(-230, 20);
    std::vector<double> before(64), terms(64);
    for (double& x : before)
        x = std::ldexp(mantissa(rng), exponent(rng));
    for (double& x : terms)
        x = std::ldexp(mantissa(rng), exponent(rng));
    terms[3] = 0x1.8p-193; // exactly halfway between two multiples of the lowest bit
    terms[4] = -0x1.8p-192;
    terms[5] = 0x1p40; // overflows
    terms[6] = std::numeric_limits<double>::quiet_NaN();
    ExactSum s(64);
    s.add(before);
    std::vector<std::uint64_t> reference;
    s.raw(reference);
    s.add(terms);
    s.add(before, 0); // another addition in between: subtracting undoes one term set, not the last
    s.subtract(terms);
    s.subtract(before, 0);
    std::vector<std::uint64_t> after;
    s.raw(after);
    QVERIFY(after == reference);
    QVERIFY(s.finite());
    QVERIFY(!s.overflowed());
    QCOMPARE(s.additions(), std::uint64_t{1});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.subtract(terms, 1));
}

void TestExactSum::streamConsumesInOrderWithinTheWindow_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("window");
    for (int threads : {1, 2, 3})
        for (int window : {0, 1, 3})
            QTest::addRow("%d threads, window %d", threads, window) << threads << window;
}

void TestExactSum::streamConsumesInOrderWithinTheWindow()
{
    QFETCH(int, threads);
    QFETCH(int, window);
    ThreadPool pool(threads);
    const std::size_t limit = window == 0 ? 4 * static_cast<std::size_t>(threads) : static_cast<std::size_t>(window);
    constexpr std::size_t count = 60;
    std::vector<std::atomic<int>> computed(count);
    std::atomic<std::size_t> started = 0;
    std::atomic<std::size_t> consumedSoFar = 0;
    std::atomic<std::size_t> mostInFlight = 0;
    std::vector<std::size_t> order;
    bool consumedOnCaller = true;
    bool wrongResult = false;
    const auto caller = std::this_thread::get_id();
    pool.stream(
        count, static_cast<std::size_t>(window),
        [&](std::size_t i, int worker) {
            const std::size_t inFlight = ++started - consumedSoFar.load();
            std::size_t most = mostInFlight.load();
            while (inFlight > most && !mostInFlight.compare_exchange_weak(most, inFlight)) { }
            computed[i].fetch_add(1);
            volatile double work = 0; // uneven costs: later indices often finish first
            for (std::size_t k = 0; k < 20000 * ((count - i) % 7); ++k)
                work = work + 1e-9;
            return std::pair<std::size_t, int>(i * 3, worker);
        },
        [&](std::size_t i, std::pair<std::size_t, int>& r) {
            consumedOnCaller = consumedOnCaller && std::this_thread::get_id() == caller;
            order.push_back(i);
            wrongResult = wrongResult || r.first != i * 3 || r.second < 0 || r.second >= threads;
            ++consumedSoFar;
            return true;
        },
        [](std::size_t, std::pair<std::size_t, int>&) { QFAIL("nothing to discard"); });
    QCOMPARE(order.size(), count);
    for (std::size_t i = 0; i < count; ++i) {
        QCOMPARE(order[i], i);
        QCOMPARE(computed[i].load(), 1);
    }
    QVERIFY(consumedOnCaller);
    QVERIFY(!wrongResult);
    QVERIFY2(mostInFlight.load() <= limit, qPrintable(QString("%1 in flight, window %2").arg(mostInFlight).arg(limit)));
}

void TestExactSum::streamHasNoBarrierBetweenIndices()
{
    // Index 0 cannot finish until index 5 has been computed: with a barrier after every chunk of
    // 2 × threads indices (as before), index 5 would never start and the wait would time out.
    ThreadPool pool(2);
    std::mutex m;
    std::condition_variable cv;
    bool fiveDone = false;
    bool waitedInVain = false;
    pool.ordered(
        8, 0,
        [&](std::size_t i) {
            std::unique_lock lock(m);
            if (i == 0)
                waitedInVain = !cv.wait_for(lock, std::chrono::seconds(20), [&] { return fiveDone; });
            if (i == 5) {
                fiveDone = true;
                cv.notify_all();
            }
            return static_cast<int>(i);
        },
        [&](std::size_t i, int r) { return r == static_cast<int>(i); });
    QVERIFY(!waitedInVain);
}

void TestExactSum::streamStopsAndDiscards()
{
    for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        constexpr std::size_t count = 40, stopAt = 10, window = 6;
        std::vector<std::atomic<int>> computed(count);
        std::vector<std::size_t> consumed, discarded;
        pool.stream(
            count, window,
            [&](std::size_t i, int) {
                computed[i].fetch_add(1);
                return i;
            },
            [&](std::size_t i, std::size_t& r) {
                consumed.push_back(r);
                return i != stopAt;
            },
            [&](std::size_t i, std::size_t& r) {
                QCOMPARE(r, i);
                discarded.push_back(i);
            });
        QCOMPARE(consumed.size(), stopAt + 1);
        QVERIFY(std::is_sorted(discarded.begin(), discarded.end()));
        // Every computed index was either consumed or discarded, and nothing beyond the window started.
        std::size_t computedCount = 0;
        for (std::size_t i = 0; i < count; ++i) {
            QVERIFY(computed[i].load() <= 1);
            if (computed[i].load() == 0)
                continue;
            ++computedCount;
            QVERIFY(i <= stopAt || std::binary_search(discarded.begin(), discarded.end(), i));
            QVERIFY(i < stopAt + window);
        }
        QCOMPARE(computedCount, consumed.size() + discarded.size());
    }
}

void TestExactSum::streamLastConsumeMayUseThePool()
{
    ThreadPool pool(3);
    std::atomic<int> inner = 0;
    int consumed = 0;
    pool.stream(
        12, 0, [](std::size_t i, int) { return i; },
        [&](std::size_t i, std::size_t&) {
            ++consumed;
            if (i == 11) // the epoch's end starts an evaluation on the same pool
                pool.parallelFor(50, [&](std::size_t, int) { ++inner; });
            return true;
        },
        [](std::size_t, std::size_t&) {});
    QCOMPARE(consumed, 12);
    QCOMPARE(inner.load(), 50);
}

void TestExactSum::streamRethrows()
{
    ThreadPool pool(3);
    std::atomic<int> discardedAfterThrow = 0;
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, pool.stream(
                                                     30, 0,
                                                     [](std::size_t i, int) {
                                                         if (i == 5)
                                                             throw std::runtime_error("pattern 5");
                                                         return i;
                                                     },
                                                     [](std::size_t, std::size_t&) { return true; },
                                                     [&](std::size_t, std::size_t&) { ++discardedAfterThrow; }));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, pool.stream(
                                                   30, 0, [](std::size_t i, int) { return i; },
                                                   [](std::size_t i, std::size_t&) -> bool {
                                                       if (i == 7)
                                                           throw std::logic_error("consume 7");
                                                       return true;
                                                   },
                                                   [](std::size_t, std::size_t&) {}));
    std::atomic<int> calls = 0;
    pool.parallelFor(9, [&](std::size_t, int) { ++calls; }); // still usable
    QCOMPARE(calls.load(), 9);
}

QTEST_APPLESS_MAIN(TestExactSum)
#include "tst_exactsum.moc"
