#include "normad/ui/LessonPanel.h"

#include "normad/ui/LessonRunner.h"
#include "normad/ui/ParameterSweep.h"
#include "normad/ui/PlotStyle.h"
#include "normad/ui/ProjectDocument.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

#include <qcustomplot.h>

namespace normad::ui {

LessonPanel::LessonPanel(LessonRunner* runner, ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_runner(runner), m_document(document)
{
    m_chooser = new QComboBox(this);
    m_chooser->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_chooser->setMinimumContentsLength(20);
    auto* open = new QPushButton(tr("Open…"), this);
    open->setToolTip(tr("Open a lesson file (docs/lessons.md describes the format)"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_chooser, 1);
    top->addWidget(open);

    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setStyleSheet(QStringLiteral("color:#444; font-style:italic;"));
    m_header = new QLabel(this);
    m_header->setWordWrap(true);
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    headerFont.setPointSizeF(headerFont.pointSizeF() * 1.15);
    m_header->setFont(headerFont);
    m_text = new QTextBrowser(this);
    m_text->setOpenExternalLinks(true);
    m_text->setFrameShape(QFrame::NoFrame);

    m_back = new QPushButton(tr("◀ Back"), this);
    m_run = new QPushButton(tr("Set up ▶"), this);
    m_run->setToolTip(tr("Let the lesson set the workbench up for this step"));
    m_next = new QPushButton(tr("Next ▶"), this);
    QFont runFont = m_run->font();
    runFont.setBold(true);
    m_run->setFont(runFont);
    auto* nav = new QHBoxLayout;
    nav->addWidget(m_back);
    nav->addStretch(1);
    nav->addWidget(m_run);
    nav->addStretch(1);
    nav->addWidget(m_next);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_questions = new QWidget(this);
    m_questionLayout = new QVBoxLayout(m_questions);
    m_questionLayout->setContentsMargins(0, 0, 0, 0);
    auto* questionScroll = new QScrollArea(this);
    questionScroll->setWidget(m_questions);
    questionScroll->setWidgetResizable(true);
    questionScroll->setFrameShape(QFrame::NoFrame);

    m_sweepBox = new QWidget(this);
    m_sweepTitle = new QLabel(m_sweepBox);
    m_sweepTitle->setWordWrap(true);
    m_sweepCancel = new QPushButton(tr("Cancel sweep"), m_sweepBox);
    m_sweepPlot = new QCustomPlot(m_sweepBox);
    plotstyle::applyDefaults(m_sweepPlot);
    m_sweepPlot->setMinimumHeight(180);
    plotstyle::styleAxisRect(m_sweepPlot->axisRect(), tr("Epoch"), tr("worst-pattern C"));
    m_sweepPlot->legend->setVisible(true);
    QFont legendFont = m_sweepPlot->font();
    legendFont.setPointSizeF(std::max(7.5, legendFont.pointSizeF() * 0.85));
    m_sweepPlot->legend->setFont(legendFont);
    // The legend goes below the axes in two columns: the curves stay visible.
    m_sweepPlot->axisRect()->insetLayout()->take(m_sweepPlot->legend);
    m_sweepPlot->plotLayout()->addElement(1, 0, m_sweepPlot->legend);
    m_sweepPlot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_sweepPlot->legend->setWrap(2);
    m_sweepPlot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_sweepPlot->legend->setBorderPen(Qt::NoPen);
    m_sweepPlot->legend->setMargins(QMargins(4, 0, 4, 2));
    auto* sweepHead = new QHBoxLayout;
    sweepHead->addWidget(m_sweepTitle, 1);
    sweepHead->addWidget(m_sweepCancel);
    auto* sweepLayout = new QVBoxLayout(m_sweepBox);
    sweepLayout->setContentsMargins(0, 4, 0, 0);
    sweepLayout->addLayout(sweepHead);
    sweepLayout->addWidget(m_sweepPlot, 1);
    m_sweepBox->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_header);
    layout->addWidget(m_text);
    layout->addLayout(nav);
    layout->addWidget(m_status);
    layout->addWidget(questionScroll, 2);
    layout->addWidget(m_sweepBox, 3);

    m_sweep = new ParameterSweep(this);
    connect(m_sweep, &ParameterSweep::trialFinished, this, &LessonPanel::sweepTrialFinished);
    connect(m_sweep, &ParameterSweep::finished, this, [this](bool cancelled) {
        m_sweepCancel->setEnabled(false);
        m_sweepTitle->setText(
            QStringLiteral("<b>%1</b> — %2")
                .arg(m_sweep->request().title.toHtmlEscaped(), cancelled ? tr("cancelled") : tr("done")));
    });
    connect(m_sweep, &ParameterSweep::failed, this, [this](const QString& message) { setStatus(message, true); });
    connect(m_sweepCancel, &QPushButton::clicked, m_sweep, &ParameterSweep::cancel);
    connect(m_chooser, &QComboBox::currentIndexChanged, this, &LessonPanel::setLesson);
    connect(m_back, &QPushButton::clicked, this, [this] { setStep(m_step - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setStep(m_step + 1); });
    connect(m_run, &QPushButton::clicked, this, [this] { runCurrentStep(); });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Lesson"), QString(), tr("Lessons (*.json)"));
        if (!path.isEmpty())
            openLessonFile(path);
    });
    if (m_runner)
        m_runner->sweep = [this](const SweepRequest& r) {
            if (const QString error = startSweep(r); !error.isEmpty())
                throw std::invalid_argument(error.toStdString());
        };

    for (const QString& path : bundledLessonPaths()) {
        try {
            m_lessons.push_back(loadLesson(path));
            m_chooser->addItem(m_lessons.back().title);
        } catch (const std::exception& e) {
            setStatus(QString::fromStdString(e.what()), true);
        }
    }
    if (!m_lessons.isEmpty())
        setLesson(0);
}

LessonPanel::~LessonPanel()
{
    if (m_runner)
        m_runner->sweep = nullptr;
    m_sweep->cancel();
}

void LessonPanel::addLesson(const Lesson& lesson)
{
    m_lessons.push_back(lesson);
    m_chooser->addItem(lesson.title);
    m_chooser->setCurrentIndex(m_chooser->count() - 1);
}

QString LessonPanel::openLessonFile(const QString& path)
{
    try {
        addLesson(loadLesson(path));
        setStatus(tr("Opened %1").arg(path), false);
        return {};
    } catch (const std::exception& e) {
        const QString message = QString::fromStdString(e.what());
        setStatus(message, true);
        return message;
    }
}

void LessonPanel::setLesson(int index)
{
    if (index < 0 || index >= m_lessons.size())
        return;
    m_current = index;
    if (m_chooser->currentIndex() != index) {
        const QSignalBlocker block(m_chooser);
        m_chooser->setCurrentIndex(index);
    }
    m_summary->setText(m_lessons[index].summary);
    m_summary->setVisible(!m_lessons[index].summary.isEmpty());
    m_step = 0;
    setStatus(QString(), false);
    showStep();
}

void LessonPanel::setStep(int step)
{
    if (m_current < 0 || step < 0 || step >= m_lessons[m_current].steps.size())
        return;
    m_step = step;
    setStatus(QString(), false);
    showStep();
}

void LessonPanel::showStep()
{
    const Lesson& lesson = m_lessons[m_current];
    const LessonStep& step = lesson.steps[m_step];
    m_header->setText(tr("Step %1 of %2%3")
                          .arg(m_step + 1)
                          .arg(lesson.steps.size())
                          .arg(step.title.isEmpty() ? QString() : QStringLiteral(" · ") + step.title));
    m_text->setMarkdown(step.text);
    fitText();
    m_back->setEnabled(m_step > 0);
    m_next->setEnabled(m_step + 1 < lesson.steps.size());
    m_run->setVisible(!step.actions.isEmpty());
    QStringList what;
    for (const LessonAction& a : step.actions)
        what << a.action;
    m_run->setToolTip(tr("Actions of this step: %1").arg(what.join(QStringLiteral(", "))));

    // Questions: each with its answer behind a button.
    m_showAnswers.clear();
    while (QLayoutItem* item = m_questionLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    int number = 0;
    for (const LessonQuestion& q : step.questions) {
        auto* box = new QWidget(m_questions);
        auto* l = new QVBoxLayout(box);
        l->setContentsMargins(0, 2, 0, 6);
        auto* question = new QLabel(tr("<b>Q%1.</b> %2").arg(++number).arg(q.question.toHtmlEscaped()), box);
        question->setWordWrap(true);
        auto* answer = new QLabel(tr("<b>A.</b> %1").arg(q.answer.toHtmlEscaped()), box);
        answer->setWordWrap(true);
        answer->setObjectName(QStringLiteral("answer"));
        answer->setStyleSheet(QStringLiteral("background:#eef6fb; padding:4px; border-radius:3px;"));
        answer->setVisible(false);
        auto* show = new QPushButton(tr("Show answer"), box);
        m_showAnswers.append(show);
        connect(show, &QPushButton::clicked, answer, [answer, show] {
            answer->setVisible(true);
            show->setVisible(false);
        });
        auto* row = new QHBoxLayout;
        row->addWidget(show);
        row->addStretch(1);
        l->addWidget(question);
        l->addLayout(row);
        l->addWidget(answer);
        m_questionLayout->addWidget(box);
    }
    m_questionLayout->addStretch(1);
    emit stepShown(m_current, m_step);
}

void LessonPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitText();
}

void LessonPanel::fitText()
{
    // The step's text takes the height it needs (up to a limit; beyond it, it scrolls), so the
    // questions and a sweep's curves get the rest.
    m_text->document()->setTextWidth(m_text->viewport()->width());
    const int needed = static_cast<int>(m_text->document()->size().height()) + 2 * m_text->frameWidth() + 6;
    m_text->setFixedHeight(std::clamp(needed, 60, 340));
}

void LessonPanel::revealAnswers()
{
    for (QPushButton* b : m_showAnswers)
        b->click();
}

QString LessonPanel::runCurrentStep()
{
    if (m_current < 0 || !m_runner)
        return tr("No lesson is open.");
    const QString error = m_runner->runStep(m_lessons[m_current], m_step);
    if (error.isEmpty())
        setStatus(tr("✓ Set up. Now watch the plots and try the questions."), false);
    else
        setStatus(error, true);
    return error;
}

QString LessonPanel::startSweep(const SweepRequest& request)
{
    try {
        m_sweep->start(request, m_document->project());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    m_sweepPlot->clearGraphs();
    m_sweepPlot->xAxis->setRange(0, request.maxEpochs);
    m_sweepPlot->yAxis->setRange(0, 1.02);
    for (int i = 0; i < request.values.size(); ++i) {
        QCPGraph* g = m_sweepPlot->addGraph();
        g->setPen(QPen(plotstyle::cycle()[static_cast<std::size_t>(i) % 7], 1.8));
        g->setName(request.labels.value(i) + tr(" (running…)"));
    }
    // C = 0.98: the convergence threshold.
    QCPGraph* target = m_sweepPlot->addGraph();
    target->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    target->setData({0.0, 1e6}, {0.98, 0.98});
    target->removeFromLegend();
    m_sweepTitle->setText(tr("<b>%1</b> — training %2 networks in the background…")
                              .arg(request.title.toHtmlEscaped())
                              .arg(request.values.size()));
    m_sweepCancel->setEnabled(true);
    m_sweepBox->setVisible(true);
    m_sweepPlot->replot(QCustomPlot::rpQueuedReplot);
    return {};
}

void LessonPanel::sweepTrialFinished(int index, const QString& label, const reproduction::TrialResult& result)
{
    QCPGraph* g = m_sweepPlot->graph(index);
    if (!g)
        return;
    QVector<double> keys, values;
    // The epoch axis follows the longest finished curve.
    int longest = 10;
    for (const auto& r : m_sweep->results())
        longest = std::max(longest, static_cast<int>(r.minCorrelation.size()));
    m_sweepPlot->xAxis->setRange(0, longest * 1.05 + 1);
    for (std::size_t e = 0; e < result.minCorrelation.size(); ++e) {
        keys << static_cast<double>(e + 1);
        values << result.minCorrelation[e];
    }
    g->setData(keys, values, true);
    g->setName(result.success ? tr("%1: C ≥ 0.98 at epoch %2").arg(label).arg(result.epochsToSuccess)
                              : tr("%1: not within %2 epochs (best %3)")
                                    .arg(label)
                                    .arg(result.epochs)
                                    .arg(result.bestMinCorrelation, 0, 'f', 2));
    m_sweepPlot->replot(QCustomPlot::rpQueuedReplot);
}

void LessonPanel::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color:#d55e00;") : QStringLiteral("color:#007a53;"));
    m_status->setVisible(!text.isEmpty());
}

QString LessonPanel::statusText() const
{
    return m_status->text();
}

} // namespace normad::ui
