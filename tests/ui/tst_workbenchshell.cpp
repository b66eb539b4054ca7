// The main window as a shell: each feature puts its actions into the menus it should (addressed by
// enum), every dock and tab is reachable by its enum, and the shell's closing menu entries stay last.

#include "normad/TaskGenerators.h"
#include "normad/ui/AutosaveFeature.h"
#include "normad/ui/DatasetFeature.h"
#include "normad/ui/ExportActions.h"
#include "normad/ui/ImageImportFeature.h"
#include "normad/ui/LessonsFeature.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/MembranePlot.h"
#include "normad/ui/NetworkDesigner.h"
#include "normad/ui/RecentFilesFeature.h"
#include "normad/ui/ReportFeature.h"
#include "normad/ui/RuleInspectorFeature.h"
#include "normad/ui/RunsFeature.h"
#include "normad/ui/TaskDesigner.h"
#include "normad/ui/UndoHistoryFeature.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QtTest>

#include <utility>
#include <vector>

using namespace normad;
using ui::Dock;
using ui::Menu;
using ui::Tab;

using FeatureOf = ui::WorkbenchFeature* (*)(const ui::MainWindow&);
using MenuCounts = std::vector<std::pair<Menu, int>>; // menu → number of the feature's entries there
Q_DECLARE_METATYPE(FeatureOf)
Q_DECLARE_METATYPE(MenuCounts)
Q_DECLARE_METATYPE(Dock)
Q_DECLARE_METATYPE(Tab)

namespace {

template <class F> ui::WorkbenchFeature* featureOf(const ui::MainWindow& w)
{
    return w.feature<F>();
}

constexpr Menu allMenus[] = {Menu::File,     Menu::Export,   Menu::Import, Menu::Edit,
                             Menu::Examples, Menu::Training, Menu::View,   Menu::Help};

/// Every feature of the window and where its entries belong. A dock's toggle counts as a View entry.
const struct {
    const char* name;
    FeatureOf feature;
    MenuCounts menus;
} features[] = {
    {"recent files", &featureOf<ui::RecentFilesFeature>, {{Menu::File, 1}}},
    {"exports", &featureOf<ui::ExportActions>, {{Menu::File, 2}}}, // the Export and Import submenus
    {"autosave", &featureOf<ui::AutosaveFeature>, {}},
    {"undo history", &featureOf<ui::UndoHistoryFeature>, {{Menu::View, 1}}},
    {"lessons", &featureOf<ui::LessonsFeature>, {{Menu::File, 1}, {Menu::View, 1}, {Menu::Help, 1}}},
    {"rule inspector", &featureOf<ui::RuleInspectorFeature>, {{Menu::View, 1}, {Menu::Help, 1}}},
    {"runs", &featureOf<ui::RunsFeature>, {{Menu::Training, 3}, {Menu::View, 1}}},
    {"image import", &featureOf<ui::ImageImportFeature>, {{Menu::Import, 1}}},
    {"report", &featureOf<ui::ReportFeature>, {{Menu::File, 1}, {Menu::Help, 1}}},
    // Evaluate on Test Split; exports of the confusion matrix and accuracy curves; three docks.
    {"datasets", &featureOf<ui::DatasetFeature>, {{Menu::Export, 2}, {Menu::Training, 1}, {Menu::View, 3}}},
};

} // namespace

class TestWorkbenchShell : public QObject {
    Q_OBJECT

private slots:
    void featureRegistersItsMenuEntries_data();
    void featureRegistersItsMenuEntries();
    void everyFeatureIsListed();
    void menusAreInTheirPlaces();
    void docksAreAddressedByEnum_data();
    void docksAreAddressedByEnum();
    void tabsAreAddressedByEnum_data();
    void tabsAreAddressedByEnum();
};

void TestWorkbenchShell::featureRegistersItsMenuEntries_data()
{
    QTest::addColumn<FeatureOf>("feature");
    QTest::addColumn<MenuCounts>("menus");
    for (const auto& f : features)
        QTest::newRow(f.name) << f.feature << f.menus;
}

void TestWorkbenchShell::featureRegistersItsMenuEntries()
{
    QFETCH(FeatureOf, feature);
    QFETCH(MenuCounts, menus);
    ui::MainWindow w;
    ui::WorkbenchFeature* f = feature(w);
    QVERIFY(f);
    QList<QAction*> entries;
    QStringList expected;
    for (const auto& [menu, count] : menus) {
        const QList<QAction*> actions = f->menuActions(menu);
        QCOMPARE(actions.size(), count);
        for (QAction* a : actions) {
            // Really there, and something a user can read and choose.
            QVERIFY2(w.menu(menu)->actions().contains(a), qPrintable(a->text() + " in " + ui::toString(menu)));
            QVERIFY(!a->text().isEmpty() && !a->isSeparator());
        }
        entries << actions;
        expected << QString::fromLatin1(ui::toString(menu));
    }
    QStringList registered;
    for (Menu m : f->menus())
        registered << QString::fromLatin1(ui::toString(m));
    registered.sort();
    expected.sort();
    QCOMPARE(registered, expected);
    // And nowhere else.
    for (Menu menu : allMenus) {
        if (expected.contains(QString::fromLatin1(ui::toString(menu))))
            continue;
        for (QAction* a : w.menu(menu)->actions())
            QVERIFY2(!entries.contains(a), qPrintable(a->text() + " also in " + ui::toString(menu)));
    }
}

void TestWorkbenchShell::everyFeatureIsListed()
{
    ui::MainWindow w;
    QList<ui::WorkbenchFeature*> listed;
    for (const auto& f : features)
        listed << f.feature(w);
    QCOMPARE(listed, w.features());
}

