// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/MainWindow.h"

#include "compose/ComposePanel.h"
#include "desktop/DesktopIntegration.h"
#include "gallery/GalleryTabs.h"
#include "gallery/GalleryView.h"
#include "jobs/Job.h"
#include "history/HistoryView.h"
#include "jobs/JobListWidget.h"
#include "login/LoginDialog.h"
#include "login/ProxyCredentialsDialog.h"
#include "player/VideoPlayer.h"
#include "queue/QueueView.h"
#include "security/SecretStore.h"
#include "session/ProfileStore.h"
#include "session/Session.h"
#include "style/Appearance.h"
#include "style/Style.h"
#include "widgets/EmptyState.h"
#include "widgets/FirstPaint.h"
#include "widgets/JobProgressView.h"
#include "widgets/NoticeBanner.h"

#include <QActionGroup>
#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QRegularExpression>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace framecast::ui {

MainWindow::MainWindow(Session *session, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_account(new QLabel(this))
    , m_avatar(new QLabel(this))
    , m_banner(new NoticeBanner(this))
    , m_compose(new ComposePanel(this))
    , m_jobs(new JobListWidget(this))
    , m_queue(new QueueView(this))
    , m_history(new HistoryView(this))
    , m_gallery(new GalleryView(this))
    , m_tabs(new QTabWidget(this))
    , m_insecure(new QLabel(this))
    , m_keychain(new QLabel(this))
    , m_progress(new JobProgressView(this))
    , m_player(new VideoPlayer(this))
    , m_jobArea(new QStackedWidget(this))
    , m_noJob(new EmptyState(this))
    , m_desktop(new DesktopIntegration(this))
{
    setWindowTitle(tr("Framecast"));
    m_session->proxyAuthenticator()->setPrompt(proxyCredentialsPrompt(this));
    auto *central = new QWidget(this);
    auto *outer = new QVBoxLayout(central);
    outer->setSpacing(style::spacing(style::Space::Related));

    auto *header = new QHBoxLayout;
    auto *brand = new QLabel(tr("<b>Framecast</b>"), central);
    style::setTextRole(brand, style::TextRole::Title);
    header->setSpacing(style::spacing(style::Space::Related));
    header->addWidget(brand);
    // The banner has its place in the header, one line high whether it shows
    // or not: nothing below moves when a notice comes or goes. A notice too
    // long for it is elided; the whole text is in its tooltip.
    header->addSpacing(12);
    header->addWidget(m_banner, 1);
    header->addSpacing(12);
    m_avatar->setAccessibleName(tr("User"));
    m_avatar->setFixedSize(28, 28);
    m_avatar->setAlignment(Qt::AlignCenter);
    m_avatar->setStyleSheet(QStringLiteral("background:#5b3cc4;color:white;border-radius:14px;font-weight:bold;"));
    m_avatar->hide();
    header->addWidget(m_avatar);
    m_account->setAccessibleName(tr("Account and credits"));
    style::setMuted(m_account);
    header->addWidget(m_account);
    m_insecure->setAccessibleName(tr("Connection security warning"));
    m_insecure->setStyleSheet(QStringLiteral("background:#fff4ce;color:#7a4b00;padding:2px 6px;border-radius:4px;"));
    m_insecure->hide();
    m_insecure->setWordWrap(true);
    outer->addLayout(header);
    outer->addWidget(m_insecure); // stays for as long as the connection is insecure

    auto *splitter = new QSplitter(Qt::Horizontal, central);
    auto *jobsPage = new QWidget(m_tabs); // what waits to start, above what runs
    auto *jobsLayout = new QVBoxLayout(jobsPage);
    jobsLayout->setContentsMargins(0, 0, 0, 0);
    jobsLayout->addWidget(m_queue);
    jobsLayout->addWidget(m_jobs, 1);
    m_tabs->addTab(jobsPage, tr("&Jobs"));
    m_tabs->addTab(m_history, tr("&History"));
    m_tabs->addTab(m_gallery, tr("&Gallery"));
    m_tabs->setAccessibleName(tr("Jobs and history"));
    m_tabs->tabBar()->setAccessibleName(tr("Jobs or history"));
    splitter->addWidget(m_tabs);
    splitter->addWidget(m_compose);
    // The job area: before any job a hint of what to do, then the job.
    m_noJob->setIcon(style::icon(QStringLiteral("empty-jobs")));
    m_noJob->setTitle(tr("Write a prompt and press Generate"));
    m_noJob->setText(tr("The job's progress and its finished video appear here. %1 generates from the prompt.")
                         .arg(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
    m_noJob->setObjectName(QStringLiteral("noJob"));
    m_jobArea->addWidget(m_noJob);
    auto *right = new QWidget(m_jobArea);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_progress);
    rightLayout->addWidget(m_player, 1);
    m_jobArea->addWidget(right);
    splitter->addWidget(m_jobArea);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 3);
    // One search for History and Gallery; the gallery's grid gets the compose panel's room.
    new GalleryTabs(m_tabs, m_history->searchField(), {m_history, m_gallery}, m_gallery, m_compose, splitter);
    outer->addWidget(splitter, 1);
    setCentralWidget(central);
    resize(1280, 800);
    m_keychain->setAccessibleName(tr("Keychain status"));
    statusBar()->addPermanentWidget(m_keychain);
    m_keychain->hide();
    attachLedger();
    if (SecretStore *secrets = m_session->secretStore())
        connect(secrets, &SecretStore::becameUnavailable, this, &MainWindow::updateSecurity);
    updateSecurity();

    QMenu *account = menuBar()->addMenu(tr("&Account"));
    QAction *login = account->addAction(tr("&Log in…"));
    login->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(login, &QAction::triggered, this, [this] { showLogin(m_session->profile().name); });
    m_logout = account->addAction(tr("Log &out"));
    m_logout->setEnabled(false);
    connect(m_logout, &QAction::triggered, m_session, &Session::logout);
    m_appearanceMenu = new QMenu(tr("&Appearance"), this);
    menuBar()->addMenu(tr("&View"))->addMenu(m_appearanceMenu);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Framecast"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Framecast"), aboutText());
    });

    connect(m_compose, &ComposePanel::generateRequested, this, &MainWindow::queueJobs);
    connect(m_progress, &JobProgressView::cancelRequested, m_session, &Session::cancel);
    // Retry and Generate again: the job's params, queued again.
    const auto again = [this](Job *job) { queueJobs({job->params()}); };
    connect(m_progress, &JobProgressView::retryRequested, this, again);
    connect(m_jobs, &JobListWidget::retryRequested, this, again);
    connect(m_jobs, &JobListWidget::generateAgainRequested, this, again);
    connect(m_session, &Session::queueStarted, this, [this](quint64 id, Job *job) {
        if (id == m_showWhenStarted)
            m_jobs->selectJob(job);
    });
    connect(m_jobs, &JobListWidget::jobSelected, this, &MainWindow::showJob);
    connect(m_history, &HistoryView::openRequested, this, &MainWindow::openFromHistory);
    connect(m_history, &HistoryView::generateAgainRequested, this, [this](const JobParams &p) {
        m_compose->setPrompt(p.prompt);
        m_compose->setImage(p.imagePath);
        showTab(0);
        queueJobs({p});
    });
    connect(m_history, &HistoryView::searchApplied, m_gallery, &GalleryView::setSearch);
    connect(m_gallery, &GalleryView::playRequested, this, [this](const QString &file) {
        m_shown = nullptr;
        m_progress->setJob(nullptr);
        m_player->setFile(file);
    });
    connect(m_gallery, &GalleryView::composeRequested, this, [this] {
        showTab(0);
        if (auto *prompt = m_compose->findChild<QPlainTextEdit *>())
            prompt->setFocus();
    });
    connect(m_history, &HistoryView::deleteRequested, this, [this](qint64 row) {
        QString error;
        if (!m_session->deleteFromHistory(row, &error) && !error.isEmpty())
            showBanner(error, true);
    });
    connect(m_session, &Session::jobAdded, this, [this](Job *job) {
        m_jobs->addJob(job);
        m_desktop->watch(job);
    });
    connect(m_desktop, &DesktopIntegration::activated, this, &MainWindow::showFromNotification);
    // Another server (or user) is current: its jobs, and only those.
    connect(m_session, &Session::jobsReplaced, this, [this] {
        const QList<Job *> jobs = m_session->jobs();
        if (!jobs.contains(m_shown))
            showJob(nullptr);
        m_jobs->setJobs(jobs);
        m_queue->setQueue(m_session->queue());
        for (Job *job : jobs)
            m_desktop->watch(job); // picked up after a restart: on the taskbar too
        if (!jobs.isEmpty() && !m_jobs->currentJob())
            m_jobs->setCurrentRow(0); // the newest job of this server
    });
    connect(m_session, &Session::cancelFailed, this, [this](Job *, const QString &m) { showBanner(m, true); });
    connect(m_session, &Session::loggedIn, this, &MainWindow::updateAccount);
    connect(m_session, &Session::creditsChanged, this, &MainWindow::updateAccount);
    connect(m_session, &Session::loginFailed, this, [this](const QString &m) {
        if (m_login && m_login->isVisible())
            m_login->setError(m);
        else
            showBanner(tr("Login failed: %1").arg(m), true);
    });
    connect(m_session, &Session::sessionExpired, this, [this](const QString &m) {
        showBanner(tr("Your session ended (%1). Log in again; your jobs are kept.").arg(m), true);
        showLogin(m_session->profile().name, tr("Your session ended: %1").arg(m));
    });
    connect(m_session, &Session::loggedIn, this, [this] {
        // Back from the browser: Framecast comes to the front again.
        if (m_login && m_login->signedIn()) {
            raise();
            activateWindow();
        }
        hideBanner();
        ProfileStore().setLastLogin(m_session->profile().name, m_session->username());
        updateSecurity();
    });
    connect(m_session, &Session::profileChanged, this, [this] {
        updateAccount();
        updateSecurity();
    });
    connect(m_session, &Session::loggedOut, this, [this] {
        // The next launch asks for a login on this server instead of restoring one.
        ProfileStore().setLastLogin(m_session->profile().name, QString());
        updateAccount();
        showBanner(tr("Logged out of %1. The login kept for it was forgotten.").arg(m_session->profile().name), false);
    });
    connect(m_session, &Session::authMethodsReady, this,
            [this](const QString &profile, const auth::AuthMethods &methods, const QString &error) {
                if (m_login)
                    m_login->setAuthMethods(profile, methods, error);
            });
    connect(m_session, &Session::browserWaiting, this, [this] {
        if (m_login)
            m_login->setWaitingForBrowser(true);
    });
    auto askForLogin = [this](const QString &m, bool problem) {
        showLogin(m_session->profile().name, m, problem);
        if (m_login)
            m_login->setCredentials(ProfileStore().lastLogin().value_or(ProfileStore::LastLogin{}).user, QString());
    };
    connect(m_session, &Session::restoreFailed, this, [askForLogin](const QString &m) { askForLogin(m, true); });
    connect(m_session, &Session::loginAsked, this, [askForLogin](const QString &m) { askForLogin(m, false); });
    connect(m_session, &Session::jobRefused, this, [this](Job *, const QString &m) { showBanner(m, true); });
    connect(m_session, &Session::watchFailed, this, [this](Job *job, const QString &m) {
        showBanner(tr("Lost the connection to the job's progress: %1").arg(m), true);
        // Taken back once the job is followed again or has ended (a later
        // status check may find it done).
        m_lostWatch = job;
        if (job)
            connect(job, &Job::connectionChanged, this, [this, job](const ConnectionStatus &status) {
                const bool back = status.state == ConnectionState::Connected || status.state == ConnectionState::Closed;
                if (back || job->isFinal()) {
                    disconnect(job, &Job::connectionChanged, this, nullptr);
                    if (m_lostWatch == job)
                        hideBanner();
                }
            });
    });
    connect(m_session, &Session::videoFailed, this, [this](Job *job, const QString &m) {
        showBanner(m, true);
        if (job)
            m_lastNotification = m_desktop->jobFailed(*job, m).summary;
    });
    connect(m_session, &Session::downloadProgress, this, [this](Job *job, qint64 got, qint64 total) {
        if (job == m_shown)
            m_progress->setDownloadProgress(got, total);
    });
    connect(m_session, &Session::videoReady, this, [this](Job *job, const QString &file) {
        if (job == m_shown)
            m_progress->setDownloadProgress(-1, 0);
        showBanner(tr("🎉 Your video is ready."), false);
        if (job)
            m_lastNotification = m_desktop->videoReady(*job, file).summary;
        if (job == m_shown)
            m_player->setFile(file);
    });
    updateAccount();
}

