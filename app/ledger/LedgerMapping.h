// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to the ledger (not for its users): how a LedgerEntry maps onto a
// row of the `jobs` table, and the helpers the ledger's files share.

#include "ledger/Ledger.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace framecast::ledger {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Ledger)
};

/// Times are stored as milliseconds since the epoch (UTC); 0 is "none".
qint64 toMs(const QDateTime &t);
QDateTime fromMs(const QVariant &v);

/// The columns of `jobs` that bindEntry() binds, in order (without `id`).
QString columns();
/// Binds an entry's values for columns(). `withThumbnail` false binds NULL
/// there (updates keep the stored one instead of rewriting the image on
/// every progress event).
void bindEntry(QSqlQuery &q, const LedgerEntry &e, bool withThumbnail = true);
/// The entry of a row selected as "id, <columns()>" (without its log).
LedgerEntry readEntry(const QSqlQuery &q);

} // namespace framecast::ledger
