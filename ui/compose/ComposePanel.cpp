// SPDX-License-Identifier: GPL-3.0-or-later
#include "compose/ComposePanel.h"

#include "media/ImageCheck.h"
#include "style/Style.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QGuiApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QImageReader>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace framecast::ui {

QStringList ComposePanel::sampleImages()
{
    return {QStringLiteral(":/samples/fractal-dusk.jpg"), QStringLiteral(":/samples/sunset-gradient.jpg"),
            QStringLiteral(":/samples/coral-pattern.jpg"), QStringLiteral(":/samples/garden-life.jpg")};
}

ComposePanel::ComposePanel(QWidget *parent)
    : QWidget(parent)
    , m_prompt(new QPlainTextEdit(this))
    , m_count(new QLabel(this))
    , m_duration(new QComboBox(this))
    , m_size(new QComboBox(this))
    , m_variations(new QSpinBox(this))
    , m_perLine(new QCheckBox(tr("One prompt per &line"), this))
    , m_thumbnail(new QLabel(this))
    , m_error(new QLabel(this))
    , m_choose(new QPushButton(tr("Choose image…"), this))
    , m_generate(new QPushButton(tr("Generate"), this))
{
    setAcceptDrops(true);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(style::spacing(style::Space::Related));
    // The prompt comes first and largest: it is what makes the video.
    auto *title = new QLabel(tr("<b>Describe your video</b>"), this);
    style::setTextRole(title, style::TextRole::Heading);
    layout->addWidget(title);
    m_prompt->setPlaceholderText(tr("A paper boat drifting down a rainy street at dusk…"));
    m_prompt->setAccessibleName(tr("Prompt"));
    m_prompt->setTabChangesFocus(true);
    style::setTextRole(m_prompt, style::TextRole::Prompt);
    // Five lines at least; it grows with the window up to twelve.
    const int promptFrame = 2 * m_prompt->frameWidth() + 8;
    m_prompt->setMinimumHeight(m_prompt->fontMetrics().lineSpacing() * 5 + promptFrame);
    m_prompt->setMaximumHeight(m_prompt->fontMetrics().lineSpacing() * 12 + promptFrame);
    layout->addWidget(m_prompt, 1);
    m_count->setAccessibleName(tr("Prompt length"));
    m_count->setAlignment(Qt::AlignRight);
    style::setTextRole(m_count, style::TextRole::Caption);
    style::setMuted(m_count);
    layout->addWidget(m_count);

    auto *options = new QGridLayout;
    auto *durationLabel = new QLabel(tr("&Duration"), this);
    durationLabel->setBuddy(m_duration);
    m_duration->addItem(tr("4 seconds"), 4);
    m_duration->addItem(tr("8 seconds"), 8);
    m_duration->addItem(tr("12 seconds"), 12);
    m_duration->setAccessibleName(tr("Duration"));
    auto *sizeLabel = new QLabel(tr("&Format"), this);
    sizeLabel->setBuddy(m_size);
    m_size->addItem(tr("Landscape 1280×720"), QSize(1280, 720));
    m_size->addItem(tr("Portrait 720×1280"), QSize(720, 1280));
    m_size->setAccessibleName(tr("Format"));
    options->addWidget(durationLabel, 0, 0);
    options->addWidget(m_duration, 0, 1);
    options->addWidget(sizeLabel, 1, 0);
    options->addWidget(m_size, 1, 1);
    auto *variationsLabel = new QLabel(tr("&Variations"), this);
    variationsLabel->setBuddy(m_variations);
    m_variations->setRange(1, kMaxVariations);
    m_variations->setAccessibleName(tr("Variations of each prompt"));
    m_variations->setToolTip(tr("How many videos to make of each prompt"));
    options->addWidget(variationsLabel, 2, 0);
    options->addWidget(m_variations, 2, 1);
    m_perLine->setAccessibleName(tr("One prompt per line"));
    m_perLine->setToolTip(tr("Each line of the prompt becomes a job of its own; they start one after another"));
    options->addWidget(m_perLine, 3, 0, 1, 2);
    layout->addLayout(options);

    layout->addSpacing(style::spacing(style::Space::Group));
    layout->addWidget(style::heading(tr("Reference image"), this));
    auto *imageHint = new QLabel(tr("Choose one, drop one here, paste one, or try a sample:"), this);
    imageHint->setWordWrap(true);
    style::setMuted(imageHint);
    layout->addWidget(imageHint);
    auto *samples = new QHBoxLayout;
    const QStringList files = sampleImages();
    for (int i = 0; i < files.size(); ++i) {
        auto *button = new QPushButton(this);
        // Drawn for a 3x screen and scaled down for others: sharp at any ratio.
        // From the sample's small copy (resources/samples/thumbs): decoding the
        // four full images took a third of the window's construction.
        button->setIconSize(QSize(72, 40));
        const QString thumb = QStringLiteral(":/samples/thumbs/%1.jpg").arg(QFileInfo(files.at(i)).completeBaseName());
        button->setIcon(QIcon(style::coverPixmap(QPixmap(thumb), button->iconSize() * 3, 1.0)));
        button->setAccessibleName(tr("Sample image %1").arg(i + 1));
        button->setToolTip(QFileInfo(files.at(i)).baseName());
        connect(button, &QPushButton::clicked, this, [this, file = files.at(i)] { setImage(file); });
        samples->addWidget(button);
        m_samples << button;
    }
    m_choose->setAccessibleName(tr("Choose a reference image"));
    connect(m_choose, &QPushButton::clicked, this, &ComposePanel::chooseFile);
    samples->addWidget(m_choose);
    samples->addStretch(1);
    layout->addLayout(samples);

    m_thumbnail->setFixedHeight(120);
    m_thumbnail->setAlignment(Qt::AlignCenter);
    m_thumbnail->setAccessibleName(tr("Reference image preview"));
    m_thumbnail->setText(tr("No image yet"));
    style::setMuted(m_thumbnail);
    layout->addWidget(m_thumbnail);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d33;"));
    m_error->setAccessibleName(tr("Input problem"));
    layout->addWidget(m_error);

    m_generate->setAccessibleName(tr("Generate video"));
    m_generate->setToolTip(tr("Generate (Ctrl+Enter)"));
    m_generate->setDefault(true);
    m_generate->setIcon(style::icon(QStringLiteral("generate")));
    style::setTextRole(m_generate, style::TextRole::Heading);
    m_generate->setMinimumHeight(m_generate->fontMetrics().height() * 2);
    layout->addSpacing(style::spacing(style::Space::Group));
    layout->addWidget(m_generate);
    layout->addStretch(1);

    connect(m_prompt, &QPlainTextEdit::textChanged, this, &ComposePanel::updateState);
    connect(m_variations, &QSpinBox::valueChanged, this, &ComposePanel::updateState);
    connect(m_perLine, &QCheckBox::toggled, this, &ComposePanel::updateState);
    connect(m_generate, &QPushButton::clicked, this, &ComposePanel::requestGenerate);
    // Paste an image (a screenshot, a copied picture) as the reference.
    auto *paste = new QShortcut(QKeySequence(QKeySequence::Paste), this);
    paste->setContext(Qt::WidgetWithChildrenShortcut);
    connect(paste, &QShortcut::activated, this, [this] {
        if (!pasteImage() && m_prompt->hasFocus())
            m_prompt->paste();
    });
    for (const QKeySequence &keys : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &ComposePanel::requestGenerate);
    }
    updateState();
}

