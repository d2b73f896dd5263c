// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demo/DemoJob.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace framecast::demo::wire {

/// One SSE event: optional id and type, JSON data.
QByteArray sseEvent(const QJsonObject &data, const QByteArray &type = {}, qint64 id = 0);

/// videos-sse (PROTOCOL §4.1): nothing for token records.
QByteArray videosSse(const DemoJob &job, const JobRecord &record);
/// tasks-sse (§4.2): named events progress / complete / error; nothing for tokens.
QByteArray tasksSse(const DemoJob &job, const JobRecord &record);

/// stages-sse (§4.3) needs to know the stage it last reported per connection.
class StagesWriter
{
public:
    /// `onlyStage` empty: all stages; else just that one.
    StagesWriter(QString projectId, QString onlyStage);
    /// Starts a (re)connection: the `connected` event.
    QByteArray connected(const QString &currentStage);
    /// The events for one record (possibly none, possibly several).
    QByteArray write(const DemoJob &job, const JobRecord &record);
    /// True once the stream has nothing more to say (its stage is done, or the job ended).
    bool finished() const { return m_finished; }
    void resumeAfter(const JobRecord &record) { m_stage = record.stage; }

private:
    QString m_projectId;
    QString m_onlyStage;
    QString m_stage;
    bool m_finished = false;
};

/// WebSocket (§4.4): taskProgress / taskCompleted / taskFailed envelope; empty for tokens.
QJsonObject webSocketMessage(const DemoJob &job, const JobRecord &record);
QJsonObject envelope(const QString &type, const QJsonObject &payload, const QString &requestId = {});

/// FastAPI-style error bodies.
QByteArray detail(const QString &message);
QByteArray validationDetail(const QString &field, const QString &message, const QString &type = QStringLiteral("value_error"));

} // namespace framecast::demo::wire
