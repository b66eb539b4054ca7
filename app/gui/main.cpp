// normad-workbench: the desktop application.
//   normad-workbench [PROJECT | --example xor|multilayer|single] [--start]
//                    [--screenshot FILE [--after-ms N] [--size WxH]]

#include "normad/Version.h"
#include "normad/imagedata/ImageFolderReader.h"
#include "normad/ui/Autosave.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingController.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    // Image-folder datasets are decoded by Qt, which the engine does not link.
    normad::registerImageFolderReader();
    QApplication::setApplicationName(QStringLiteral("NormAD Workbench"));
    QApplication::setOrganizationName(QStringLiteral("NormAD"));
    QApplication::setApplicationVersion(QString::fromLatin1(normad::versionString()));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Train spiking neural networks with NormAD"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption example(QStringLiteral("example"),
                               QStringLiteral("Open a built-in example: xor, multilayer or single."),
                               QStringLiteral("name"));
    QCommandLineOption start(QStringLiteral("start"), QStringLiteral("Start training as soon as the window is shown."));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a picture of the window to FILE (PNG) and quit."),
                                  QStringLiteral("FILE"));
    QCommandLineOption afterMs(QStringLiteral("after-ms"),
                               QStringLiteral("Delay before the screenshot (default 3000)."), QStringLiteral("N"),
                               QStringLiteral("3000"));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1280x800."),
                            QStringLiteral("WxH"));
    QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("Show a tab first: live, network or task."),
                           QStringLiteral("name"));
    parser.addOptions({example, start, screenshot, afterMs, size, tab});
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("Project file to open."));
    parser.process(app);

    normad::ui::MainWindow window;
    if (parser.isSet(example)) {
        if (!window.openExample(parser.value(example))) {
            std::fprintf(stderr, "normad-workbench: unknown example \"%s\" (expected xor, multilayer or single)\n",
                         qPrintable(parser.value(example)));
            return 2;
        }
    } else if (!parser.positionalArguments().isEmpty()) {
        window.openProject(parser.positionalArguments().first());
    }
    // The last session's size and docks (first time: maximised on a large screen); a scripted
    // screenshot is taken at the size it asks for, independent of the user's layout.
    if (!parser.isSet(screenshot) && !parser.isSet(size))
        window.restoreLayout();
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    if (parser.isSet(tab)) {
        const QString name = parser.value(tab);
        if (name == QLatin1String("network"))
            window.showTab(normad::ui::Tab::Network);
        else if (name == QLatin1String("task"))
            window.showTab(normad::ui::Tab::Task);
        else if (name != QLatin1String("live")) {
            std::fprintf(stderr, "normad-workbench: unknown tab \"%s\" (expected live, network or task)\n",
                         qPrintable(name));
            return 2;
        }
    }
    window.show();
    // Work autosaved by a session that crashed or was killed is offered once the window is up
    // (not in a scripted screenshot run, which must not block on a question).
    if (!parser.isSet(screenshot))
        QTimer::singleShot(0, &window, [&window] { normad::ui::Autosave::offerRecovery(&window); });
    if (parser.isSet(start)) {
        normad::ui::ProjectDocument* document = window.document();
        if (document->project().dataset && !document->loadedDataset()) // its data is still loading
            QObject::connect(
                document, &normad::ui::ProjectDocument::datasetChanged, window.training(),
                [&window] {
                    if (window.document()->loadedDataset())
                        window.training()->start();
                },
                Qt::SingleShotConnection);
        else
            QTimer::singleShot(0, window.training(), &normad::ui::TrainingController::start);
    }
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(parser.value(afterMs).toInt(), &window, [&window, file] {
            const bool ok = window.grab().save(file);
            std::fprintf(ok ? stdout : stderr, ok ? "saved %s\n" : "cannot write %s\n", qPrintable(file));
            window.setConfirmUnsavedChanges(false);
            window.close();
            QCoreApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
