// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallery/GalleryView.h"

#include "gallery/GalleryDelegate.h"
#include "gallery/GalleryModel.h"
#include "gallery/ThumbnailCache.h"
#include "style/Style.h"
#include "widgets/EmptyState.h"

#include <QAction>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace framecast::ui {

namespace {

constexpr QSize kStill{320, 180};

} // namespace

GalleryView::GalleryView(QWidget *parent)
    : QWidget(parent)
    , m_model(new GalleryModel(this))
    , m_stack(new QStackedWidget(this))
    , m_list(new QListView(this))
    , m_delegate(new GalleryDelegate(m_list))
    , m_empty(new EmptyState(this))
    , m_details(new QWidget(this))
    , m_still(new QLabel(m_details))
    , m_prompt(new QLabel(m_details))
    , m_facts(new QLabel(m_details))
    , m_play(new QPushButton(tr("&Play"), m_details))
    , m_openExternally(new QPushButton(tr("Open in &system player"), m_details))
    , m_showInFolder(new QPushButton(tr("Show in &folder"), m_details))
    , m_copyPrompt(new QPushButton(tr("&Copy prompt"), m_details))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // The grid: frames of the videos, in rows that reflow with the width.
    m_list->setModel(m_model);
    m_list->setItemDelegate(m_delegate);
    m_list->setViewMode(QListView::IconMode);
    m_list->setMovement(QListView::Static); // a drag goes out as a file, it never rearranges the grid
    m_list->setResizeMode(QListView::Adjust);
    m_list->setSpacing(4);
    m_list->setWordWrap(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setDragEnabled(true);
    m_list->setDragDropMode(QAbstractItemView::DragOnly);
    m_list->setDefaultDropAction(Qt::CopyAction);
    m_list->setMouseTracking(true);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setAccessibleName(tr("Finished videos"));
    m_list->viewport()->installEventFilter(this);
    m_stack->addWidget(m_list);

    // The empty state: what the gallery is and how to fill it.
    m_empty->setIcon(style::icon(QStringLiteral("empty-gallery")));
    m_empty->setObjectName(QStringLiteral("galleryEmpty"));
    m_empty->setBackgroundRole(QPalette::Base); // on the grid's background, as History's
    m_empty->setAutoFillBackground(true);
    m_stack->addWidget(m_empty);
    layout->addWidget(m_stack, 1);

    // The selected video: a larger still, its prompt and details, what can be done with it.
    auto *details = new QHBoxLayout(m_details);
    details->setContentsMargins(0, 4, 0, 0);
    m_still->setFixedSize(kStill);
    m_still->setAlignment(Qt::AlignCenter);
    m_still->setWordWrap(true);
    m_still->setStyleSheet(QStringLiteral("background:#1f1f24;color:#c8c8d0;border-radius:6px;"));
    m_still->setAccessibleName(tr("Preview of the selected video"));
    details->addWidget(m_still, 0, Qt::AlignTop);
    auto *text = new QVBoxLayout;
    m_prompt->setWordWrap(true);
    QFont promptFont = m_prompt->font();
    promptFont.setBold(true);
    m_prompt->setFont(promptFont);
    m_prompt->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_prompt->setAccessibleName(tr("Prompt of the selected video"));
    m_facts->setAccessibleName(tr("Length, size and date of the selected video"));
    m_facts->setWordWrap(true);
    text->addWidget(m_prompt);
    text->addWidget(m_facts);
    text->addStretch(1);
    auto *buttons = new QGridLayout;
    m_play->setAccessibleName(tr("Play the selected video"));
    m_openExternally->setAccessibleName(tr("Open the selected video in the system's player"));
    m_showInFolder->setAccessibleName(tr("Show the selected video in its folder"));
    m_copyPrompt->setAccessibleName(tr("Copy the selected video's prompt"));
    buttons->addWidget(m_play, 0, 0);
    buttons->addWidget(m_openExternally, 0, 1);
    buttons->addWidget(m_copyPrompt, 1, 0);
    buttons->addWidget(m_showInFolder, 1, 1);
    text->addLayout(buttons);
    details->addLayout(text, 1);
    layout->addWidget(m_details);

    auto *copy = new QAction(tr("Copy prompt"), m_list);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    m_list->addAction(copy);
    connect(copy, &QAction::triggered, this, &GalleryView::copyPrompt);
    connect(m_list, &QListView::activated, this, &GalleryView::play); // double-click, Enter
    connect(m_list, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex at = m_list->indexAt(pos);
        if (!at.isValid())
            return;
        m_list->setCurrentIndex(at);
        contextMenu()->popup(m_list->viewport()->mapToGlobal(pos));
    });
    connect(m_play, &QPushButton::clicked, this, &GalleryView::play);
    connect(m_openExternally, &QPushButton::clicked, this, &GalleryView::openExternally);
    connect(m_showInFolder, &QPushButton::clicked, this, &GalleryView::showInFolder);
    connect(m_copyPrompt, &QPushButton::clicked, this, &GalleryView::copyPrompt);
    connect(m_empty, &EmptyState::actionTriggered, this, &GalleryView::composeRequested);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &GalleryView::updatePreview);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &GalleryView::updatePreview);
    const auto refresh = [this] {
        updateEmpty();
        updatePreview();
    };
    connect(m_model, &QAbstractItemModel::rowsInserted, this, refresh);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, refresh);
    connect(m_model, &QAbstractItemModel::modelReset, this, refresh);
    updateEmpty();
    updatePreview();
}

