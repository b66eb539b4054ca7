// Dataset tasks (normad/DatasetTask.h, PatternSet.h): the settings of task.dataset and their checks,
// the table of source readers (idx and csv built in, others registered), the pattern view of a task
// and of a dataset split, and LoadedDataset::load on small files the test writes.

#include "TinyTable.h"

#include "normad/DatasetTask.h"
#include "normad/Evaluation.h"
#include "normad/PatternSet.h"
#include "normad/Trainer.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

using namespace normad;

namespace {

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

void writeBigEndian(std::ofstream& out, std::uint32_t v)
{
    const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.write(bytes, 4);
}

/// An IDX pair of `labels.size()` images of 2 × 2 pixels, image i all of value 10·i.
void writeIdx(const std::string& images, const std::string& labelsPath, const std::vector<int>& labels)
{
    std::ofstream img(images, std::ios::binary);
    img.write("\0\0\x08\x03", 4);
    writeBigEndian(img, static_cast<std::uint32_t>(labels.size()));
    writeBigEndian(img, 2);
    writeBigEndian(img, 2);
    for (std::size_t i = 0; i < labels.size(); ++i)
        for (int p = 0; p < 4; ++p)
            img.put(static_cast<char>(10 * i));
    std::ofstream lab(labelsPath, std::ios::binary);
    lab.write("\0\0\x08\x01", 4);
    writeBigEndian(lab, static_cast<std::uint32_t>(labels.size()));
    for (int l : labels)
        lab.put(static_cast<char>(l));
}

SimulationParams trial()
{
    SimulationParams s;
    s.dt = 1e-4;
    s.duration = 0.05;
    return s;
}

DataFileReference someReference(const std::string& path)
{
    return {path, 10, std::string(64, 'a')};
}

DatasetTaskSpec csvSpec()
{
    DatasetTaskSpec spec;
    spec.source.format = "csv";
    spec.source.files = {someReference("table.csv")};
    spec.encoding.kind = EncodingKind::Latency;
    return spec;
}

using testdata::tinyNetwork;
using testdata::tinySpec;
using testdata::tinyTrial;

} // namespace

class TestDatasetTask : public QObject {
    Q_OBJECT

private slots:
    void patternSetOfTask();
    void patternSetOfDataset();
    void validSpec_data();
    void validSpec();
    void invalidSpec_data();
    void invalidSpec();
    void schemasDescribeEveryScalar();
    void readersBuiltIn();
    void readerTable();

    void loadSplits_data();
    void loadSplits();
    void loadIdxWithTestFile();
    void loadReportsProgress();
    void movedProjectFindsItsData();
    void changedFile_data();
    void changedFile();
    void memoryEstimateBeforeReading();
    void cancelledLoad();

    void tinyDatasetLearns();
    void datasetEpochsKeepSummaries();
    void miniBatchOfTheEpochIsBatch();
    void miniBatchOfOneIsOnline();
    void deterministicForASeed();
    void stagnationOnValidationAccuracy();
    void networkMustFitTheDataset();

    void evaluationOfAHandMadeNetwork();
};

void TestDatasetTask::patternSetOfTask()
{
    Task task;
    task.patterns = {{"a", {{0.01}}, {{0.02}}}, {"b", {{0.03}}, {{0.04}}}};
    const PatternSet set = PatternSet::fromTask(task);
    QCOMPARE(set.size(), std::size_t(2));
    QVERIFY(!set.hasClasses());
    QCOMPARE(set.classCount(), 0);
    QCOMPARE(set.pattern(1)->name, std::string("b"));
    QCOMPARE(set.pattern(0)->inputs, task.patterns[0].inputs);
    QCOMPARE(set.label(0), -1);
    QCOMPARE(set.sampleIndex(1), std::size_t(1));
    QVERIFY(set.encoded() == nullptr);
    QVERIFY(PatternSet().empty());
}