MainWindow::~MainWindow() = default;

void MainWindow::startDemo(Dialect dialect)
{
    QString error;
    ServerProfile profile = ServerProfile::demo();
    profile.dialect = dialect;
    if (!m_session->setProfile(profile, &error)) {
        showBanner(tr("The built-in demo server could not start: %1").arg(error), true);
        return;
    }
    m_session->login(QStringLiteral("demo"), QStringLiteral("demo"));
    // First run: an example prompt and a sample image, so one Generate shows
    // what Framecast does.
    if (m_compose->prompt().isEmpty() && m_compose->imagePath().isEmpty()) {
        m_compose->setPrompt(tr("A paper boat drifting down a rainy street at dusk, neon reflections"));
        m_compose->setImage(ComposePanel::sampleImages().constFirst());
    }
}

void MainWindow::restoreSession()
{
    ProfileStore store;
    const auto last = store.lastLogin();
    const auto profile = last ? store.find(last->profile) : std::nullopt;
    if (!profile || profile->builtInDemo) {
        startDemo(profile ? profile->dialect : Dialect::VideosSse);
        return;
    }
    QString error;
    if (!m_session->setProfile(*profile, &error) || last->user.isEmpty()) {
        showLogin(profile->name, error); // logged out last time, or a profile that is no longer allowed
        return;
    }
    m_account->setText(tr("Connecting to %1…").arg(profile->name));
    m_session->restore(last->user);
}

