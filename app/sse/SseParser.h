// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtEndian>

#include "sse/Utf8.h"

#include <cstring>
#include <functional>
#include <optional>
#include <string>

namespace framecast::sse {

/// One dispatched event. All three byte arrays hold valid UTF-8: invalid
/// input sequences were replaced by U+FFFD (one per maximal subpart) before
/// the event is handed out, so they can go straight to QJsonDocument::fromJson().
struct SseEvent
{
    QByteArray type;        ///< "message" unless an `event:` field named it
    QByteArray data;        ///< data lines joined by LF, final LF removed
    QByteArray lastEventId; ///< the source's last event ID at dispatch time

    QString typeText() const { return QString::fromUtf8(type); }
    QString dataText() const { return QString::fromUtf8(data); }
};

/// An event as the parser hands it out: views into the parser's buffers,
/// valid only during the callback (no allocation per event). Copy with
/// toEvent() to keep it.
struct SseEventView
{
    QByteArrayView type;
    QByteArrayView data;
    QByteArrayView lastEventId;

    SseEvent toEvent() const { return SseEvent{type.toByteArray(), data.toByteArray(), lastEventId.toByteArray()}; }
    QString dataText() const { return QString::fromUtf8(data); }
};

/// Limits from PROTOCOL.md §5. Past either one the parser stops with an error
/// instead of buffering without bound.
struct SseLimits
{
    qsizetype maxLineBytes = qsizetype(1) << 20;  ///< one line, terminator excluded
    qsizetype maxEventBytes = qsizetype(8) << 20; ///< one event's data buffer
};

/// Incremental parser for the WHATWG `text/event-stream` format
/// (HTML Living Standard 9.2.5 and 9.2.6).
///
/// Feed it bytes in any chunking; the events it dispatches do not depend on
/// where the chunks were cut. It decodes UTF-8 itself (BOM stripped once at
/// byte 0 of a stream) and never needs the whole stream in memory: at most one
/// unfinished line and one unfinished event are buffered, both capped by
/// SseLimits. It does no I/O and owns no QObject, so a QNetworkReply, a file,
/// a fuzzer or a benchmark can drive it the same way.
class SseParser final
{
public:
    enum class Error {
        None,
        LineTooLong,   ///< a line exceeded SseLimits::maxLineBytes
        EventTooLarge, ///< an event's data exceeded SseLimits::maxEventBytes
    };

    /// Called for every dispatched event. The handler must not call feed()
    /// on the same parser; reset(), clear() and stopping are fine.
    using EventHandler = std::function<void(const SseEventView &event)>;

    explicit SseParser(EventHandler onEvent, SseLimits limits = {});

    /// Parses the next chunk. Zero-length chunks are fine. Returns false once
    /// a limit was exceeded; the parser then ignores input until reset().
    bool feed(QByteArrayView chunk);

    /// End of stream: an unterminated trailing line and an undispatched block
    /// are dropped, as the standard says.
    void finish();

    /// Starts a new stream (a reconnect): clears buffers, the error and the BOM
    /// state. The last event ID and the retry time belong to the event source
    /// and survive, so that a reconnect can send `Last-Event-ID`.
    void reset();

    /// Forgets everything, including the last event ID and the retry time.
    void clear();

    QByteArray lastEventId() const
    {
        const IdString &id = committedId();
        return QByteArray(id.data(), id.size());
    }
    std::optional<qint64> retryMs() const { return m_retryMs; }
    Error error() const { return m_error; }
    QString errorString() const;
    const SseLimits &limits() const { return m_limits; }

private:
    bool processLine(const char *line, qsizetype length);
    bool processField(QByteArrayView name, const char *value, qsizetype valueLength);
    void setId(const char *value, qsizetype valueLength);
    bool appendData(const char *value, qsizetype valueLength);
    /// The unfinished line at a chunk's end is a data line: its value goes
    /// straight into the event's buffer (one copy), the rest with the next chunk.
    bool startStreamedData(const char *line, qsizetype length);
    /// Appends the next chunk's part of a streamed data line, up to `eol`.
    bool continueStreamedData(const char *p, const char *eol, bool ends);
    void keepDataView();
    void dispatch();
    bool fail(Error error);

    EventHandler m_onEvent;
    SseLimits m_limits;

    // std::string for the two hot buffers: inline appends, and clear() keeps
    // the capacity, so a steady stream allocates nothing per line or event.
    std::string m_pending;      ///< unfinished line carried over from the last chunk
    std::string m_data;         ///< data buffer of the event being built (raw bytes: made valid UTF-8 at dispatch)
    bool m_streamingData = false;   ///< a data line is being appended to m_data across chunks
    qsizetype m_streamedLineBytes = 0; ///< how much of that line has been seen (the line limit)
    const char *m_dataView = nullptr; ///< or its one data line, still in the chunk being parsed
    qsizetype m_dataViewSize = 0;
    bool m_lineInChunk = false;  ///< the line being processed lies in the chunk (not the carried-over line)
    const char *m_chunkEnd = nullptr; ///< the end of that chunk (while m_lineInChunk)
    QByteArray m_eventType;     ///< event type buffer
    // Servers that number their events send `id:` with every one. The last
    // event ID buffer (set by `id:`) and the committed last event ID are two
    // strings that trade places at a blank line, so setting and committing an
    // ID copies it once and allocates nothing.
    // Inline room for the IDs servers send (numbers, UUIDs); longer ones, up
    // to the line limit, go to the heap.
    class IdString
    {
    public:
        const char *data() const { return m_size <= kInline ? m_inline : m_heap.data(); }
        qsizetype size() const { return m_size; }
        void clear() { m_size = 0; }
        /// A short ID (at most 16 bytes) as two little-endian words.
        void setWords(quint64 first, quint64 second, qsizetype size)
        {
            qToLittleEndian(first, m_inline);
            qToLittleEndian(second, m_inline + 8);
            m_size = size;
        }
        void assign(const char *bytes, qsizetype size)
        {
            if (size <= kInline)
                std::memcpy(m_inline, bytes, size_t(size));
            else
                m_heap.assign(bytes, size_t(size));
            m_size = size;
        }

    private:
        static constexpr qsizetype kInline = 48;
        char m_inline[kInline] = {};
        qsizetype m_size = 0;
        std::string m_heap;
    };
    IdString &idBuffer() { return m_ids[1 - m_committed]; }
    const IdString &committedId() const { return m_ids[m_committed]; }
    IdString m_ids[2];
    int m_committed = 0;
    std::optional<qint64> m_retryMs;
    Error m_error = Error::None;
    bool m_atStreamStart = true; ///< the next line starts at byte 0 of the stream
    bool m_skipLeadingLf = false; ///< the last chunk ended in CR: an LF now ends nothing
    bool m_idChanged = false;     ///< an `id:` was seen since the last blank line
};


} // namespace framecast::sse
