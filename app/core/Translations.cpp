// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Translations.h"

#include <QLocale>
#include <QTranslator>

namespace framecast {

bool loadCatalogue(QTranslator *translator)
{
    const QString dir = QStringLiteral(":/i18n");
    return translator->load(QLocale(), QStringLiteral("framecast"), QStringLiteral("_"), dir)
           || translator->load(QStringLiteral("framecast_en"), dir);
}

} // namespace framecast
