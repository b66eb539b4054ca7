#include "normad/ui/MainWindow.h"

#include "normad/ProjectIo.h"
#include "normad/TrainingParams.h"
#include "normad/Version.h"

#include <QApplication>
#include <QFileInfo>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace normad::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    m_summary = new QLabel(this);
    m_summary->setAlignment(Qt::AlignCenter);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    setCentralWidget(m_summary);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Project…"), this, &MainWindow::chooseProject);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About NormAD Workbench"), this, &MainWindow::showAbout);

    resize(1280, 800);
    refresh();
}

bool MainWindow::openProject(const QString& path)
{
    try {
        setProject(loadProject(path.toStdString()), QFileInfo(path).fileName());
        return true;
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot open project"), QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::setProject(Project project, const QString& displayName)
{
    project.ensureWeights();
    m_project = std::move(project);
    m_displayName = displayName;
    refresh();
}

void MainWindow::chooseProject()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Project"), QString(), tr("NormAD projects (*.json);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About NormAD Workbench"),
                       tr("<h3>NormAD Workbench %1</h3><p>Supervised learning of precise spike times in "
                          "feed-forward networks of leaky integrate-and-fire neurons with NormAD "
                          "(Anwani &amp; Rajendran, IJCNN 2015; Neurocomputing 2020).</p>")
                           .arg(QString::fromLatin1(versionString())));
}

void MainWindow::refresh()
{
    if (!m_project) {
        setWindowTitle(tr("NormAD Workbench"));
        m_summary->setText(tr("<p>Open a project with <b>File ▸ Open Project…</b><br>or create one with "
                              "<tt>normad example xor</tt>.</p>"));
        statusBar()->showMessage(tr("No project"));
        return;
    }
    const Project& p = *m_project;
    setWindowTitle(tr("%1 — NormAD Workbench").arg(m_displayName));
    QStringList sizes{QString::number(p.network.inputCount())};
    for (int l = 1; l <= p.network.layerCount(); ++l)
        sizes << QString::number(p.network.populationSize(l));
    m_summary->setText(tr("<h2>%1</h2><p>%2</p><p>Network %3 · %4 pattern(s) of %5 ms · dt = %6 ms</p><p>%7</p>")
                           .arg(QString::fromStdString(p.name).toHtmlEscaped(),
                                QString::fromStdString(p.description).toHtmlEscaped(), sizes.join(QStringLiteral(" → ")))
                           .arg(p.task.patterns.size())
                           .arg(p.simulation.duration * 1e3)
                           .arg(p.simulation.dt * 1e3)
                           .arg(QString::fromStdString(describeVariant(p.training)).toHtmlEscaped()));
    statusBar()->showMessage(tr("Loaded %1").arg(m_displayName));
}

} // namespace normad::ui