void MainWindow::attachLedger()
{
    m_history->setLedger(m_session->ledger());
    m_gallery->setLedger(m_session->ledger());
    if (Ledger *ledger = m_session->ledger()) {
        if (!ledger->notice().isEmpty())
            showBanner(ledger->notice(), true); // moved aside, newer schema...
        // Once, however often the ledger is attached (Qt::UniqueConnection
        // takes no lambda: it made no connection at all).
        disconnect(m_ledgerWriteFailed);
        m_ledgerWriteFailed = connect(ledger, &Ledger::writeFailed, this, [this](const QString &m) { showBanner(m, true); });
    }
}

void MainWindow::showThenRestore(const std::function<void()> &beforeRestore)
{
    new FirstPaint(this, [this, beforeRestore] {
        if (beforeRestore)
            beforeRestore();
        restoreSession();
    });
    show();
}

void MainWindow::queueJobs(const QList<JobParams> &jobs)
{
    m_showWhenStarted = m_session->enqueue(jobs).value(0);
}

void MainWindow::showTab(int index)
{
    m_tabs->setCurrentIndex(index);
}

QString MainWindow::securityWarning() const
{
    return m_insecure->isVisibleTo(this) ? m_insecure->text() : QString();
}

QString MainWindow::keychainNotice() const
{
    const SecretStore *secrets = m_session->secretStore();
    if (!secrets)
        return tr("Logins are not kept: you will log in again next time.");
    if (!secrets->isPersistent()) {
        const QString reason = secrets->unavailableReason();
        return reason.isEmpty() ? tr("No keychain available: your login is kept in memory until Framecast closes.")
                                : tr("No keychain available (%1): your login is kept in memory until Framecast closes.").arg(reason);
    }
    return {};
}

