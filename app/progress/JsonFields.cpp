// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress/JsonFields.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cmath>

namespace framecast::json {

namespace {
QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    default:
        return QStringLiteral("null");
    }
}
} // namespace

bool FieldReader::has(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    return !v.isUndefined() && !v.isNull();
}

void FieldReader::wrongType(const QString &key, const char *expected) const
{
    if (m_warnings) {
        m_warnings->append(QCoreApplication::translate("FieldReader", "field \"%1\" should be %2 but is %3; ignored")
                               .arg(key, QString::fromLatin1(expected), typeName(m_object.value(key))));
    }
}

std::optional<double> FieldReader::number(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double d = v.toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    wrongType(key, "a number");
    return std::nullopt;
}

std::optional<int> FieldReader::integer(const QString &key) const
{
    const auto d = number(key);
    if (!d)
        return std::nullopt;
    if (*d < -2147483648.0 || *d > 2147483647.0) {
        wrongType(key, "a 32-bit integer");
        return std::nullopt;
    }
    return int(std::lround(*d));
}

QString FieldReader::string(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    wrongType(key, "a string");
    return {};
}

std::optional<bool> FieldReader::boolean(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (v.isBool())
        return v.toBool();
    if (v.isDouble())
        return v.toDouble() != 0;
    if (v.isString()) {
        const QString s = v.toString().trimmed().toLower();
        if (s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes"))
            return true;
        if (s == QLatin1String("false") || s == QLatin1String("0") || s == QLatin1String("no"))
            return false;
    }
    wrongType(key, "a boolean");
    return std::nullopt;
}

QJsonObject FieldReader::object(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    if (v.isObject())
        return v.toObject();
    if (!v.isUndefined() && !v.isNull())
        wrongType(key, "an object");
    return {};
}

} // namespace framecast::json