void TestWorkbenchShell::menusAreInTheirPlaces()
{
    ui::MainWindow w;
    // The menu bar in its order; Export and Import inside File.
    QList<QAction*> bar;
    for (Menu m : {Menu::File, Menu::Edit, Menu::Examples, Menu::Training, Menu::View, Menu::Help})
        bar << w.menu(m)->menuAction();
    QCOMPARE(w.menuBar()->actions(), bar);
    const QList<QAction*> file = w.menu(Menu::File)->actions();
    QVERIFY(file.contains(w.menu(Menu::Export)->menuAction()));
    QVERIFY(file.indexOf(w.menu(Menu::Export)->menuAction()) + 1 == file.indexOf(w.menu(Menu::Import)->menuAction()));
    // The shell's closing entries come after every feature's: Quit ends File, About ends Help.
    QCOMPARE(file.last()->shortcuts(), QKeySequence::keyBindings(QKeySequence::Quit));
    for (const auto& f : features)
        for (QAction* a : f.feature(w)->menuActions(Menu::File))
            QVERIFY(file.indexOf(a) < file.size() - 1);
    const QList<QAction*> help = w.menu(Menu::Help)->actions();
    QVERIFY(help.size() >= 2 && help[help.size() - 2]->isSeparator());
    for (const auto& f : features)
        for (QAction* a : f.feature(w)->menuActions(Menu::Help))
            QVERIFY(help.indexOf(a) < help.size() - 2);
}

void TestWorkbenchShell::docksAreAddressedByEnum_data()
{
    QTest::addColumn<Dock>("dock");
    QTest::addColumn<int>("area");
    QTest::addColumn<bool>("shownAtStart");
    QTest::addColumn<FeatureOf>("owner"); // null: the shell's own
    QTest::newRow("run settings") << Dock::RunSettings << int(Qt::LeftDockWidgetArea) << true << FeatureOf{};
    QTest::newRow("learning curves") << Dock::LearningCurves << int(Qt::LeftDockWidgetArea) << true << FeatureOf{};
    QTest::newRow("weights") << Dock::Weights << int(Qt::LeftDockWidgetArea) << true << FeatureOf{};
    QTest::newRow("history") << Dock::History << int(Qt::LeftDockWidgetArea) << true
                             << &featureOf<ui::UndoHistoryFeature>;
    QTest::newRow("lessons") << Dock::Lessons << int(Qt::RightDockWidgetArea) << false
                             << &featureOf<ui::LessonsFeature>;
    QTest::newRow("inspector") << Dock::Inspector << int(Qt::BottomDockWidgetArea) << false
                               << &featureOf<ui::RuleInspectorFeature>;
    QTest::newRow("runs") << Dock::Runs << int(Qt::RightDockWidgetArea) << false << &featureOf<ui::RunsFeature>;
    QTest::newRow("dataset") << Dock::Dataset << int(Qt::RightDockWidgetArea) << false
                             << &featureOf<ui::DatasetFeature>;
    QTest::newRow("accuracy") << Dock::Accuracy << int(Qt::LeftDockWidgetArea) << false
                              << &featureOf<ui::DatasetFeature>;
    QTest::newRow("confusion") << Dock::Confusion << int(Qt::RightDockWidgetArea) << false
                               << &featureOf<ui::DatasetFeature>;
}

void TestWorkbenchShell::docksAreAddressedByEnum()
{
    QFETCH(Dock, dock);
    QFETCH(int, area);
    QFETCH(bool, shownAtStart);
    QFETCH(FeatureOf, owner);
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setProject(generators::xorTask(1), QStringLiteral("XOR"));
    QDockWidget* d = w.dock(dock);
    QVERIFY(d);
    QCOMPARE(int(w.dockWidgetArea(d)), area);
    QCOMPARE(!d->isHidden(), shownAtStart);
    QVERIFY(w.menu(Menu::View)->actions().contains(d->toggleViewAction()));
    if (owner)
        QVERIFY(owner(w)->menuActions(Menu::View).contains(d->toggleViewAction()));
    // Shown on request, in front of whatever shares its tab group.
    if (!w.tabifiedDockWidgets(d).isEmpty())
        w.tabifiedDockWidgets(d).first()->raise();
    QVERIFY(w.showDock(dock));
    QTRY_VERIFY(d->isVisible() && !d->visibleRegion().isEmpty());
    d->hide();
    QVERIFY(!d->isVisible());
    QVERIFY(w.showDock(dock));
    QTRY_VERIFY(d->isVisible());
}

void TestWorkbenchShell::tabsAreAddressedByEnum_data()
{
    QTest::addColumn<Tab>("tab");
    QTest::newRow("live") << Tab::Live;
    QTest::newRow("network") << Tab::Network;
    QTest::newRow("task") << Tab::Task;
}

void TestWorkbenchShell::tabsAreAddressedByEnum()
{
    QFETCH(Tab, tab);
    ui::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.currentTab(), Tab::Live); // the window opens on the live view
    QWidget* content = w.tab(tab);
    QVERIFY(content);
    switch (tab) {
    case Tab::Live:
        QVERIFY(content->isAncestorOf(w.membranePlot()));
        break;
    case Tab::Network:
        QVERIFY(qobject_cast<ui::NetworkDesigner*>(content));
        break;
    case Tab::Task:
        QVERIFY(qobject_cast<ui::TaskDesigner*>(content));
        break;
    }
    // Away and back: the tab is shown, the others hidden.
    w.showTab(tab == Tab::Task ? Tab::Network : Tab::Task);
    QVERIFY(!content->isVisible());
    w.showTab(tab);
    QCOMPARE(w.currentTab(), tab);
    QVERIFY(content->isVisible());
}

QTEST_MAIN(TestWorkbenchShell)
#include "tst_workbenchshell.moc"
