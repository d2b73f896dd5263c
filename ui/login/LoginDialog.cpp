// SPDX-License-Identifier: GPL-3.0-or-later
#include "login/LoginDialog.h"

#include "login/BrowserSignInPanel.h"

#include "net/NetworkSettings.h"
#include "session/ServerCheck.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace framecast::ui {

LoginDialog::LoginDialog(QWidget *parent)
    : QDialog(parent)
    , m_profiles(new QComboBox(this))
    , m_usePassword(new QRadioButton(tr("Username and password"), this))
    , m_useToken(new QRadioButton(tr("API token"), this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_login(new QPushButton(tr("Log in"), this))
    , m_demo(new QPushButton(tr("Try the demo"), this))
    , m_add(new QPushButton(tr("Add server…"), this))
    , m_edit(new QPushButton(tr("Edit…"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_form(new QFormLayout)
    , m_browser(new BrowserSignInPanel(this))
{
    setWindowTitle(tr("Log in — Framecast"));
    auto *layout = new QVBoxLayout(this);
    auto *form = m_form;
    auto *servers = new QHBoxLayout;
    m_profiles->setAccessibleName(tr("Server"));
    servers->addWidget(m_profiles, 1);
    m_add->setAccessibleName(tr("Add a server"));
    m_edit->setAccessibleName(tr("Edit the server"));
    servers->addWidget(m_add);
    servers->addWidget(m_edit);
    m_remove->setAccessibleName(tr("Remove the server"));
    servers->addWidget(m_remove);
    auto *serverLabel = new QLabel(tr("&Server"), this); // a layout row needs its buddy set by hand
    serverLabel->setBuddy(m_profiles);
    form->addRow(serverLabel, servers);
    auto *kind = new QHBoxLayout;
    m_usePassword->setChecked(true);
    m_usePassword->setAccessibleName(tr("Log in with username and password"));
    m_useToken->setAccessibleName(tr("Log in with an API token"));
    kind->addWidget(m_usePassword);
    kind->addWidget(m_useToken);
    m_kindRow = kind;
    form->addRow(QString(), m_browser);
    form->addRow(tr("Log in with"), kind);
    m_user->setAccessibleName(tr("Username"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("API token"));
    m_token->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&Username"), m_user);
    form->addRow(tr("&Password"), m_password);
    form->addRow(tr("&Token"), m_token);
    m_remember = new QCheckBox(tr("&Remember my password"), this);
    m_remember->setAccessibleName(tr("Remember the password in the keychain"));
    m_remember->setToolTip(tr("The token is always kept in the system keychain; the password only if you tick this"));
    form->addRow(QString(), m_remember);
    m_keychainNote = new QLabel(this);
    m_keychainNote->setWordWrap(true);
    m_keychainNote->setAccessibleName(tr("Where the login is kept"));
    m_keychainNote->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_keychainNote->hide();
    form->addRow(QString(), m_keychainNote);
    layout->addLayout(form);
    m_error->setWordWrap(true);
    m_error->setObjectName(QStringLiteral("loginMessage"));
    setMessage(QString(), Tone::Info);
    layout->addWidget(m_error);
    auto *buttons = new QHBoxLayout;
    m_demo->setAccessibleName(tr("Try the built-in demo server"));
    m_login->setAccessibleName(tr("Log in"));
    m_login->setDefault(true);
    buttons->addWidget(m_demo);
    buttons->addStretch(1);
    buttons->addWidget(m_login);
    layout->addLayout(buttons);

    connect(m_useToken, &QRadioButton::toggled, this, &LoginDialog::updateKind);
    updateKind();
    connect(m_profiles, &QComboBox::currentIndexChanged, this, &LoginDialog::profileChosen);
    connect(m_browser, &BrowserSignInPanel::signInRequested, this, [this](const QString &id) {
        m_error->clear();
        m_pendingProvider = id;
        Q_EMIT browserSignInRequested(profile(), id);
    });
    connect(m_browser, &BrowserSignInPanel::cancelRequested, this, [this] {
        m_pendingProvider.clear();
        Q_EMIT browserSignInCancelled();
    });
    connect(m_login, &QPushButton::clicked, this, &LoginDialog::submit);
    connect(m_demo, &QPushButton::clicked, this, [this] {
        selectProfile(ServerProfile::demo().name);
        m_usePassword->setChecked(true);
        setCredentials(QStringLiteral("demo"), QStringLiteral("demo"));
        submit();
    });
    connect(m_add, &QPushButton::clicked, this, [this] { editProfile(true); });
    connect(m_edit, &QPushButton::clicked, this, [this] { editProfile(false); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const ServerProfile p = profile();
        if (p.builtInDemo)
            return;
        m_store.remove(p.name);
        reloadProfiles();
    });
    reloadProfiles();
}

void LoginDialog::profileChosen()
{
    const ServerProfile p = profile();
    const bool demo = p.builtInDemo;
    m_edit->setEnabled(!demo);
    m_remove->setEnabled(!demo);
    (p.auth == ServerProfile::Auth::Token ? m_useToken : m_usePassword)->setChecked(true);
    if (demo && m_user->text().isEmpty())
        setCredentials(QStringLiteral("demo"), QStringLiteral("demo"));
    // The demo's account means nothing on another server.
    if (!demo && m_user->text() == QLatin1String("demo") && m_password->text() == QLatin1String("demo"))
        setCredentials(QString(), QString());
    // Until the server says how it signs in: its buttons go, and a profile
    // that signs in through the browser offers no password field.
    m_providers.clear();
    m_browser->setWaiting(false);
    m_browser->setProviders({});
    showCredentialRows(p.auth != ServerProfile::Auth::Browser);
    Q_EMIT authMethodsWanted(p);
}

void LoginDialog::updateKind()
{
    const bool token = m_useToken->isChecked();
    m_user->setEnabled(!token);
    m_password->setEnabled(!token);
    m_remember->setEnabled(!token);
    m_token->setEnabled(token);
}

void LoginDialog::showCredentialRows(bool show)
{
    // The widgets and their labels rather than QFormLayout::setRowVisible,
    // which in Qt 6.4 leaves no room for a row shown later (the buttons').
    for (QWidget *field : std::initializer_list<QWidget *>{m_usePassword, m_useToken, m_user, m_password, m_token, m_remember}) {
        field->setVisible(show);
        if (QWidget *label = m_form->labelForField(field))
            label->setVisible(show);
    }
    if (QWidget *label = m_form->labelForField(m_kindRow))
        label->setVisible(show);
    m_login->setVisible(show);
}

bool LoginDialog::showsPasswordFields() const
{
    return m_user->isVisibleTo(this);
}

void LoginDialog::setAuthMethods(const QString &profileName, const auth::AuthMethods &methods, const QString &error)
{
    const ServerProfile p = profile();
    if (profileName != p.name)
        return; // the answer for a server no longer chosen
    m_providers = methods.oidc;
    m_browser->setProviders(methods.oidc);
    const bool browserOnly = p.auth == ServerProfile::Auth::Browser || (!methods.password && !methods.oidc.isEmpty());
    showCredentialRows(!browserOnly || methods.oidc.isEmpty());
    if (QPushButton *last = m_browser->button(p.oidcProvider))
        last->setFocus(); // the provider signed in with last time
    layout()->activate();
    adjustSize(); // room for the buttons that came (or went)
    if (p.auth == ServerProfile::Auth::Browser && methods.oidc.isEmpty())
        setMessage(error.isEmpty() ? tr("%1 offers no sign-in through the browser (any more); log in with a password").arg(p.name)
                                   : tr("Cannot ask %1 how to sign in: %2").arg(p.name, error),
                   Tone::Error);
}

void LoginDialog::setWaitingForBrowser(bool waiting)
{
    QString name;
    for (const auth::OidcProviderInfo &provider : std::as_const(m_providers)) {
        if (provider.id == m_pendingProvider)
            name = provider.isGoogle() ? QStringLiteral("Google") : provider.displayName;
    }
    m_browser->setWaiting(waiting, name);
    // One sign-in at a time: the rest of the dialog waits with it.
    for (QWidget *w : std::initializer_list<QWidget *>{m_profiles, m_demo, m_login, m_add, m_edit, m_remove, m_usePassword,
                                                       m_useToken, m_user, m_password, m_token, m_remember})
        w->setEnabled(!waiting);
    if (!waiting) {
        m_edit->setEnabled(!profile().builtInDemo);
        m_remove->setEnabled(!profile().builtInDemo);
        updateKind();
    }
    adjustSize();
}

bool LoginDialog::signedIn()
{
    const bool browser = !m_pendingProvider.isEmpty();
    if (browser) {
        ServerProfile p = profile();
        if (!p.builtInDemo && (p.auth != ServerProfile::Auth::Browser || p.oidcProvider != m_pendingProvider)) {
            p.auth = ServerProfile::Auth::Browser;
            p.oidcProvider = m_pendingProvider;
            const QString error = m_store.save(p); // next time: the same button, no password field
            if (!error.isEmpty())
                qWarning("%s", qPrintable(error));
        }
        m_pendingProvider.clear();
        setWaitingForBrowser(false);
    }
    accept();
    return browser;
}

void LoginDialog::reloadProfiles()
{
    const QString current = m_profiles->currentText();
    m_profiles->clear();
    for (const ServerProfile &p : m_store.profiles())
        m_profiles->addItem(p.name);
    if (!current.isEmpty())
        selectProfile(current);
    m_remove->setEnabled(!profile().builtInDemo);
    m_edit->setEnabled(!profile().builtInDemo);
}

void LoginDialog::selectProfile(const QString &name)
{
    const int i = m_profiles->findText(name);
    if (i >= 0)
        m_profiles->setCurrentIndex(i);
}

bool LoginDialog::usesToken() const
{
    return m_useToken->isChecked();
}

ServerProfile LoginDialog::profile() const
{
    return m_store.find(m_profiles->currentText()).value_or(ServerProfile::demo());
}

void LoginDialog::setCredentials(const QString &user, const QString &password)
{
    m_user->setText(user);
    m_password->setText(password);
}

void LoginDialog::setMessage(const QString &message, Tone tone)
{
    m_tone = tone;
    m_error->setText(message);
    // Why the dialog opened ("Log in to … as …") reads as plain text; only a
    // problem is red.
    m_error->setAccessibleName(tone == Tone::Error ? tr("Login problem") : tr("Login notice"));
    QPalette palette; // nothing set: the dialog's colours, whatever the scheme
    if (tone == Tone::Error)
        palette.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_error->setPalette(palette);
}

void LoginDialog::setInfo(const QString &message)
{
    setMessage(message, Tone::Info);
}

void LoginDialog::setError(const QString &message)
{
    setMessage(message, Tone::Error);
    if (m_browser->isWaiting()) {
        m_pendingProvider.clear();
        setWaitingForBrowser(false);
    }
    setBusy(false);
}

QString LoginDialog::errorText() const
{
    return m_tone == Tone::Error ? m_error->text() : QString();
}

QString LoginDialog::infoText() const
{
    return m_tone == Tone::Info ? m_error->text() : QString();
}

void LoginDialog::setBusy(bool busy)
{
    m_login->setEnabled(!busy);
    m_demo->setEnabled(!busy);
    m_login->setText(busy ? tr("Logging in…") : tr("Log in"));
}

void LoginDialog::submit()
{
    m_error->clear();
    if (m_useToken->isChecked()) {
        if (m_token->text().trimmed().isEmpty()) {
            setError(tr("Paste your API token"));
            return;
        }
        setBusy(true);
        Q_EMIT tokenLoginRequested(profile(), m_token->text().trimmed().toUtf8());
        return;
    }
    if (m_user->text().trimmed().isEmpty()) {
        setError(tr("Enter your username"));
        return;
    }
    setBusy(true);
    Q_EMIT loginRequested(profile(), m_user->text().trimmed(), m_password->text(), m_remember->isChecked());
}

void LoginDialog::setKeychainNote(const QString &note)
{
    m_keychainNote->setText(note);
    m_keychainNote->setVisible(!note.isEmpty());
}

QString LoginDialog::keychainNote() const
{
    return m_keychainNote->text();
}

void LoginDialog::editProfile(bool add)
{
    ServerProfile p = add ? ServerProfile{} : profile();
    if (add) {
        p.builtInDemo = false;
        p.baseUrl = QUrl(QStringLiteral("https://"));
    }
    ProfileEditor editor(p, this);
    if (editor.exec() != QDialog::Accepted)
        return;
    const QString error = m_store.save(editor.profile());
    if (!error.isEmpty()) {
        setError(error);
        return;
    }
    reloadProfiles();
    selectProfile(editor.profile().name);
}

ProfileEditor::ProfileEditor(const ServerProfile &profile, QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(profile.name, this))
    , m_url(new QLineEdit(profile.baseUrl.toString(), this))
    , m_dialect(new QComboBox(this))
    , m_ws(new QLineEdit(profile.wsUrl.toString(), this))
    , m_tokenInQuery(new QCheckBox(tr("Also send the token as ?token= on progress streams"), this))
    , m_insecure(new QCheckBox(tr("Allow plain http:// to this server (insecure: the token can be read on the network)"), this))
    , m_caFile(new QLineEdit(profile.caCertificate, this))
    , m_caInfo(new QLabel(this))
    , m_proxy(new QLineEdit(profile.proxy, this))
    , m_auth(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_check(new ServerCheck(this))
{
    setWindowTitle(tr("Server — Framecast"));
    auto *form = new QFormLayout(this);
    m_name->setAccessibleName(tr("Server name"));
    m_url->setAccessibleName(tr("Server address"));
    m_dialect->setAccessibleName(tr("Progress dialect"));
    m_ws->setAccessibleName(tr("WebSocket address"));
    m_ws->setPlaceholderText(tr("ws(s)://host:port/ws (default: from the server address)"));
    for (const QString &d : dialectNames())
        m_dialect->addItem(d);
    m_dialect->setCurrentText(dialectName(profile.dialect));
    m_tokenInQuery->setChecked(profile.tokenInQuery);
    m_tokenInQuery->setAccessibleName(tr("Token in query"));
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Address"), m_url);
    form->addRow(tr("&Progress"), m_dialect);
    form->addRow(tr("&WebSocket"), m_ws);
    form->addRow(QString(), m_tokenInQuery);
    m_insecure->setChecked(profile.allowInsecureHttp);
    m_insecure->setAccessibleName(tr("Allow insecure http"));
    form->addRow(QString(), m_insecure);
    m_caFile->setAccessibleName(tr("CA certificate file"));
    m_caFile->setPlaceholderText(tr("none: only the system's certificate authorities"));
    auto *chooseCa = new QPushButton(tr("Choose…"), this);
    chooseCa->setAccessibleName(tr("Choose a CA certificate file"));
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(chooseCa);
    form->addRow(tr("&CA certificate"), caRow);
    m_caInfo->setWordWrap(true);
    m_caInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_caInfo->setAccessibleName(tr("CA certificate details"));
    form->addRow(QString(), m_caInfo);
    m_proxy->setAccessibleName(tr("Proxy"));
    m_proxy->setPlaceholderText(tr("system, none, or http://host:port"));
    m_proxy->setToolTip(tr("system: the desktop's proxy settings and http_proxy/https_proxy/no_proxy"));
    form->addRow(tr("Pro&xy"), m_proxy);
    connect(m_caFile, &QLineEdit::textChanged, this, &ProfileEditor::showCertificate);
    connect(chooseCa, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificate — Framecast"), m_caFile->text(),
                                                          tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    showCertificate();
    m_auth->addItem(tr("Username and password"));
    m_auth->addItem(tr("API token"));
    m_auth->addItem(tr("Browser (Google, OpenID Connect)"));
    m_auth->setCurrentIndex(static_cast<int>(profile.auth)); // Password 0, Token 1, Browser 2
    m_oidcProvider = profile.oidcProvider;
    m_auth->setAccessibleName(tr("How users log in"));
    form->addRow(tr("Log &in with"), m_auth);
    auto *test = new QPushButton(tr("Test connection"), this);
    test->setAccessibleName(tr("Test the connection"));
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Connection test result"));
    form->addRow(test, m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const QString error = ProfileStore::validate(this->profile());
        if (!error.isEmpty()) {
            m_status->setText(error);
            return;
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(test, &QPushButton::clicked, this, [this] {
        m_status->setText(tr("Testing…"));
        m_check->check(this->profile());
    });
    connect(m_check, &ServerCheck::finished, this, [this](bool ok, const QString &message) {
        m_status->setText((ok ? QStringLiteral("✔ ") : QStringLiteral("✖ ")) + message);
    });
}

ServerProfile ProfileEditor::profile() const
{
    ServerProfile p;
    p.name = m_name->text().trimmed();
    p.baseUrl = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
    p.dialect = parseDialect(m_dialect->currentText()).value_or(Dialect::VideosSse);
    p.wsUrl = QUrl(m_ws->text().trimmed());
    p.tokenInQuery = m_tokenInQuery->isChecked();
    p.auth = m_auth->currentIndex() == 2   ? ServerProfile::Auth::Browser
             : m_auth->currentIndex() == 1 ? ServerProfile::Auth::Token
                                           : ServerProfile::Auth::Password;
    p.oidcProvider = m_oidcProvider;
    p.allowInsecureHttp = m_insecure->isChecked();
    p.caCertificate = m_caFile->text().trimmed();
    p.proxy = m_proxy->text().trimmed().isEmpty() ? QStringLiteral("system") : m_proxy->text().trimmed();
    return p;
}

void ProfileEditor::showCertificate()
{
    const QString path = m_caFile->text().trimmed();
    if (path.isEmpty()) {
        m_caInfo->clear();
        return;
    }
    QString error;
    const auto certificates = readPemCertificates(path, &error);
    if (!certificates) {
        m_caInfo->setText(QStringLiteral("✖ ") + error);
        return;
    }
    QStringList lines;
    for (const QSslCertificate &c : *certificates)
        lines << describeCertificate(c);
    m_caInfo->setText(lines.join(QLatin1Char('\n')));
}

QString ProfileEditor::certificateInfo() const
{
    return m_caInfo->text();
}

QString ProfileEditor::status() const
{
    return m_status->text();
}

} // namespace framecast::ui