void TestDatasetTask::patternSetOfDataset()
{
    const auto data = std::make_shared<const Dataset>(
        Dataset::fromValues({0, 1, 2, 3, 4, 5}, {0, 1, 2}, {"a", "b", "c"}, {"x", "y"}, {}));
    const std::vector<std::size_t> all = {0, 1, 2};
    ClassTargetParams targets;
    EncodingParams encoding;
    encoding.kind = EncodingKind::Latency;
    const auto encoded =
        std::make_shared<const EncodedDataset>(data, FeatureScaler::fit(*data, all, ScalingMode::PerFeature), encoding,
                                               classTargets(3, targets, trial()), trial(), 1 << 20);
    const PatternSet set(encoded, {2, 0});
    QCOMPARE(set.size(), std::size_t(2));
    QVERIFY(set.hasClasses());
    QCOMPARE(set.classCount(), 3);
    QCOMPARE(set.label(0), 2);
    QCOMPARE(set.label(1), 0);
    QCOMPARE(set.sampleIndex(0), std::size_t(2));
    QVERIFY(set.pattern(0) == encoded->pattern(2));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, PatternSet(encoded, {3}));
}

void TestDatasetTask::validSpec_data()
{
    QTest::addColumn<std::string>("format");
    QTest::addColumn<int>("files");
    QTest::addColumn<int>("testFiles");
    QTest::newRow("csv") << std::string("csv") << 1 << 0;
    QTest::newRow("csv with a test file") << std::string("csv") << 1 << 1;
    QTest::newRow("idx") << std::string("idx") << 2 << 0;
    QTest::newRow("idx with t10k") << std::string("idx") << 2 << 2;
}

void TestDatasetTask::validSpec()
{
    QFETCH(std::string, format);
    QFETCH(int, files);
    QFETCH(int, testFiles);
    DatasetTaskSpec spec = csvSpec();
    spec.source.format = format;
    spec.source.files.assign(std::size_t(files), someReference("f"));
    spec.source.testFiles.assign(std::size_t(testFiles), someReference("t"));
    spec.validate(trial());
}

void TestDatasetTask::invalidSpec_data()
{
    QTest::addColumn<std::function<void(DatasetTaskSpec&)>>("change");
    QTest::addColumn<std::string>("message");
    using Change = std::function<void(DatasetTaskSpec&)>;
    QTest::newRow("unknown format") << Change([](DatasetTaskSpec& s) { s.source.format = "parquet"; })
                                    << std::string("task.dataset.source.format: unknown data format");
    QTest::newRow("idx with one file") << Change([](DatasetTaskSpec& s) { s.source.format = "idx"; })
                                       << std::string("task.dataset.source.files: idx needs 2 files");
    QTest::newRow("no file") << Change([](DatasetTaskSpec& s) { s.source.files.clear(); })
                             << std::string("task.dataset.source.files: needs 1 file (got 0 files)");
    QTest::newRow("bad sha") << Change([](DatasetTaskSpec& s) { s.source.files[0].sha256 = "XYZ"; })
                             << std::string("task.dataset.source.files[0].sha256: must be 64 lower-case hex digits "
                                            "(got \"XYZ\")");
    QTest::newRow("empty path") << Change([](DatasetTaskSpec& s) { s.source.files[0].path.clear(); })
                                << std::string("task.dataset.source.files[0].path: must name the data file");
    QTest::newRow("validation fraction") << Change([](DatasetTaskSpec& s) { s.split.validationFraction = 1.5; })
                                         << std::string("task.dataset.split.validationFraction");
    QTest::newRow("negative limit") << Change([](DatasetTaskSpec& s) { s.split.perClassLimit = -1; })
                                    << std::string("task.dataset.split.perClassLimit");
    QTest::newRow("test fraction beside a test file") << Change([](DatasetTaskSpec& s) {
        s.source.testFiles = s.source.files;
        s.split.testFraction = 0.2;
    }) << std::string("task.dataset.split.testFraction: must be 0: the test files are the test split");
    QTest::newRow("latest after the trial")
        << Change([](DatasetTaskSpec& s) { s.encoding.latest = 0.2; })
        << std::string("task.dataset.encoding.latest_s: must fall inside the trial");
    QTest::newRow("rate over 1/dt") << Change([](DatasetTaskSpec& s) {
        s.encoding.kind = EncodingKind::Poisson;
        s.encoding.maxRate = 20000;
    }) << std::string("task.dataset.encoding.maxRate_Hz: must be at most 1/dt");
    QTest::newRow("target after the trial") << Change([](DatasetTaskSpec& s) { s.targets.classSpikes = {0.06}; })
                                            << std::string("task.dataset.targets.classSpikes");
    QTest::newRow("negative cache") << Change([](DatasetTaskSpec& s) { s.cacheMegabytes = -1; })
                                    << std::string("task.dataset.cacheMegabytes");
}