void MainWindow::updateSecurity()
{
    const ServerProfile &p = m_session->profile();
    m_insecure->setVisible(p.isInsecure());
    m_insecure->setText(tr("⚠ Insecure connection: %1 is reached over plain http").arg(p.baseUrl.host()));
    m_insecure->setToolTip(tr("Your token and your videos travel unencrypted; anyone on the network can read them."));
    const QString notice = keychainNotice();
    m_keychain->setText(notice.isEmpty() ? QString() : QStringLiteral("🔓 ") + notice);
    m_keychain->setVisible(!notice.isEmpty() && m_session->secretStore());
    if (m_login)
        m_login->setKeychainNote(notice);
}

void MainWindow::openFromHistory(const LedgerEntry &entry)
{
    // A job of this run is shown with its progress; an older one plays its video.
    if (Job *live = m_session->findJob(entry.serverId)) {
        showTab(0);
        m_jobs->selectJob(live);
        return;
    }
    m_shown = nullptr;
    m_progress->setJob(nullptr);
    m_player->setFile(entry.videoPath);
    showJobArea(true);
}

LoginDialog *MainWindow::showLogin(const QString &profileName, const QString &reason, bool reasonIsProblem)
{
    if (!m_login) {
        m_login = new LoginDialog(this);
        // Log in on the chosen server (switching to it first if it is another one).
        auto useProfile = [this](const ServerProfile &profile) {
            QString error;
            if (profile.name != m_session->profile().name && !m_session->setProfile(profile, &error)) {
                m_login->setError(error);
                return false;
            }
            return true;
        };
        connect(m_login, &LoginDialog::loginRequested, this,
                [this, useProfile](const ServerProfile &profile, const QString &user, const QString &password, bool remember) {
                    if (useProfile(profile))
                        m_session->login(user, password, remember);
                });
        connect(m_login, &LoginDialog::tokenLoginRequested, this,
                [this, useProfile](const ServerProfile &profile, const QByteArray &token) {
                    if (useProfile(profile))
                        m_session->loginWithToken(token);
                });
        connect(m_login, &LoginDialog::authMethodsWanted, m_session, &Session::fetchAuthMethods);
        connect(m_login, &LoginDialog::browserSignInRequested, this,
                [this, useProfile](const ServerProfile &profile, const QString &providerId) {
                    if (useProfile(profile))
                        m_session->signInWithBrowser(providerId);
                });
        connect(m_login, &LoginDialog::browserSignInCancelled, m_session, &Session::cancelBrowserSignIn);
    }
    m_login->reloadProfiles();
    if (!profileName.isEmpty())
        m_login->selectProfile(profileName);
    m_login->setKeychainNote(keychainNotice());
    if (reasonIsProblem)
        m_login->setError(reason);
    else
        m_login->setInfo(reason);
    m_login->show();
    m_login->raise();
    return m_login;
}

