// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ledger/Ledger.h"
#include "progress/Dialect.h"

#include <QMainWindow>

#include <functional>
#include <QPointer>

class QAction;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QMenu;

namespace framecast {
class Job;
class Session;
}

namespace framecast::ui {

class Appearance;
class ComposePanel;
class DesktopIntegration;
class EmptyState;
class GalleryView;
class HistoryView;
class LoginDialog;
class NoticeBanner;
class JobListWidget;
class JobProgressView;
class QueueView;
class VideoPlayer;

/// The application window: account header, job list, compose panel, the
/// selected job's live progress and its video. Talks only to the Session.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(Session *session, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// First run: the built-in demo server, logged in as demo/demo, following
    /// progress in `dialect` (the demo speaks all four).
    void startDemo(framecast::Dialect dialect = framecast::Dialect::VideosSse);
    /// On launch: log in again as the user of the last session, with the
    /// token kept in the keychain (checked with users/me). An expired or
    /// missing token opens the login dialog on that profile; the very first
    /// launch starts the built-in demo.
    void restoreSession();
    /// As the app starts: shows the window and, once its first frame is on
    /// screen, runs `beforeRestore` (main() opens the ledger there) and
    /// restores the session (the demo backend, the keychain and the login
    /// start then, not before the window appears).
    void showThenRestore(const std::function<void()> &beforeRestore = {});
    /// Shows the session's ledger (set after the window was made) in the
    /// History tab, and its notices in the banner.
    void attachLedger();

    HistoryView *history() const { return m_history; }
    GalleryView *gallery() const { return m_gallery; }
    /// Shows the Jobs (0), History (1) or Gallery (2) tab.
    void showTab(int index);
    /// The permanent warning for an insecure (plain http) connection, if any.
    QString securityWarning() const;
    /// The notice that logins are kept in memory only (no keychain), if any.
    QString keychainNotice() const;

    ComposePanel *compose() const { return m_compose; }
    JobListWidget *jobList() const { return m_jobs; }
    QueueView *queueView() const { return m_queue; }
    JobProgressView *progressView() const { return m_progress; }
    VideoPlayer *player() const { return m_player; }
    QString accountText() const;
    QString avatarText() const;
    /// The last desktop notification's summary (also when nothing could show it).
    QString lastNotification() const { return m_lastNotification; }
    QString bannerText() const;
    /// The About dialog's text, with the one version number.
    static QString aboutText();
    /// Opens the login dialog (with `profileName` chosen, and why, if given:
    /// a problem in red, else a plain notice).
    LoginDialog *showLogin(const QString &profileName = {}, const QString &reason = {}, bool reasonIsProblem = true);
    LoginDialog *loginDialog() const { return m_login; }
    DesktopIntegration *desktop() const { return m_desktop; }
    /// The light or dark scheme the window follows: adds View ▸ Appearance.
    void setAppearance(Appearance *appearance);
    /// The View ▸ Appearance menu (empty until setAppearance()).
    QMenu *appearanceMenu() const { return m_appearanceMenu; }
    /// What the job area shows before any job is shown (first run, no jobs).
    EmptyState *jobAreaEmptyState() const { return m_noJob; }

private:
    void showJob(Job *job);
    /// The job area: the first-run hint, or the shown job's progress and video.
    void showJobArea(bool content);
    void showBanner(const QString &text, bool error);
    void hideBanner();
    void showFromNotification(const QString &jobId);
    void updateAccount();
    void updateSecurity();
    void openFromHistory(const LedgerEntry &entry);
    /// Queues jobs on the current server; the first is shown once it starts.
    void queueJobs(const QList<JobParams> &jobs);

    Session *m_session;
    QLabel *m_account;
    QLabel *m_avatar;
    NoticeBanner *m_banner;
    QMetaObject::Connection m_ledgerWriteFailed;
    QPointer<Job> m_lostWatch; ///< the job the banner says was lost, if it does
    ComposePanel *m_compose;
    JobListWidget *m_jobs;
    QueueView *m_queue;
    quint64 m_showWhenStarted = 0; ///< the queue item whose job is shown once the server has it
    HistoryView *m_history;
    GalleryView *m_gallery;
    QTabWidget *m_tabs;
    QLabel *m_insecure;
    QLabel *m_keychain;
    QAction *m_logout = nullptr;
    JobProgressView *m_progress;
    VideoPlayer *m_player;
    QStackedWidget *m_jobArea;
    EmptyState *m_noJob;
    QMenu *m_appearanceMenu = nullptr;
    QPointer<Job> m_shown;
    LoginDialog *m_login = nullptr;
    DesktopIntegration *m_desktop;
    QString m_lastNotification;
};

} // namespace framecast::ui