void TestDatasetTask::invalidSpec()
{
    QFETCH(std::function<void(DatasetTaskSpec&)>, change);
    QFETCH(std::string, message);
    DatasetTaskSpec spec = csvSpec();
    change(spec);
    try {
        spec.validate(trial());
        QFAIL("accepted");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(std::string(e.what()).find(message) == 0, e.what());
    }
}

void TestDatasetTask::schemasDescribeEveryScalar()
{
    auto keys = [](const auto& schema) {
        std::vector<std::string> k;
        for (const auto& f : schema)
            k.push_back(f.info.key);
        return k;
    };
    QCOMPARE(keys(DatasetTaskSpec::schema()), (std::vector<std::string>{"scaling", "decision", "cacheMegabytes"}));
    QCOMPARE(keys(DatasetSplitSpec::schema()),
             (std::vector<std::string>{"validationFraction", "testFraction", "seed", "perClassLimit"}));
    QCOMPARE(keys(encodingSchema()),
             (std::vector<std::string>{"kind", "maxRate_Hz", "earliest_s", "latest_s", "latencyThreshold",
                                       "fieldsPerFeature", "fieldWidthFactor", "responseThreshold", "seed"}));
    // A round trip through the generic values sets every member.
    DatasetTaskSpec spec;
    const Field<DatasetTaskSpec>* decision = findField(DatasetTaskSpec::schema(), "decision");
    QVERIFY(decision);
    decision->set(spec, FieldValue(std::string("first-spike")));
    QVERIFY(spec.decision == DecisionRule::FirstSpike);
    const Field<DatasetSplitSpec>* seed = findField(DatasetSplitSpec::schema(), "seed");
    seed->set(spec.split, FieldValue(12345678901.0));
    QCOMPARE(spec.split.seed, std::uint64_t(12345678901));
    QCOMPARE(std::get<double>(seed->get(spec.split)), 12345678901.0);
    QCOMPARE(toString(ScalingMode::Global), std::string("global"));
    QVERIFY(scalingModeFromString("per-feature") == ScalingMode::PerFeature);
    QVERIFY(splitFromString("validation") == Split::Validation);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, splitFromString("dev"));
}

void TestDatasetTask::readersBuiltIn()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/t.csv", "a,b,species\n1,2,x\n3,4,y\n5,6,x\n");
    DatasetSourceSpec csv;
    csv.format = "csv";
    const Dataset table = readDatasetSource(csv, {d + "/t.csv"});
    QCOMPARE(table.sampleCount(), std::size_t(3));
    QCOMPARE(table.featureCount(), std::size_t(2));
    QCOMPARE(table.classNames(), (std::vector<std::string>{"x", "y"}));
    writeText(d + "/n.csv", "p,q,r\n1,0,5\n2,1,6\n3,2,7\n");
    csv.labelColumn = "q";
    const Dataset byName = readDatasetSource(csv, {d + "/n.csv"});
    QCOMPARE(byName.classCount(), 3);
    QCOMPARE(byName.featureNames(), (std::vector<std::string>{"p", "r"}));

    writeIdx(d + "/img", d + "/lab", {0, 1, 1, 2});
    DatasetSourceSpec idx;
    idx.format = "idx";
    idx.classNames = {"zero", "one", "two"};
    const Dataset images = readDatasetSource(idx, {d + "/img", d + "/lab"});
    QCOMPARE(images.sampleCount(), std::size_t(4));
    QCOMPARE(images.imageWidth(), 2);
    QCOMPARE(images.classNames()[2], std::string("two"));
    QCOMPARE(images.feature(3, 0), 30.0);
}

void TestDatasetTask::readerTable()
{
    DatasetSourceSpec source;
    source.format = "test-format";
    try {
        readDatasetSource(source, {});
        QFAIL("an unregistered format was read");
    } catch (const DatasetError& e) {
        QVERIFY2(std::string(e.what()).find("no reader for \"test-format\"") != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("csv, idx") != std::string::npos, e.what());
    }
    registerDatasetReader("test-format", [](const DatasetSourceSpec&, const std::vector<std::string>& paths) {
        return Dataset::fromValues({1, 2}, {0, 1}, {"p", "q"}, {paths.at(0)}, {});
    });
    QCOMPARE(readDatasetSource(source, {"feature"}).featureNames(), std::vector<std::string>{"feature"});
    const std::vector<std::string> formats = datasetFormats();
    QVERIFY(std::find(formats.begin(), formats.end(), "test-format") != formats.end());
}