QString MainWindow::aboutText()
{
    return tr("<h3>Framecast %1</h3><p>Generate AI videos and watch them being made.</p>"
              "<p>Built with Qt %2 and FFmpeg. Licensed under the GNU GPL, version 3 or later.</p>")
        .arg(QStringLiteral(FRAMECAST_VERSION), QString::fromLatin1(qVersion()));
}

QString MainWindow::accountText() const
{
    return m_account->text();
}

QString MainWindow::avatarText() const
{
    return m_avatar->isVisibleTo(this) ? m_avatar->text() : QString();
}

QString MainWindow::bannerText() const
{
    return m_banner->text();
}

void MainWindow::updateAccount()
{
    m_logout->setEnabled(m_session->isLoggedIn());
    m_gallery->setOwner(m_session->serverKey(), m_session->isLoggedIn() ? m_session->username() : QString());
    if (!m_session->isLoggedIn()) {
        m_account->setText(tr("Not logged in"));
        m_avatar->hide();
        return;
    }
    const QString name = m_session->user().value(QStringLiteral("username")).toString();
    // Initials (the server's avatar image would go here when it sends one).
    QString initials;
    for (const QString &part : name.split(QRegularExpression(QStringLiteral("[\\s._-]+")), Qt::SkipEmptyParts))
        initials += part.at(0).toUpper();
    m_avatar->setText(initials.left(2).isEmpty() ? QStringLiteral("?") : initials.left(2));
    m_avatar->setToolTip(name);
    m_avatar->show();
    m_account->setText(tr("%1 · %2 · %3 credits").arg(m_session->profile().name, name).arg(m_session->credits()));
}

void MainWindow::showFromNotification(const QString &jobId)
{
    // A click on a notification: the window comes to the front on that job.
    if (isMinimized())
        showNormal();
    raise();
    activateWindow();
    if (Job *job = m_session->findJob(jobId)) {
        showTab(0);
        m_jobs->selectJob(job);
    }
}

void MainWindow::showBanner(const QString &text, bool error)
{
    m_lostWatch.clear(); // a newer notice: nothing to take back
    m_banner->showNotice(text, error ? NoticeBanner::Kind::Error : NoticeBanner::Kind::News);
}

void MainWindow::hideBanner()
{
    m_lostWatch.clear();
    m_banner->clearNotice(); // its place stays, empty
}

void MainWindow::showJobArea(bool content)
{
    m_jobArea->setCurrentIndex(content ? 1 : 0);
}

void MainWindow::setAppearance(Appearance *appearance)
{
    m_appearanceMenu->clear();
    auto *group = new QActionGroup(m_appearanceMenu);
    const std::pair<Appearance::Scheme, QString> choices[] = {
        {Appearance::Scheme::System, tr("Follow the &system")},
        {Appearance::Scheme::Light, tr("&Light")},
        {Appearance::Scheme::Dark, tr("&Dark")},
    };
    for (const auto &[scheme, text] : choices) {
        QAction *action = m_appearanceMenu->addAction(text);
        action->setCheckable(true);
        action->setChecked(appearance->choice() == scheme);
        action->setData(QVariant::fromValue(scheme));
        group->addAction(action);
        connect(action, &QAction::triggered, appearance, [appearance, scheme] { appearance->setChoice(scheme); });
    }
}

void MainWindow::showJob(Job *job)
{
    m_shown = job;
    showJobArea(job != nullptr);
    m_progress->setJob(job);
    const QString file = job ? m_session->videoFile(job->id()) : QString();
    if (file.isEmpty())
        m_player->clear();
    else
        m_player->setFile(file);
}

} // namespace framecast::ui
