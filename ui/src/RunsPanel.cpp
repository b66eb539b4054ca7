#include "normad/ui/RunsPanel.h"

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RunCurveOverlay.h"
#include "normad/ui/RunHistory.h"
#include "normad/ui/RunRasterOverlay.h"
#include "normad/ui/RunStyle.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <cmath>

namespace normad::ui {

namespace {
enum Column { IdColumn, NameColumn, EpochsColumn, WorstColumn, ColumnCount };

// A swatch of the run's colour and line style, so the list is its own legend.
QIcon runIcon(int id)
{
    QPixmap pixmap(28, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(runstyle::color(id), 2.4, runstyle::penStyle(id)));
    painter.drawLine(1, 6, 27, 6);
    return QIcon(pixmap);
}
} // namespace

RunsPanel::RunsPanel(RunHistory* history, QWidget* parent) : QWidget(parent), m_history(history)
{
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("runList"));
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Run"), tr("Name (double-click to rename)"), tr("Epochs"), tr("Worst C")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(IdColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(EpochsColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(WorstColumn, QHeaderView::ResizeToContents);
    m_list->setMinimumHeight(70);
    m_list->setMaximumHeight(16777215);
    m_list->setToolTip(tr("Every finished training session is kept here until another project is opened"));

    m_bookmark = new QPushButton(tr("Bookmark weights"), this);
    m_bookmark->setToolTip(tr("Keep the current weights and history to branch from later"));
    m_bookmarks = new QComboBox(this);
    m_bookmarks->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_bookmarks->setMinimumContentsLength(14);
    m_bookmarks->setToolTip(tr("Bookmarked weights"));
    m_branch = new QPushButton(tr("Branch"), this);
    m_branch->setToolTip(tr("Restore the bookmark's weights and truncate the history to its epoch (undoable); "
                            "then change the settings and train again"));
    m_remove = new QPushButton(tr("Remove run"), this);
    m_export = new QPushButton(tr("Export plot"), this);
    auto* exportMenu = new QMenu(m_export);
    m_export->setMenu(exportMenu);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_bookmark);
    buttons->addWidget(m_bookmarks, 1);
    buttons->addWidget(m_branch);
    buttons->addSpacing(8);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_export);

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(4, 4, 4, 0);
    topLayout->addWidget(m_list, 1);
    topLayout->addLayout(buttons);

    m_curves = new RunCurveOverlay(this);
    m_rasters = new RunRasterOverlay(this);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("runsSplitter"));
    split->setChildrenCollapsible(false);
    split->addWidget(top);
    split->addWidget(m_curves);
    split->addWidget(m_rasters);
    // The list needs a few rows; the plots take the rest (the user can drag the handles).
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 5);
    split->setStretchFactor(2, 4);
    split->setSizes({150, 500, 400});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    exportMenu->addAction(tr("Learning curves…"), this,
                          [this] { emit exportRequested(m_curves->plot(), QStringLiteral("run-curves")); });
    exportMenu->addAction(tr("Final rasters…"), this,
                          [this] { emit exportRequested(m_rasters->plot(), QStringLiteral("run-rasters")); });
    connect(m_bookmark, &QPushButton::clicked, this,
            [this] { m_bookmarks->setCurrentIndex(m_history->addBookmark()); });
    connect(m_branch, &QPushButton::clicked, this, &RunsPanel::branchFromChosen);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem* item = m_list->currentItem())
            m_history->removeRun(m_list->indexOfTopLevelItem(item));
    });
    connect(m_list, &QTreeWidget::itemChanged, this, &RunsPanel::itemChanged);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] { m_remove->setEnabled(m_list->currentItem()); });
    auto followTask = [this] { m_rasters->setTaskDuration(m_history->document()->project().simulation.duration); };
    connect(m_history->document(), &ProjectDocument::changed, this, followTask);
    followTask();
    connect(m_history, &RunHistory::runsChanged, this, [this] {
        rebuildList();
        replot();
    });
    connect(m_history, &RunHistory::runUpdated, this, [this](int index) {
        updateItem(index);
        replot();
    });
    connect(m_history, &RunHistory::bookmarksChanged, this, &RunsPanel::rebuildBookmarks);
    rebuildList();
    rebuildBookmarks();
    replot();
}