void ComposePanel::setPrompt(const QString &prompt)
{
    m_prompt->setPlainText(prompt);
}

QString ComposePanel::prompt() const
{
    return m_prompt->toPlainText();
}

QString ComposePanel::errorText() const
{
    return m_error->text();
}

bool ComposePanel::setImage(const QString &path)
{
    const CheckedImage image = checkReferenceImage(path);
    if (!image.ok) {
        m_error->setText(image.error);
        return false;
    }
    m_imagePath = path;
    m_error->clear();
    QPixmap pixmap;
    pixmap.loadFromData(image.data);
    // The thumbnail shows the crop the video uses: cover-fill to the format.
    const QSize format = m_size->currentData().toSize();
    const QSize box = format.scaled(QSize(200, 112), Qt::KeepAspectRatio);
    m_thumbnail->setPixmap(style::coverPixmap(pixmap, box, devicePixelRatioF()));
    updateState();
    return true;
}

bool ComposePanel::pasteImage()
{
    const QImage image = QGuiApplication::clipboard()->image();
    if (image.isNull())
        return false;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    QDir().mkpath(dir);
    const QString file = QDir(dir).filePath(QStringLiteral("pasted-%1.png").arg(QDateTime::currentMSecsSinceEpoch()));
    if (!image.save(file, "PNG")) {
        m_error->setText(tr("Could not keep the pasted image in %1").arg(dir));
        return true;
    }
    setImage(file);
    return true;
}

