// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QLineEdit;
class QSplitter;
class QTabWidget;
class QWidget;

namespace framecast::ui {

/// What the gallery tab changes around it in the window, kept out of
/// MainWindow:
/// - One search field serves History and Gallery: it sits at the top of
///   whichever of the two is shown (moved, not copied, so its text, focus
///   and clear button are the same one) and is not on the Jobs tab.
/// - While the gallery is shown, the compose panel steps aside so that the
///   grid has room for several columns; it comes back with the other tabs.
class GalleryTabs final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GalleryTabs)

public:
    /// `searchPages` are tabs of `tabs` whose layout (a QBoxLayout) takes
    /// the search field at its top; `gallery` is the gallery's tab, and
    /// `compose` the panel beside the tabs in `splitter`.
    GalleryTabs(QTabWidget *tabs, QLineEdit *search, QList<QWidget *> searchPages, QWidget *gallery, QWidget *compose,
                QSplitter *splitter);

private:
    void onTabChanged();

    QPointer<QTabWidget> m_tabs;
    QPointer<QLineEdit> m_search;
    QList<QPointer<QWidget>> m_pages;
    QPointer<QWidget> m_gallery;
    QPointer<QWidget> m_compose;
    QPointer<QSplitter> m_splitter;
    QList<int> m_sizesBefore; ///< the splitter as the user left it, before the gallery
};

} // namespace framecast::ui