void TestDatasetTask::loadSplits_data()
{
    QTest::addColumn<double>("validation");
    QTest::addColumn<double>("test");
    QTest::addColumn<int>("perClassLimit");
    QTest::addColumn<int>("train");
    QTest::addColumn<int>("validationSize");
    QTest::addColumn<int>("testSize");
    // 42 samples, 14 per class: each split takes round(14·fraction) of every class.
    QTest::newRow("train only") << 0.0 << 0.0 << 0 << 42 << 0 << 0;
    QTest::newRow("validation 0.2") << 0.2 << 0.0 << 0 << 33 << 9 << 0;
    QTest::newRow("validation and test") << 0.2 << 0.3 << 0 << 21 << 9 << 12;
    QTest::newRow("5 per class") << 0.2 << 0.0 << 5 << 15 << 9 << 0;
    QTest::newRow("limit above the class size") << 0.0 << 0.0 << 100 << 42 << 0 << 0;
}

void TestDatasetTask::loadSplits()
{
    QFETCH(double, validation);
    QFETCH(double, test);
    QFETCH(int, perClassLimit);
    QFETCH(int, train);
    QFETCH(int, validationSize);
    QFETCH(int, testSize);
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    DatasetTaskSpec spec = tinySpec(d);
    spec.split.validationFraction = validation;
    spec.split.testFraction = test;
    spec.split.perClassLimit = perClassLimit;
    const auto data = LoadedDataset::load(spec, d, tinyTrial());
    QCOMPARE(int(data->patterns(Split::Train).size()), train);
    QCOMPARE(int(data->patterns(Split::Validation).size()), validationSize);
    QCOMPARE(int(data->patterns(Split::Test).size()), testSize);
    QCOMPARE(data->classNames(), (std::vector<std::string>{"a", "b", "c"}));
    QCOMPARE(data->inputCount(), std::size_t(18));
    QCOMPARE(data->outputCount(), std::size_t(3));
    QCOMPARE(data->targets().size(), std::size_t(3));
    QCOMPARE(data->targets()[1][1], (SpikeTrain{0.035, 0.045, 0.055}));
    QVERIFY(data->targets()[1][0].empty());
    // Stratified: every class is in the training split equally often.
    std::vector<int> perClass(3, 0);
    const PatternSet& set = data->patterns(Split::Train);
    for (std::size_t i = 0; i < set.size(); ++i) {
        ++perClass[std::size_t(set.label(i))];
        QCOMPARE(set.label(i), data->dataset().label(set.sampleIndex(i)));
    }
    QCOMPARE(perClass[0], train / 3);
    QCOMPARE(perClass[2], train / 3);
    // The scaler saw the training part only (all of it, not a perClassLimit subset).
    std::vector<std::size_t> trainingPart = stratifiedSplit(data->dataset().labels(), 3, spec.split.params()).train;
    const FeatureScaler expected = FeatureScaler::fit(data->dataset(), trainingPart, ScalingMode::PerFeature);
    QCOMPARE(data->scaler().minimum(), expected.minimum());
    QCOMPARE(data->scaler().maximum(), expected.maximum());
}