void RunsPanel::branchFromChosen()
{
    const QString error = m_history->branchFrom(m_bookmarks->currentIndex());
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Cannot branch"), error);
}

void RunsPanel::rebuildList()
{
    m_filling = true;
    m_list->clear();
    for (std::size_t i = 0; i < m_history->runs().size(); ++i) {
        auto* item = new QTreeWidgetItem(m_list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsEditable);
        m_list->addTopLevelItem(item);
        updateItem(static_cast<int>(i));
    }
    m_filling = false;
    m_remove->setEnabled(m_list->currentItem());
    m_export->setEnabled(!m_history->runs().empty());
}

void RunsPanel::updateItem(int index)
{
    QTreeWidgetItem* item = m_list->topLevelItem(index);
    if (!item || index >= static_cast<int>(m_history->runs().size()))
        return;
    const Run& run = m_history->runs()[static_cast<std::size_t>(index)];
    const bool filling = m_filling;
    m_filling = true;
    item->setText(IdColumn, QStringLiteral("#%1").arg(run.id));
    item->setIcon(IdColumn, runIcon(run.id));
    item->setCheckState(IdColumn, run.checked ? Qt::Checked : Qt::Unchecked);
    item->setToolTip(IdColumn, tr("Checked runs are drawn in the comparison plots"));
    item->setText(NameColumn, run.name);
    item->setText(EpochsColumn, QString::number(run.history.size()));
    item->setTextAlignment(EpochsColumn, Qt::AlignRight | Qt::AlignVCenter);
    if (!run.history.empty()) {
        const EpochMetrics& last = run.history.back();
        const double worst =
            std::isnan(last.evaluatedMinCorrelation) ? last.minCorrelation : last.evaluatedMinCorrelation;
        item->setText(WorstColumn, QString::number(worst, 'f', 3));
        item->setTextAlignment(WorstColumn, Qt::AlignRight | Qt::AlignVCenter);
    }
    item->setToolTip(NameColumn, tr("%1\nseed %2 · %3 epochs this session · %4")
                                     .arg(QString::fromStdString(describeVariant(run.training)))
                                     .arg(run.seed)
                                     .arg(run.sessionEpochs)
                                     .arg(run.stopMessage));
    m_filling = filling;
}

void RunsPanel::itemChanged(QTreeWidgetItem* item, int column)
{
    if (m_filling)
        return;
    const int index = m_list->indexOfTopLevelItem(item);
    if (index < 0 || index >= static_cast<int>(m_history->runs().size()))
        return;
    const Run& run = m_history->runs()[static_cast<std::size_t>(index)];
    const bool checked = item->checkState(IdColumn) == Qt::Checked;
    if (column == IdColumn && checked != run.checked)
        m_history->setChecked(index, checked);
    else if (column == NameColumn && !item->text(NameColumn).trimmed().isEmpty() && item->text(NameColumn) != run.name)
        m_history->setName(index, item->text(NameColumn));
    else
        updateItem(index); // only the name is editable: undo an edit of another column
}

void RunsPanel::rebuildBookmarks()
{
    const int previous = m_bookmarks->currentIndex();
    m_bookmarks->clear();
    for (const Bookmark& b : m_history->bookmarks())
        m_bookmarks->addItem(b.name);
    if (m_bookmarks->count() == 0)
        m_bookmarks->setPlaceholderText(tr("no bookmark yet"));
    m_bookmarks->setCurrentIndex(previous >= 0 && previous < m_bookmarks->count() ? previous
                                                                                  : m_bookmarks->count() - 1);
    m_branch->setEnabled(m_bookmarks->count() > 0);
}

void RunsPanel::replot()
{
    m_curves->showRuns(m_history->runs());
    m_rasters->showRuns(m_history->runs());
}

} // namespace normad::ui
