// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace framecast::json {

/// Loose readers for what real servers send: a number may come as a string,
/// a null means absent. A present value of the wrong type is skipped and a
/// warning naming the field is appended to `warnings`.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QStringList *warnings)
        : m_object(object)
        , m_warnings(warnings)
    {
    }

    bool has(const QString &key) const;
    std::optional<double> number(const QString &key) const;
    std::optional<int> integer(const QString &key) const;
    QString string(const QString &key) const; ///< numbers are turned into text
    std::optional<bool> boolean(const QString &key) const;
    QJsonObject object(const QString &key) const;
    const QJsonObject &raw() const { return m_object; }

private:
    void wrongType(const QString &key, const char *expected) const;

    QJsonObject m_object;
    QStringList *m_warnings;
};

} // namespace framecast::json
