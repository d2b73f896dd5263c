// SPDX-License-Identifier: GPL-3.0-or-later
#include "thumbnailer/FfmpegFrameGrabber.h"

#include <QDeadlineTimer>
#include <QFile>

#include <algorithm>
#include <cmath>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libswscale/swscale.h>
}

namespace framecast::thumbnailer {

namespace {

constexpr int kMaxPackets = 600;    ///< read at most this many packets for one frame
constexpr int kMaxBlankFrames = 48; ///< a fade from black longer than this: the black frame is shown
constexpr int kMaxSide = 16384;

struct Interrupt
{
    const std::atomic_bool *cancel;
    QDeadlineTimer deadline;
};

int interrupted(void *opaque)
{
    const auto *i = static_cast<const Interrupt *>(opaque);
    return (i->cancel && i->cancel->load()) || i->deadline.hasExpired() ? 1 : 0;
}

QString avError(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QString::fromUtf8(text);
}

struct FormatCloser
{
    void operator()(AVFormatContext *f) const { avformat_close_input(&f); }
};
struct CodecFreer
{
    void operator()(AVCodecContext *c) const { avcodec_free_context(&c); }
};
struct FrameFreer
{
    void operator()(AVFrame *f) const { av_frame_free(&f); }
};
struct PacketFreer
{
    void operator()(AVPacket *p) const { av_packet_free(&p); }
};

/// Nearly one colour (black, a title card in one colour): not a good still.
bool isBlank(const QImage &image)
{
    double sum = 0;
    double squares = 0;
    int n = 0;
    for (int y = 0; y < image.height(); y += std::max(1, image.height() / 24)) {
        const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); x += std::max(1, image.width() / 32)) {
            const double g = qGray(line[x]);
            sum += g;
            squares += g * g;
            ++n;
        }
    }
    if (n == 0)
        return true;
    const double mean = sum / n;
    return squares / n - mean * mean < 4.0; // a standard deviation under 2 grey levels
}

QImage toImage(const AVFrame *frame, QSize displaySize, QSize maxSize)
{
    // Scaled down to fit, never up (a small video keeps its own pixels).
    const bool fits = displaySize.width() <= maxSize.width() && displaySize.height() <= maxSize.height();
    const QSize out = (fits ? displaySize : displaySize.scaled(maxSize, Qt::KeepAspectRatio)).expandedTo(QSize(1, 1));
    SwsContext *sws = sws_getContext(frame->width, frame->height, AVPixelFormat(frame->format), out.width(), out.height(),
                                     AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr);
    if (!sws)
        return {};
    // swscale's vector code may write past the end of a line: a wider image
    // with a spare row takes that, and the picture is copied out of it.
    QImage padded((out.width() + 63) / 64 * 64, out.height() + 1, QImage::Format_RGB888);
    if (padded.isNull()) {
        sws_freeContext(sws);
        return {};
    }
    uint8_t *dst[4] = {padded.bits(), nullptr, nullptr, nullptr};
    const int dstStride[4] = {int(padded.bytesPerLine()), 0, 0, 0};
    const int rows = sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, dstStride);
    sws_freeContext(sws);
    return rows > 0 ? padded.copy(0, 0, out.width(), out.height()).convertToFormat(QImage::Format_RGB32) : QImage();
}

} // namespace

FfmpegFrameGrabber::FfmpegFrameGrabber(int timeoutMs)
    : m_timeoutMs(timeoutMs)
{
}