void TestDatasetTask::loadIdxWithTestFile()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeIdx(d + "/train-img", d + "/train-lab", {0, 1, 0, 1, 0, 1, 0, 1, 0, 1});
    writeIdx(d + "/test-img", d + "/test-lab", {1, 0, 1});
    DatasetTaskSpec spec;
    spec.source.format = "idx";
    spec.source.files = {referenceDataFile(d + "/train-img", d), referenceDataFile(d + "/train-lab", d)};
    spec.source.testFiles = {referenceDataFile(d + "/test-img", d), referenceDataFile(d + "/test-lab", d)};
    spec.source.classNames = {"even", "odd"};
    spec.scaling = ScalingMode::Global;
    spec.encoding.kind = EncodingKind::Latency;
    spec.split.validationFraction = 0.2;
    const auto data = LoadedDataset::load(spec, d, trial());
    QVERIFY(data->testDataset() != nullptr);
    QCOMPARE(data->split().test, (std::vector<std::size_t>{0, 1, 2}));
    QCOMPARE(data->patterns(Split::Test).size(), std::size_t(3));
    QCOMPARE(data->patterns(Split::Test).label(0), 1);
    QCOMPARE(&data->datasetOf(Split::Test), data->testDataset());
    QCOMPARE(data->patterns(Split::Train).size() + data->patterns(Split::Validation).size(), std::size_t(10));
    QCOMPARE(data->classNames()[1], std::string("odd"));
    QCOMPARE(data->inputCount(), std::size_t(4));
    // The test file's image 2 (value 20) is scaled by the training range (0 … 90).
    QCOMPARE(data->scaler().maximum()[0], 90.0);
}

void TestDatasetTask::loadReportsProgress()
{
    // The workbench shows a load's percent: bytes checked (SHA-256), then bytes read, of every file.
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeIdx(d + "/train-img", d + "/train-lab", {0, 1, 0, 1, 0, 1, 0, 1, 0, 1});
    writeIdx(d + "/test-img", d + "/test-lab", {1, 0, 1});
    DatasetTaskSpec spec;
    spec.source.format = "idx";
    spec.source.files = {referenceDataFile(d + "/train-img", d), referenceDataFile(d + "/train-lab", d)};
    spec.source.testFiles = {referenceDataFile(d + "/test-img", d), referenceDataFile(d + "/test-lab", d)};
    spec.encoding.kind = EncodingKind::Latency;
    std::vector<double> fractions;
    DatasetLoadOptions options;
    options.progress = [&](double f) { fractions.push_back(f); };
    LoadedDataset::load(spec, d, trial(), nullptr, options);
    // One report per checked file, one per read source (train, test), one at the end.
    QCOMPARE(fractions.size(), std::size_t(7));
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QVERIFY(fractions.front() > 0);
    std::uint64_t total = 0;
    for (const auto* files : {&spec.source.files, &spec.source.testFiles})
        for (const DataFileReference& f : *files)
            total += f.size;
    // Every file checked: half of the work (each byte is read twice).
    QCOMPARE(fractions[3], 0.5);
    QCOMPARE(fractions[0], static_cast<double>(spec.source.files[0].size) / (2.0 * static_cast<double>(total)));
    QCOMPARE(fractions.back(), 1.0);
}

void TestDatasetTask::movedProjectFindsItsData()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    std::filesystem::create_directories(d + "/before/data");
    writeText(d + "/before/data/tiny.csv", testdata::tinyTable());
    DatasetTaskSpec spec = tinySpec(d + "/before/data");
    spec.source.files = {referenceDataFile(d + "/before/data/tiny.csv", d + "/before")};
    QCOMPARE(spec.source.files[0].path, std::string("data/tiny.csv"));
    // The project and its data folder move together.
    std::filesystem::rename(d + "/before", d + "/after");
    const auto data = LoadedDataset::load(spec, d + "/after", tinyTrial());
    QCOMPARE(data->dataset().sampleCount(), std::size_t(42));
    QCOMPARE(data->dataset().origin().files[0], d + "/after/data/tiny.csv");
}

void TestDatasetTask::changedFile_data()
{
    QTest::addColumn<std::function<void(const std::string&)>>("change");
    QTest::addColumn<int>("status");
    QTest::addColumn<std::string>("message");
    using Change = std::function<void(const std::string&)>;
    QTest::newRow("missing") << Change([](const std::string& f) { std::filesystem::remove(f); })
                             << int(DataFileCheck::Status::Missing) << std::string("the data file is missing");
    QTest::newRow("longer") << Change([](const std::string& f) { std::ofstream(f, std::ios::app) << "0.5,0.5,a\n"; })
                            << int(DataFileCheck::Status::SizeChanged)
                            << std::string("bytes where the project recorded");
    QTest::newRow("same size, other content") << Change([](const std::string& f) {
        std::string text = testdata::tinyTable();
        text[text.find('a', 10)] = 'b'; // a label flipped: same length
        writeText(f, text);
    }) << int(DataFileCheck::Status::ContentChanged)
                                              << std::string("SHA-256");
}

