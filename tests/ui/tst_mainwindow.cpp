// Offscreen smoke tests of the main window.

#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"
#include "normad/ui/MainWindow.h"

#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>

using namespace normad;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void opensEmpty();
    void showsExampleProject();
    void opensProjectFile();
};

void TestMainWindow::opensEmpty()
{
    ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.windowTitle(), QStringLiteral("NormAD Workbench"));
    QVERIFY(!w.project());
}

void TestMainWindow::showsExampleProject()
{
    ui::MainWindow w;
    w.setProject(generators::xorTask(1), QStringLiteral("XOR example"));
    QVERIFY(w.project());
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("XOR example")));
    auto* summary = qobject_cast<QLabel*>(w.centralWidget());
    QVERIFY(summary);
    QVERIFY(summary->text().contains(QStringLiteral("60 → 20 → 1")));
}

void TestMainWindow::opensProjectFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("single.json"));
    saveProject(generators::singleNeuron(3), path.toStdString());
    ui::MainWindow w;
    QVERIFY(w.openProject(path));
    QCOMPARE(w.project()->network.inputCount(), 100);
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("single.json")));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
