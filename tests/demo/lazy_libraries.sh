#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The program maps neither FFmpeg nor Qt HttpServer before its window shows:
# they are the demo's (framecast-demo.so, loaded on first use), and FFmpeg is
# only the encoder's (framecast-video.so, loaded with the first video).
# The gallery's decoder is framecast-thumbnailer.so, loaded when it is first
# shown; Qt Multimedia (with PulseAudio and its codecs) is the player's
# (framecast-player.so, loaded with the first video).
#   lazy_libraries.sh FRAMECAST DEMO_MODULE VIDEO_MODULE THUMBNAILER_MODULE PLAYER_MODULE
set -euo pipefail
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
fail=0
if needed "$1" | grep -E 'libav|libswscale|HttpServer|Multimedia|libpulse'; then
    echo "FAIL: $1 links the above itself"; fail=1
fi
if needed "$2" | grep -E 'libav|libswscale'; then
    echo "FAIL: the demo module links FFmpeg itself"; fail=1
fi
needed "$3" | grep -q libavcodec || { echo "FAIL: the video module does not link FFmpeg"; fail=1; }
needed "$4" | grep -q libavcodec || { echo "FAIL: the thumbnailer module does not link FFmpeg"; fail=1; }
needed "$5" | grep -q Qt6Multimedia || { echo "FAIL: the player module does not link Qt Multimedia"; fail=1; }
[ $fail = 0 ] && echo "ok: FFmpeg, Qt HttpServer and Qt Multimedia load on first use"
exit $fail