void TestDatasetTask::changedFile()
{
    QFETCH(std::function<void(const std::string&)>, change);
    QFETCH(int, status);
    QFETCH(std::string, message);
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    const DatasetTaskSpec spec = tinySpec(d);
    change(d + "/tiny.csv");
    try {
        LoadedDataset::load(spec, d, tinyTrial());
        QFAIL("a changed file was loaded");
    } catch (const DataFileMismatch& e) {
        QCOMPARE(int(e.check().status), status);
        QCOMPARE(e.field(), std::string("task.dataset.source.files[0]"));
        QCOMPARE(e.reference().path, std::string("tiny.csv"));
        QCOMPARE(e.check().resolvedPath, d + "/tiny.csv");
        const std::string what = e.what();
        QVERIFY2(what.starts_with("task.dataset.source.files[0]: " + d + "/tiny.csv"), e.what());
        QVERIFY2(what.find(message) != std::string::npos, e.what());
    }
}

void TestDatasetTask::memoryEstimateBeforeReading()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    DatasetTaskSpec spec = tinySpec(d);
    spec.cacheMegabytes = 1;
    const std::uint64_t fileBytes = std::filesystem::file_size(d + "/tiny.csv");
    const std::uint64_t estimate = estimateDatasetTaskBytes(spec, {d + "/tiny.csv"}, tinyTrial(), 2);
    // 4 bytes of doubles per byte of text + the cache + 2 threads × 600 steps × 8 KB.
    QCOMPARE(estimate, 4 * fileBytes + 1'000'000 + 2 * 600 * 8192);
    DatasetLoadOptions options;
    options.memoryLimitBytes = estimateDatasetTaskBytes(spec, {d + "/tiny.csv"}, tinyTrial()) - 1; // load's: 1 thread
    try {
        LoadedDataset::load(spec, d, tinyTrial(), nullptr, options);
        QFAIL("over the limit, yet loaded");
    } catch (const DatasetError& e) {
        QVERIFY2(std::string(e.what()).find("over the limit") != std::string::npos, e.what());
    }
    // A gzip file is counted at its stored uncompressed size.
    const std::string gz = d + "/x.gz";
    {
        std::ofstream out(gz, std::ios::binary);
        const unsigned char bytes[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0x40, 0x42, 0x0f, 0x00};
        out.write(reinterpret_cast<const char*>(bytes), sizeof bytes); // ISIZE = 1 000 000
    }
    DatasetTaskSpec idx = spec;
    idx.source.format = "idx";
    idx.cacheMegabytes = 0;
    QCOMPARE(estimateDatasetTaskBytes(idx, {gz}, tinyTrial(), 1), std::uint64_t(1'000'000 + 600 * 8192));
}

void TestDatasetTask::cancelledLoad()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    CancelFlag cancel{true};
    QVERIFY_THROWS_EXCEPTION(LoadCancelled, LoadedDataset::load(tinySpec(d), d, tinyTrial(), &cancel));
}

void TestDatasetTask::tinyDatasetLearns()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    const auto data = LoadedDataset::load(tinySpec(d), d, tinyTrial());
    TrainingParams params;
    params.maxEpochs = 20;
    // Without learning the network decides (nearly) one class for everything: chance level.
    Trainer frozen(tinyNetwork(data->inputCount(), 0.0), data, tinyTrial(), params, 1);
    frozen.run(nullptr, nullptr, 2);
    QVERIFY2(frozen.history().back().trainAccuracy < 0.5,
             qPrintable(QString::number(frozen.history().back().trainAccuracy)));

    Trainer trainer(tinyNetwork(data->inputCount(), 1e-9), data, tinyTrial(), params, 1);
    const TrainingResult& result = trainer.run();
    QVERIFY(result.reason == StopReason::MaxEpochs);
    QCOMPARE(result.epochs, 20);
    const double last = result.history.back().trainAccuracy;
    QVERIFY2(last >= 0.9, qPrintable(QString("training accuracy %1 after 20 epochs").arg(last)));
    // And the final weights, evaluated on the whole training split without updates.
    const ClassEvaluation e = evaluate(trainer.network(), data->patterns(Split::Train), tinyTrial(), params,
                                       data->decision(), data->targets());
    QVERIFY2(e.accuracy >= 0.9, qPrintable(QString("evaluated accuracy %1").arg(e.accuracy)));
}