GalleryView::~GalleryView() = default;

void GalleryView::setLedger(Ledger *ledger)
{
    m_model->setLedger(ledger);
}

void GalleryView::setOwner(const QString &serverKey, const QString &username)
{
    m_model->setOwner(serverKey, username);
    updateEmpty(); // an empty gallery stays empty, but for another reason
}

void GalleryView::setSearch(const QString &text)
{
    const qint64 selected = selectedRow();
    m_model->setSearch(text);
    if (selected > 0)
        selectRow(selected);
}

void GalleryView::setGrabberFactory(GrabberFactory factory, const QString &cacheDir)
{
    m_factory = std::move(factory);
    m_cacheDir = cacheDir;
}

GalleryView::GrabberFactory &GalleryView::defaultFactory()
{
    static GrabberFactory factory;
    return factory;
}

void GalleryView::setDefaultGrabberFactory(GrabberFactory factory)
{
    defaultFactory() = std::move(factory);
}

void GalleryView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_thumbnails)
        return;
    // First shown: only now is the decoder set up (nothing of it runs at start-up).
    const GrabberFactory &factory = m_factory ? m_factory : defaultFactory();
    std::shared_ptr<const FrameGrabber> grabber = factory ? factory() : nullptr;
    if (!grabber)
        grabber = std::make_shared<UnavailableFrameGrabber>(tr("No video decoder is available for thumbnails"));
    m_thumbnails = new ThumbnailCache(std::move(grabber), m_cacheDir.isEmpty() ? ThumbnailCache::defaultCacheDir() : m_cacheDir, this);
    m_model->setThumbnails(m_thumbnails);
}

bool GalleryView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list->viewport() && event->type() == QEvent::Resize)
        updateGrid();
    return QWidget::eventFilter(watched, event);
}

void GalleryView::updateGrid()
{
    // The width with room for a scroll bar, shown or not: a bar that comes
    // and goes must not change the columns (and bring itself back).
    const int bar = m_list->verticalScrollBar()->isVisible() ? 0 : m_list->style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    const int width = m_list->viewport()->width() - bar - 1;
    // Larger frames where four of them fit in a row.
    QStyleOptionViewItem option;
    option.font = m_list->font();
    m_delegate->setThumbnailSize(GalleryDelegate::kLargeThumbnail);
    if (width < 4 * (m_delegate->sizeHint(option, {}).width() + 8))
        m_delegate->setThumbnailSize(GalleryDelegate::kThumbnail);
    const QSize tile = m_delegate->sizeHint(option, {}) + QSize(8, 8);
    const int columns = std::max(1, width / tile.width());
    const QSize grid(std::max(tile.width(), width / columns), tile.height());
    if (m_list->gridSize() != grid)
        m_list->setGridSize(grid);
}

int GalleryView::count() const
{
    return m_model->rowCount();
}

void GalleryView::selectRow(qint64 rowId)
{
    const int row = m_model->rowOf(rowId);
    if (row >= 0)
        m_list->setCurrentIndex(m_model->index(row, 0));
}

qint64 GalleryView::selectedRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(GalleryModel::RowIdRole).toLongLong() : 0;
}

