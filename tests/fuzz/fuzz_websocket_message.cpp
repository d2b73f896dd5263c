// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target for WebSocket text messages. The input is one message per
// line. Each is parsed as WebSocketChannel::onText does (a JSON object, the
// envelope {type, payload, id}, each read loosely), then its payload goes
// through decodeWebSocketTaskMessage under the message's own type and under
// each task type the channel knows, so every payload meets every decoder.
// Besides the checks of FuzzDecoders.h: an event needs a videoId (the channel
// routes by it), a type the decoder does not know gives no event, and the
// whole input decoded twice gives the same results.
#include "FuzzDecoders.h"

#include <QJsonDocument>

#include <cstdint>

using framecast::DecodeResult;

namespace {

const QString kTaskTypes[] = {QStringLiteral("taskProgress"), QStringLiteral("taskCompleted"),
                              QStringLiteral("taskFailed")};

bool isTaskType(const QString &type)
{
    for (const QString &t : kTaskTypes) {
        if (type == t)
            return true;
    }
    return false;
}

void checkDecoded(const QString &type, const DecodeResult &r)
{
    fuzzdec::checkResult(r);
    if (!r.event)
        return;
    if (!isTaskType(type))
        fuzzdec::fail("an event from a message of type", type);
    if (r.event->jobId.isEmpty())
        fuzzdec::fail("an event without a job id");
}

QList<DecodeResult> decodeAll(const QList<QByteArray> &lines)
{
    QList<DecodeResult> out;
    for (const QByteArray &line : lines) {
        // QWebSocket hands text messages over as QString; onText turns them back.
        const QString text = QString::fromUtf8(line);
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (!doc.isObject()) {
            // The channel's warning quotes the first 80 units of the text.
            if (error.error == QJsonParseError::NoError && !doc.isNull() && !doc.isArray())
                fuzzdec::fail("not an object, yet neither an error nor an array");
            continue;
        }
        const QJsonObject message = doc.object();
        const QString type = message.value(QStringLiteral("type")).toString();
        const QJsonObject payload = message.value(QStringLiteral("payload")).toObject();
        const QString requestId = message.value(QStringLiteral("id")).toString();
        // Not checked: the channel quotes type, id and payload.message of its
        // own messages (authError, error) as they came, lone surrogates
        // included; that text is WebSocketChannel's, not the decoder's.
        Q_UNUSED(requestId)

        DecodeResult own = framecast::decodeWebSocketTaskMessage(type, payload);
        checkDecoded(type, own);
        out.append(std::move(own));
        for (const QString &t : kTaskTypes) {
            DecodeResult r = framecast::decodeWebSocketTaskMessage(t, payload);
            checkDecoded(t, r);
            out.append(std::move(r));
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    return fuzzdec::decodeTwiceAndCompare(bytes, size, decodeAll);
}