void TestDatasetTask::datasetEpochsKeepSummaries()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    DatasetTaskSpec spec = tinySpec(d);
    spec.split.validationFraction = 0.2;
    const auto data = LoadedDataset::load(spec, d, tinyTrial());
    TrainingParams params;
    Trainer trainer(tinyNetwork(data->inputCount(), 1e-9), data, tinyTrial(), params, 1);
    QVERIFY(trainer.task().patterns.empty());
    QCOMPARE(trainer.trainingSet().size(), std::size_t(33));
    trainer.run(nullptr, nullptr, 3);
    QCOMPARE(trainer.history().size(), std::size_t(3));
    for (const EpochMetrics& e : trainer.history()) {
        QVERIFY(e.patterns.empty());
        QCOMPARE(e.presented, 33);
        QVERIFY(e.trainAccuracy >= 0 && e.trainAccuracy <= 1);
        QVERIFY(e.validationAccuracy >= 0 && e.validationAccuracy <= 1);
        QVERIFY(!e.converged);
        QVERIFY(e.cost > 0);
        QVERIFY(e.meanCorrelation > 0 && e.meanCorrelation <= 1);
    }
    // validationAccuracy is the evaluation of the validation split with the epoch-end weights.
    const ClassEvaluation v = evaluate(trainer.network(), data->patterns(Split::Validation), tinyTrial(), params,
                                       data->decision(), data->targets());
    QCOMPARE(trainer.history().back().validationAccuracy, v.accuracy);
    // The final evaluation is of the validation split.
    QCOMPARE(trainer.result().finalEvaluation.presented, 9);
    QCOMPARE(trainer.result().finalEvaluation.validationAccuracy, v.accuracy);
}

namespace {

/// Weights after `epochs` epochs of the tiny task with `params`.
Network trainedTiny(const std::string& d, TrainingParams params, int epochs, std::uint64_t seed = 1)
{
    const auto data = LoadedDataset::load(tinySpec(d), d, tinyTrial());
    Trainer trainer(tinyNetwork(data->inputCount(), 1e-9), data, tinyTrial(), params, seed);
    trainer.run(nullptr, nullptr, epochs);
    return trainer.network();
}

} // namespace

void TestDatasetTask::miniBatchOfTheEpochIsBatch()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    TrainingParams batch;
    batch.schedule = UpdateSchedule::Batch;
    TrainingParams mini;
    mini.schedule = UpdateSchedule::MiniBatch;
    mini.batchSize = 42; // the epoch
    QCOMPARE(trainedTiny(d, mini, 3).weights(1), trainedTiny(d, batch, 3).weights(1));
    mini.batchSize = 1000; // more than the epoch: still once per epoch
    QCOMPARE(trainedTiny(d, mini, 3).weights(1), trainedTiny(d, batch, 3).weights(1));
    mini.batchSize = 7; // six updates per epoch: another path
    QVERIFY(trainedTiny(d, mini, 3).weights(1) != trainedTiny(d, batch, 3).weights(1));
}

void TestDatasetTask::miniBatchOfOneIsOnline()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    TrainingParams online;
    TrainingParams mini;
    mini.schedule = UpdateSchedule::MiniBatch;
    mini.batchSize = 1;
    QCOMPARE(trainedTiny(d, mini, 2).weights(1), trainedTiny(d, online, 2).weights(1));
}

void TestDatasetTask::deterministicForASeed()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    TrainingParams params;
    QCOMPARE(trainedTiny(d, params, 3, 5).weights(1), trainedTiny(d, params, 3, 5).weights(1));
    // The seed orders the epochs: another seed, another online path.
    QVERIFY(trainedTiny(d, params, 3, 5).weights(1) != trainedTiny(d, params, 3, 6).weights(1));
}

void TestDatasetTask::stagnationOnValidationAccuracy()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    DatasetTaskSpec spec = tinySpec(d);
    spec.split.validationFraction = 0.2;
    const auto data = LoadedDataset::load(spec, d, tinyTrial());
    TrainingParams params;
    params.stagnationEpochs = 3;
    params.maxEpochs = 50;
    // Nothing learns, so the validation accuracy never improves on epoch 1's.
    Trainer trainer(tinyNetwork(data->inputCount(), 0.0), data, tinyTrial(), params, 1);
    const TrainingResult& result = trainer.run();
    QVERIFY(result.reason == StopReason::Stagnated);
    QCOMPARE(result.epochs, 4);
    QVERIFY2(result.message.find("validation accuracy has not improved for 3 epochs") != std::string::npos,
             result.message.c_str());
}

