// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gallery/FrameGrabber.h"
#include "ledger/Ledger.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QListView;
class QMenu;
class QPushButton;
class QStackedWidget;

namespace framecast::ui {
class EmptyState;
class GalleryDelegate;
}

namespace framecast {
class GalleryModel;
class ThumbnailCache;
}

namespace framecast::ui {

/// The finished videos of this server as a grid of frames taken from the
/// videos themselves, with prompt, duration and date. Selecting one shows
/// a larger still with its details; double-click (or Enter, or Play) plays
/// it in the window's player; it drags out as a file URL; the buttons and
/// the context menu open it in the system's player, show it in its folder
/// or copy its prompt. The thumbnailer (FFmpeg) is made the first time the
/// gallery is shown, never before.
class GalleryView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GalleryView)

public:
    using GrabberFactory = std::function<std::shared_ptr<const FrameGrabber>()>;

    explicit GalleryView(QWidget *parent = nullptr);
    ~GalleryView() override;

    /// May be null (the history is off): the view says so.
    void setLedger(Ledger *ledger);
    /// Whose videos are shown (Session::serverKey(), Session::username()).
    void setOwner(const QString &serverKey, const QString &username);
    /// Filters by prompt (the window's one search field).
    void setSearch(const QString &text);
    /// How the thumbnailer is made on first show (default: FFmpeg), and
    /// where it keeps its thumbnails (default: the cache location).
    void setGrabberFactory(GrabberFactory factory, const QString &cacheDir = {});
    /// What every gallery makes its thumbnailer with unless told otherwise:
    /// main() sets it (FFmpeg, from a module loaded on first use on Linux).
    /// Without it the tiles say that no thumbnails can be made.
    static void setDefaultGrabberFactory(GrabberFactory factory);

    GalleryModel *model() const { return m_model; }
    /// Null until the gallery was first shown.
    ThumbnailCache *thumbnails() const { return m_thumbnails; }
    QListView *list() const { return m_list; }
    int count() const;
    void selectRow(qint64 rowId);
    qint64 selectedRow() const;
    /// What the empty state says (empty when videos are shown).
    QString emptyText() const;
    QLabel *preview() const { return m_still; }
    QString previewText() const;
    QPushButton *playButton() const { return m_play; }
    QPushButton *openButton() const { return m_openExternally; }
    QPushButton *folderButton() const { return m_showInFolder; }
    QPushButton *copyButton() const { return m_copyPrompt; }
    /// The empty gallery's "Write a prompt" (hidden unless it has no videos yet).
    QPushButton *composeButton() const;
    /// The context menu for the selected video (built each time it opens).
    QMenu *contextMenu();

Q_SIGNALS:
    /// Play this video in the window's player.
    void playRequested(const QString &file);
    /// The empty gallery's "Write a prompt": the window shows the compose panel.
    void composeRequested();

protected:
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    static GrabberFactory &defaultFactory();
    /// Spreads the columns over the width (no ragged empty strip on the right).
    void updateGrid();
    std::optional<LedgerEntry> current() const;
    void updateEmpty();
    void updatePreview();
    void play();
    void openExternally();
    void showInFolder();
    void copyPrompt();

    GalleryModel *m_model;
    ThumbnailCache *m_thumbnails = nullptr;
    GrabberFactory m_factory;
    QString m_cacheDir;
    QStackedWidget *m_stack;
    QListView *m_list;
    GalleryDelegate *m_delegate;
    EmptyState *m_empty;
    QWidget *m_details;
    QLabel *m_still;
    QLabel *m_prompt;
    QLabel *m_facts;
    QPushButton *m_play;
    QPushButton *m_openExternally;
    QPushButton *m_showInFolder;
    QPushButton *m_copyPrompt;
    QMenu *m_menu = nullptr;
};

} // namespace framecast::ui
