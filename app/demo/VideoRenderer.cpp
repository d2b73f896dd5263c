// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo/VideoRenderer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <memory>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace framecast::demo {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(VideoRenderer)
};

QString avError(int code)
{
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buffer, sizeof buffer);
    return QString::fromUtf8(buffer);
}

struct CodecContextDeleter
{
    void operator()(AVCodecContext *c) const { avcodec_free_context(&c); }
};
struct FrameDeleter
{
    void operator()(AVFrame *f) const { av_frame_free(&f); }
};
struct PacketDeleter
{
    void operator()(AVPacket *p) const { av_packet_free(&p); }
};
struct SwsDeleter
{
    void operator()(SwsContext *s) const { sws_freeContext(s); }
};
struct FormatDeleter
{
    void operator()(AVFormatContext *f) const
    {
        if (f->pb)
            avio_closep(&f->pb);
        avformat_free_context(f);
    }
};

} // namespace

VideoResult renderVideo(const VideoSpec &spec, const std::function<void(double)> &progress,
                        const std::atomic_bool *cancel)
{
    VideoResult result;
    QElapsedTimer timer;
    timer.start();
    auto failWith = [&](const QString &message) {
        result.ok = false;
        result.error = message;
        QFile::remove(spec.outputPath);
        result.elapsedMs = timer.elapsed();
        return result;
    };
    if (spec.size.width() <= 0 || spec.size.height() <= 0 || spec.size.width() % 2 || spec.size.height() % 2)
        return failWith(Tr::tr("Video size must be positive and even"));
    if (spec.durationSeconds <= 0 || spec.fps <= 0)
        return failWith(Tr::tr("Video duration and frame rate must be positive"));

    static const bool quiet = [] {
        av_log_set_level(AV_LOG_ERROR); // x264's statistics are not for our users
        return true;
    }();
    Q_UNUSED(quiet);
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec)
        return failWith(Tr::tr("No H.264 encoder in this FFmpeg build"));

    AVFormatContext *rawFormat = nullptr;
    const QByteArray path = QFile::encodeName(spec.outputPath);
    int rc = avformat_alloc_output_context2(&rawFormat, nullptr, "mp4", path.constData());
    if (rc < 0 || !rawFormat)
        return failWith(Tr::tr("Cannot create the MP4 container: %1").arg(avError(rc)));
    std::unique_ptr<AVFormatContext, FormatDeleter> format(rawFormat);

    std::unique_ptr<AVCodecContext, CodecContextDeleter> ctx(avcodec_alloc_context3(codec));
    ctx->width = spec.size.width();
    ctx->height = spec.size.height();
    ctx->time_base = AVRational{1, spec.fps};
    ctx->framerate = AVRational{spec.fps, 1};
    ctx->pix_fmt = AV_PIX_FMT_YUV420P;
    ctx->gop_size = spec.fps * 2;
    ctx->thread_count = 0; // let x264 pick
    if (format->oformat->flags & AVFMT_GLOBALHEADER)
        ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(ctx->priv_data, "preset", spec.x264Preset.toLatin1().constData(), 0);
    av_opt_set(ctx->priv_data, "crf", "23", 0);
    av_opt_set(ctx->priv_data, "profile", "high", 0);
    rc = avcodec_open2(ctx.get(), codec, nullptr);
    if (rc < 0)
        return failWith(Tr::tr("Cannot open the H.264 encoder: %1").arg(avError(rc)));

    AVStream *stream = avformat_new_stream(format.get(), nullptr);
    if (!stream)
        return failWith(Tr::tr("Cannot add a video stream"));
    stream->time_base = ctx->time_base;
    stream->avg_frame_rate = ctx->framerate;
    avcodec_parameters_from_context(stream->codecpar, ctx.get());

    rc = avio_open(&format->pb, path.constData(), AVIO_FLAG_WRITE);
    if (rc < 0)
        return failWith(Tr::tr("Cannot write %1: %2").arg(spec.outputPath, avError(rc)));
    AVDictionary *options = nullptr;
    av_dict_set(&options, "movflags", "+faststart", 0); // playable while downloading
    rc = avformat_write_header(format.get(), &options);
    av_dict_free(&options);
    if (rc < 0)
        return failWith(Tr::tr("Cannot write the MP4 header: %1").arg(avError(rc)));

    std::unique_ptr<AVFrame, FrameDeleter> frame(av_frame_alloc());
    frame->format = ctx->pix_fmt;
    frame->width = ctx->width;
    frame->height = ctx->height;
    if (av_frame_get_buffer(frame.get(), 0) < 0)
        return failWith(Tr::tr("Out of memory for a video frame"));
    std::unique_ptr<SwsContext, SwsDeleter> sws(sws_getContext(ctx->width, ctx->height, AV_PIX_FMT_BGRA, ctx->width,
                                                                ctx->height, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                                                                nullptr, nullptr, nullptr));
    std::unique_ptr<AVPacket, PacketDeleter> packet(av_packet_alloc());
    if (!sws || !packet)
        return failWith(Tr::tr("Cannot set up the colour conversion"));

    auto drain = [&](AVFrame *input) -> QString {
        int r = avcodec_send_frame(ctx.get(), input);
        if (r < 0)
            return Tr::tr("Encoding failed: %1").arg(avError(r));
        while ((r = avcodec_receive_packet(ctx.get(), packet.get())) >= 0) {
            av_packet_rescale_ts(packet.get(), ctx->time_base, stream->time_base);
            packet->stream_index = stream->index;
            r = av_interleaved_write_frame(format.get(), packet.get());
            if (r < 0)
                return Tr::tr("Cannot write the video (disk full?): %1").arg(avError(r));
        }
        if (r != AVERROR(EAGAIN) && r != AVERROR_EOF)
            return Tr::tr("Encoding failed: %1").arg(avError(r));
        return {};
    };

    const QImage cover = prepareCoverSource(spec.image, spec.size);
    const int frameCount = spec.durationSeconds * spec.fps;
    for (int i = 0; i < frameCount; ++i) {
        if (cancel && cancel->load())
            return failWith(Tr::tr("Cancelled"));
        const QImage image = renderFrame(cover, spec.size, spec.caption, i, frameCount);
        if (av_frame_make_writable(frame.get()) < 0)
            return failWith(Tr::tr("Out of memory for a video frame"));
        const uint8_t *src[] = {image.constBits()};
        const int srcStride[] = {int(image.bytesPerLine())};
        sws_scale(sws.get(), src, srcStride, 0, ctx->height, frame->data, frame->linesize);
        frame->pts = i;
        const QString error = drain(frame.get());
        if (!error.isEmpty())
            return failWith(error);
        ++result.frames;
        if (progress)
            progress(double(i + 1) / frameCount);
    }
    QString error = drain(nullptr); // flush
    if (!error.isEmpty())
        return failWith(error);
    rc = av_write_trailer(format.get());
    if (rc < 0)
        return failWith(Tr::tr("Cannot finish the MP4 file: %1").arg(avError(rc)));
    avio_closep(&format->pb);

    result.ok = true;
    result.bytes = QFile(spec.outputPath).size();
    result.elapsedMs = timer.elapsed();
    return result;
}

} // namespace framecast::demo
