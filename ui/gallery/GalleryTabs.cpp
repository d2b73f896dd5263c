// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallery/GalleryTabs.h"

#include <QBoxLayout>
#include <QLineEdit>
#include <QSplitter>
#include <QTabWidget>

namespace framecast::ui {

GalleryTabs::GalleryTabs(QTabWidget *tabs, QLineEdit *search, QList<QWidget *> searchPages, QWidget *gallery,
                         QWidget *compose, QSplitter *splitter)
    : QObject(tabs)
    , m_tabs(tabs)
    , m_search(search)
    , m_gallery(gallery)
    , m_compose(compose)
    , m_splitter(splitter)
{
    for (QWidget *page : searchPages)
        m_pages << page;
    connect(tabs, &QTabWidget::currentChanged, this, &GalleryTabs::onTabChanged);
    onTabChanged();
}

void GalleryTabs::onTabChanged()
{
    if (!m_tabs)
        return;
    QWidget *shown = m_tabs->currentWidget();
    if (m_search) {
        for (const QPointer<QWidget> &page : std::as_const(m_pages)) {
            auto *box = page ? qobject_cast<QBoxLayout *>(page->layout()) : nullptr;
            if (page == shown && box && box->indexOf(m_search) != 0) {
                const bool focused = m_search->hasFocus();
                // Reparents it to this page; shown or hidden as History decides
                // (hidden while there is nothing to search).
                box->insertWidget(0, m_search);
                if (focused)
                    m_search->setFocus();
            }
        }
    }
    if (!m_compose || !m_splitter)
        return;
    const bool gallery = shown && shown == m_gallery;
    if (gallery && m_compose->isVisibleTo(m_splitter)) {
        m_sizesBefore = m_splitter->sizes();
        m_compose->hide();
        // The grid gets three fifths, the player the rest.
        QList<int> sizes = m_splitter->sizes();
        int total = 0;
        for (int s : std::as_const(sizes))
            total += s;
        const int composeAt = m_splitter->indexOf(m_compose);
        const int tabsAt = m_splitter->indexOf(m_tabs);
        for (int i = 0; i < sizes.size(); ++i)
            sizes[i] = i == tabsAt ? total * 3 / 5 : i == composeAt ? 0 : total * 2 / 5;
        m_splitter->setSizes(sizes);
    } else if (!gallery && !m_compose->isVisibleTo(m_splitter)) {
        m_compose->show();
        if (!m_sizesBefore.isEmpty())
            m_splitter->setSizes(m_sizesBefore);
    }
}

} // namespace framecast::ui
