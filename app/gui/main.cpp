// normad-workbench: the desktop application. `normad-workbench [PROJECT | --example xor|multilayer|single]`.

#include "normad/TaskGenerators.h"
#include "normad/Version.h"
#include "normad/ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("NormAD Workbench"));
    QApplication::setOrganizationName(QStringLiteral("NormAD"));
    QApplication::setApplicationVersion(QString::fromLatin1(normad::versionString()));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Train spiking neural networks with NormAD"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption example(QStringLiteral("example"), QStringLiteral("Open a built-in example: xor, multilayer or single."),
                               QStringLiteral("name"));
    parser.addOption(example);
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("Project file to open."));
    parser.process(app);

    normad::ui::MainWindow window;
    if (parser.isSet(example)) {
        const QString name = parser.value(example);
        if (name == QLatin1String("xor"))
            window.setProject(normad::generators::xorTask(1), QStringLiteral("XOR example"));
        else if (name == QLatin1String("multilayer"))
            window.setProject(normad::generators::multilayer(1), QStringLiteral("Multi-layer example"));
        else if (name == QLatin1String("single"))
            window.setProject(normad::generators::singleNeuron(1), QStringLiteral("Single-neuron example"));
        else {
            qCritical("normad-workbench: unknown example \"%s\" (expected xor, multilayer or single)", qPrintable(name));
            return 2;
        }
    } else if (!parser.positionalArguments().isEmpty()) {
        window.openProject(parser.positionalArguments().first());
    }
    window.show();
    return app.exec();
}
