// SPDX-License-Identifier: GPL-3.0-or-later
//
// framecast-gen-sse-stream KIND MEGABYTES OUT
// Writes a reproducible text/event-stream file for the benchmarks:
//   small   ~120-byte JSON progress events (videos-sse style, emoji included)
//   large   64 KiB JSON events
//   tokens  stages-sse LLM token events whose full_text keeps growing
// and the shapes real servers send (issue 15): an `id:` line on every event,
// messages that begin with an emoji, and LF or CRLF line ends:
//   ids       like small, with `id:` on every event
//   ids-crlf  the same with CRLF line ends
//   ids-zh    `id:` on every event, Chinese messages (an emoji first), LF
//   ids-zh-crlf  the same with CRLF line ends
#include <QByteArray>
#include <QFile>
#include <QRandomGenerator>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s small|large|tokens|ids|ids-crlf|ids-zh|ids-zh-crlf MEGABYTES OUT\n", argv[0]);
        return 2;
    }
    const QByteArray kind = argv[1];
    const qint64 target = QByteArray(argv[2]).toLongLong() * 1000 * 1000;
    QFile out(QString::fromLocal8Bit(argv[3]));
    if (target <= 0 || !out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "bad size or cannot write %s\n", argv[3]);
        return 2;
    }
    QRandomGenerator rng(20251113);
    static const char *const messages[] = {"🔍 Validating request parameters...", "📸 Processing reference image...",
                                           "🤖 Calling Sora 2 API...", "🎬 Rendering video frames...",
                                           "🎞️ Encoding video..."};
    static const char *const words[] = {"the", "camera", "glides", "over", "a", "misty", "harbour", "at",
                                        "dawn,", "gulls", "circle", "slowly", "while", "light", "spreads"};
    // The seeds' Chinese messages (sse-video-log-stream-test-guide.zh.md and
    // sse-project-stages-integration.zh.md), each with its emoji first.
    static const char *const messagesZh[] = {"🔍 正在验证请求参数...", "📸 正在处理参考图片...", "🤖 正在调用 Sora 2 API...",
                                             "🎬 正在渲染视频帧，请稍候...", "🎞️ 正在编码视频..."};
    const bool withIds = kind.startsWith("ids");
    const bool chinese = kind.startsWith("ids-zh");
    const QByteArray eol = kind.endsWith("-crlf") ? QByteArrayLiteral("\r\n") : QByteArrayLiteral("\n");
    QByteArray buffer;
    qint64 written = 0;
    qint64 n = 0;
    QByteArray fullText;
    while (written < target) {
        buffer.clear();
        if (withIds) {
            // ~150 bytes, as a server that numbers its events writes them.
            buffer += "id: " + QByteArray::number(1000000 + n) + eol;
            buffer += "data: {\"step\":" + QByteArray::number(n % 8 + 1) + ",\"message\":\""
                      + (chinese ? messagesZh[n % 5] : messages[n % 5]) + "\",\"progress\":" + QByteArray::number(n % 100)
                      + ",\"eta\":" + QByteArray::number(rng.bounded(60)) + ",\"seq\":" + QByteArray::number(n) + "}" + eol + eol;
        } else if (kind == "small") {
            // ~120 bytes: {"step":3,"message":"🤖 Calling Sora 2 API...","progress":37,"eta":12,"seq":123456}
            buffer += "data: {\"step\":" + QByteArray::number(n % 8 + 1) + ",\"message\":\"" + messages[n % 5]
                      + "\",\"progress\":" + QByteArray::number(n % 100) + ",\"eta\":" + QByteArray::number(rng.bounded(60))
                      + ",\"seq\":" + QByteArray::number(n) + "}\n\n";
        } else if (kind == "large") {
            QByteArray payload(64 * 1024 - 40, 'x');
            for (int i = 0; i < payload.size(); i += 61)
                payload[i] = char('a' + rng.bounded(26));
            buffer += "data: {\"seq\":" + QByteArray::number(n) + ",\"blob\":\"" + payload + "\"}\n\n";
        } else if (kind == "tokens") {
            // full_text grows with every token; restart it every 2000 tokens
            // like a new stage, so a 200 MB file holds many thousands of events.
            if (n % 2000 == 0)
                fullText.clear();
            const QByteArray token = QByteArray(words[rng.bounded(15)]) + ' ';
            fullText += token;
            buffer += "data: {\"type\":\"token\",\"content\":\"" + token + "\",\"full_text\":\"" + fullText + "\"}\n\n";
        } else {
            std::fprintf(stderr, "unknown kind %s\n", kind.constData());
            return 2;
        }
        if (out.write(buffer) != buffer.size()) {
            std::fprintf(stderr, "write failed: %s\n", qPrintable(out.errorString()));
            return 1;
        }
        written += buffer.size();
        ++n;
    }
    std::printf("{\"kind\":\"%s\",\"events\":%lld,\"bytes\":%lld}\n", kind.constData(), static_cast<long long>(n),
                static_cast<long long>(written));
    return 0;
}