void ComposePanel::chooseFile()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Choose a reference image"), QStandardPaths::writableLocation(QStandardPaths::PicturesLocation),
        tr("Images (*.png *.jpg *.jpeg *.webp)"));
    if (!file.isEmpty())
        setImage(file);
}

void ComposePanel::setOnePromptPerLine(bool on)
{
    m_perLine->setChecked(on);
}

void ComposePanel::setVariations(int count)
{
    m_variations->setValue(count);
}

QStringList ComposePanel::prompts() const
{
    if (!m_perLine->isChecked()) {
        const QString whole = prompt().trimmed();
        return whole.isEmpty() ? QStringList() : QStringList{whole};
    }
    QStringList out;
    for (const QString &line : prompt().split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            out << line.trimmed();
    }
    return out;
}

QString ComposePanel::promptProblem() const
{
    const QStringList all = prompts();
    if (all.isEmpty())
        return checkPrompt(QString());
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (const QString problem = checkPrompt(all.at(i)); !problem.isEmpty())
            return all.size() == 1 ? problem : tr("Line %1: %2").arg(i + 1).arg(problem);
    }
    return {};
}

void ComposePanel::updateState()
{
    const int jobs = int(prompts().size()) * m_variations->value();
    const bool ok = promptProblem().isEmpty();
    if (m_perLine->isChecked()) {
        m_count->setText(ok ? tr("%n prompt(s)", nullptr, int(prompts().size())) : promptProblem());
    } else {
        const qsizetype n = prompt().trimmed().size();
        m_count->setText(ok || n == 0 ? tr("%1 / 2000").arg(n) : tr("%1 / 2000 — at least 10 characters").arg(n));
        if (n > 2000)
            m_count->setText(tr("%1 / 2000").arg(n));
    }
    m_generate->setEnabled(ok && !m_imagePath.isEmpty());
    m_generate->setText(jobs > 1 ? tr("Generate %n videos", nullptr, jobs) : tr("Generate"));
}

void ComposePanel::requestGenerate()
{
    const QString problem = promptProblem();
    if (!problem.isEmpty() || m_imagePath.isEmpty()) {
        m_error->setText(problem.isEmpty() ? tr("Choose a reference image first") : problem);
        return;
    }
    QList<JobParams> jobs;
    for (const QString &text : prompts()) {
        JobParams p;
        p.prompt = text;
        p.imagePath = m_imagePath;
        p.durationSeconds = m_duration->currentData().toInt();
        p.size = m_size->currentData().toSize();
        for (int i = 0; i < m_variations->value(); ++i)
            jobs << p;
    }
    m_error->clear();
    Q_EMIT generateRequested(jobs);
}

void ComposePanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void ComposePanel::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        setImage(urls.first().toLocalFile());
}

} // namespace framecast::ui