std::optional<LedgerEntry> GalleryView::current() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? m_model->entryAt(current.row()) : std::nullopt;
}

QString GalleryView::emptyText() const
{
    return m_stack->currentWidget() == m_empty ? m_empty->title() + QLatin1Char('\n') + m_empty->text() : QString();
}

QString GalleryView::previewText() const
{
    return m_details->isVisibleTo(this) ? m_prompt->text() + QLatin1Char('\n') + m_facts->text() : QString();
}

QPushButton *GalleryView::composeButton() const
{
    return m_empty->actionButton();
}

void GalleryView::updateEmpty()
{
    const Ledger *ledger = m_model->ledger();
    QString action;
    if (!ledger || !ledger->isOpen()) {
        m_empty->setTitle(tr("No gallery"));
        m_empty->setText(tr("The job history is off, so finished videos are not listed here."));
    } else if (m_model->username().isEmpty()) {
        m_empty->setTitle(tr("Not logged in"));
        m_empty->setText(tr("Log in to see the videos you made on this server."));
    } else if (m_model->rowCount() == 0 && !m_model->search().isEmpty()) {
        m_empty->setTitle(tr("Nothing found"));
        m_empty->setText(tr("No video's prompt contains “%1”. Clear the search to see them all.").arg(m_model->search()));
    } else if (m_model->rowCount() == 0) {
        m_empty->setTitle(tr("No videos yet"));
        m_empty->setText(tr("Every video you finish on this server appears here, as a frame of the video with its "
                            "prompt, length and date. Write a prompt, pick a reference image and press Generate."));
        action = tr("&Write a prompt");
    }
    m_empty->setAction(action);
    m_stack->setCurrentWidget(m_model->rowCount() > 0 ? static_cast<QWidget *>(m_list) : m_empty);
}

void GalleryView::updatePreview()
{
    const QModelIndex index = m_list->currentIndex();
    m_details->setVisible(index.isValid());
    if (!index.isValid())
        return;
    const QImage image = index.data(GalleryModel::ThumbnailRole).value<QImage>();
    const auto state = index.data(GalleryModel::ThumbnailStateRole).value<GalleryModel::ThumbnailState>();
    if (!image.isNull()) {
        m_still->setPixmap(QPixmap::fromImage(image.scaled(kStill, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    } else {
        m_still->setPixmap({});
        m_still->setText(state == GalleryModel::ThumbnailState::Failed
                             ? tr("No preview: %1").arg(index.data(GalleryModel::ThumbnailErrorRole).toString())
                             : tr("Loading preview…"));
    }
    const QString prompt = index.data(GalleryModel::PromptRole).toString();
    m_prompt->setText(prompt.isEmpty() ? tr("(no prompt recorded)") : prompt);
    m_facts->setText(GalleryDelegate::detailsText(index));
    m_copyPrompt->setEnabled(!prompt.isEmpty());
}

QMenu *GalleryView::contextMenu()
{
    if (!m_menu)
        m_menu = new QMenu(this);
    m_menu->clear();
    m_menu->setAccessibleName(tr("What to do with the video"));
    const auto e = current();
    const auto add = [this](const QString &text, void (GalleryView::*slot)(), bool enabled) {
        QAction *action = m_menu->addAction(text);
        action->setEnabled(enabled);
        connect(action, &QAction::triggered, this, slot);
    };
    add(tr("Play"), &GalleryView::play, e.has_value());
    add(tr("Open in system player"), &GalleryView::openExternally, e.has_value());
    add(tr("Show in folder"), &GalleryView::showInFolder, e.has_value());
    m_menu->addSeparator();
    add(tr("Copy prompt"), &GalleryView::copyPrompt, e && !e->params.prompt.isEmpty());
    return m_menu;
}

void GalleryView::play()
{
    if (const auto e = current())
        Q_EMIT playRequested(e->videoPath);
}

void GalleryView::openExternally()
{
    if (const auto e = current())
        QDesktopServices::openUrl(QUrl::fromLocalFile(e->videoPath));
}

void GalleryView::showInFolder()
{
    if (const auto e = current())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(e->videoPath).absolutePath()));
}

void GalleryView::copyPrompt()
{
    if (const auto e = current(); e && !e->params.prompt.isEmpty())
        QGuiApplication::clipboard()->setText(e->params.prompt);
}

} // namespace framecast::ui