void TestDatasetTask::networkMustFitTheDataset()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    const auto data = LoadedDataset::load(tinySpec(d), d, tinyTrial());
    try {
        Trainer(tinyNetwork(17, 1e-9), data, tinyTrial(), {}, 1);
        QFAIL("a network with the wrong input count was accepted");
    } catch (const std::invalid_argument& e) {
        QCOMPARE(std::string(e.what()), std::string("network.inputs: the dataset's encoding gives 18 inputs (got 17)"));
    }
}

void TestDatasetTask::evaluationOfAHandMadeNetwork()
{
    // Two features, latency-coded (a feature at 1 fires at 0, one at 0 does not fire); two output
    // neurons each driven hard by one input, so a sample's first-firing feature names its class.
    const auto data = std::make_shared<const Dataset>(
        Dataset::fromValues({1, 0, 0, 1, 1, 0, 0, 0, 0, 1}, {0, 1, 1, 0, 0}, {"left", "right"}, {"l", "r"}, {}));
    const std::vector<std::size_t> all = {0, 1, 2, 3, 4};
    EncodingParams encoding;
    encoding.kind = EncodingKind::Latency;
    const SimulationParams sim = trial();
    ClassTargetParams targets;
    targets.classSpikes = {0.01};
    const std::vector<SpikeRaster> classRasters = classTargets(2, targets, sim);
    const auto encoded = std::make_shared<const EncodedDataset>(
        data, FeatureScaler::fit(*data, all, ScalingMode::PerFeature), encoding, classRasters, sim, 1 << 20);
    LayerSpec out;
    out.size = 2;
    Network net(2, {out});
    Eigen::MatrixXd w(2, 2);
    w << 50e-9, 0, 0, 50e-9; // far above threshold for one input spike
    net.setWeights(1, w);
    const PatternSet set(encoded, all);
    std::vector<std::size_t> progress;
    const ClassEvaluation e = evaluate(net, set, sim, {}, DecisionRule::MostSpikes, classRasters, nullptr,
                                       [&](std::size_t done, std::size_t total) {
                                           QCOMPARE(total, std::size_t(5));
                                           progress.push_back(done);
                                       });
    QCOMPARE(progress, (std::vector<std::size_t>{1, 2, 3, 4, 5}));
    // Predicted: left, right, left (its class is right), undecided (no spike), right (its class is left).
    std::vector<int> predicted;
    for (const SamplePrediction& p : e.predictions)
        predicted.push_back(p.predicted);
    QCOMPARE(predicted, (std::vector<int>{0, 1, 0, undecidedClass, 1}));
    QCOMPARE(e.predictions[3].outputSpikes, 0);
    QVERIFY(e.predictions[0].outputSpikes > 0);
    QCOMPARE(e.accuracy, 2.0 / 5.0);
    QCOMPARE(e.confusion.count(0, 0), std::size_t(1));
    QCOMPARE(e.confusion.count(1, 0), std::size_t(1));
    QCOMPARE(e.confusion.count(0, 1), std::size_t(1));
    QCOMPARE(e.confusion.undecided(1), std::size_t(0));
    QCOMPARE(e.confusion.undecided(0), std::size_t(1));
    QCOMPARE(e.precision, (std::vector<double>{0.5, 0.5}));
    QCOMPARE(e.recall, (std::vector<double>{1.0 / 3.0, 0.5}));
    QCOMPARE(predictionsCsv(e, data->classNames()),
             std::string("sample,true,predicted,correct\n0,left,left,true\n1,right,right,true\n2,right,left,false\n"
                         "3,left,undecided,false\n4,left,right,false\n"));
    // A set without classes cannot be evaluated.
    Task task;
    task.patterns = {{"p", {{0.01}, {}}, {{0.02}, {}}}};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             evaluate(net, PatternSet::fromTask(task), sim, {}, DecisionRule::MostSpikes, {}));
}

QTEST_APPLESS_MAIN(TestDatasetTask)
#include "tst_datasettask.moc"