VideoFrame FfmpegFrameGrabber::grab(const QString &file, QSize maxSize, const std::atomic_bool *cancel) const
{
    VideoFrame result;
    Interrupt interrupt{cancel, QDeadlineTimer(m_timeoutMs)};
    AVFormatContext *raw = avformat_alloc_context();
    if (!raw)
        return {{}, -1, tr("Out of memory")};
    raw->interrupt_callback = {interrupted, &interrupt};
    // avformat_open_input frees the context when it fails.
    if (const int rc = avformat_open_input(&raw, QFile::encodeName(file).constData(), nullptr, nullptr); rc < 0)
        return {{}, -1, tr("Not a video file that can be read (%1)").arg(avError(rc))};
    std::unique_ptr<AVFormatContext, FormatCloser> format(raw);
    if (const int rc = avformat_find_stream_info(format.get(), nullptr); rc < 0)
        return {{}, -1, tr("The video file is damaged (%1)").arg(avError(rc))};
    const AVCodec *decoder = nullptr;
    const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (stream < 0 || !decoder)
        return {{}, -1, tr("The file has no video that can be decoded")};
    const AVStream *video = format->streams[stream];
    if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
        result.durationMs = format->duration / (AV_TIME_BASE / 1000);
    else if (video->duration != AV_NOPTS_VALUE && video->duration > 0)
        result.durationMs = qint64(double(video->duration) * av_q2d(video->time_base) * 1000.0);

    std::unique_ptr<AVCodecContext, CodecFreer> codec(avcodec_alloc_context3(decoder));
    if (!codec || avcodec_parameters_to_context(codec.get(), video->codecpar) < 0)
        return {{}, result.durationMs, tr("The video's codec cannot be set up")};
    codec->thread_count = 1; // the cache runs several grabs at once
    if (const int rc = avcodec_open2(codec.get(), decoder, nullptr); rc < 0)
        return {{}, result.durationMs, tr("The video's codec cannot be opened (%1)").arg(avError(rc))};
    if (codec->width <= 0 || codec->height <= 0 || codec->width > kMaxSide || codec->height > kMaxSide)
        return {{}, result.durationMs, tr("The video has no usable picture size")};

    // A third of the way in (at most 3 s): past a fade-in, early enough to be quick.
    const qint64 targetMs = result.durationMs > 0 ? std::min<qint64>(result.durationMs / 3, 3000) : 0;
    const int64_t target = av_rescale_q(targetMs, AVRational{1, 1000}, video->time_base)
                           + (video->start_time != AV_NOPTS_VALUE ? video->start_time : 0);
    if (targetMs > 0 && av_seek_frame(format.get(), stream, target, AVSEEK_FLAG_BACKWARD) < 0)
        av_seek_frame(format.get(), stream, 0, AVSEEK_FLAG_BACKWARD); // decode from the start instead
    avcodec_flush_buffers(codec.get());

    QSize display(codec->width, codec->height);
    const AVRational sar = av_guess_sample_aspect_ratio(format.get(), const_cast<AVStream *>(video), nullptr);
    if (sar.num > 0 && sar.den > 0)
        display.setWidth(std::max(1, int(std::lround(double(codec->width) * sar.num / sar.den))));

    std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
    std::unique_ptr<AVFrame, FrameFreer> frame(av_frame_alloc());
    if (!packet || !frame)
        return {{}, result.durationMs, tr("Out of memory")};
    QImage lastBlank;
    int blanks = 0;
    bool draining = false;
    int lastError = 0;
    for (int packets = 0; packets < kMaxPackets;) {
        if (!draining) {
            const int rc = av_read_frame(format.get(), packet.get());
            if (rc < 0) {
                if (rc != AVERROR_EOF)
                    lastError = rc;
                draining = true;
                avcodec_send_packet(codec.get(), nullptr); // the frames still in the decoder
            } else {
                ++packets;
                const bool ours = packet->stream_index == stream;
                const int sent = ours ? avcodec_send_packet(codec.get(), packet.get()) : 0;
                av_packet_unref(packet.get());
                if (!ours)
                    continue;
                if (sent < 0 && sent != AVERROR(EAGAIN))
                    lastError = sent; // a damaged packet: the next ones may decode
            }
        }
        while (avcodec_receive_frame(codec.get(), frame.get()) == 0) {
            const int64_t pts = frame->best_effort_timestamp;
            const bool early = targetMs > 0 && pts != AV_NOPTS_VALUE && pts < target && !draining;
            if (!early) {
                QImage image = toImage(frame.get(), display, maxSize);
                if (!image.isNull() && (!isBlank(image) || ++blanks >= kMaxBlankFrames)) {
                    result.image = std::move(image);
                    return result;
                }
                if (!image.isNull())
                    lastBlank = std::move(image);
            }
            av_frame_unref(frame.get());
        }
        if (draining || interrupted(&interrupt))
            break; // a drained decoder has given every frame it had
    }
    if (!lastBlank.isNull()) {
        result.image = lastBlank; // only blank frames: a blank still is still the video
        return result;
    }
    if (interrupted(&interrupt))
        result.error = cancel && cancel->load() ? tr("Cancelled") : tr("Decoding took too long");
    else
        result.error = lastError ? tr("No frame could be decoded (%1)").arg(avError(lastError))
                                 : tr("No frame could be decoded");
    return result;
}

std::shared_ptr<const FrameGrabber> makeFfmpegFrameGrabber()
{
    return std::make_shared<FfmpegFrameGrabber>();
}

} // namespace framecast::thumbnailer
