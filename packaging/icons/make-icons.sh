#!/usr/bin/env bash
# Renders framecast.svg into the PNG sizes, the Windows .ico and the macOS .icns.
# Needs librsvg2-bin, icoutils and icnsutils (Debian packages).
set -euo pipefail
cd "$(dirname "$0")"
for s in 16 24 32 48 64 128 256 512; do
  rsvg-convert -w $s -h $s framecast.svg -o "hicolor/${s}x${s}/apps/io.github.framecast.Framecast.png" --background-color=none
done
icotool -c -o framecast.ico hicolor/{16x16,24x24,32x32,48x48,64x64,128x128,256x256}/apps/io.github.framecast.Framecast.png
png2icns framecast.icns hicolor/{16x16,32x32,48x48,128x128,256x256,512x512}/apps/io.github.framecast.Framecast.png >/dev/null
