#!/usr/bin/env bash
# Regenerates the sample images from FFmpeg's procedural sources.
set -euo pipefail
cd "$(dirname "$0")"
ffmpeg -v error -y -f lavfi -i "mandelbrot=s=960x540:end_pts=30:start_scale=1.5:end_scale=0.6" -ss 1 -frames:v 1 -q:v 3 fractal-dusk.jpg
ffmpeg -v error -y -f lavfi -i "gradients=s=960x540:c0=0x1b2a49:c1=0xf7b267:c2=0xf4845f:x0=0:y0=0:x1=960:y1=540:nb_colors=3" -frames:v 1 -q:v 3 sunset-gradient.jpg
ffmpeg -v error -y -f lavfi -i "cellauto=s=960x540:rule=110:random_fill_ratio=0.5" -vf "negate,colorize=hue=200:saturation=0.6:lightness=0.3" -frames:v 1 -q:v 3 coral-pattern.jpg
ffmpeg -v error -y -f lavfi -i "life=s=480x270:mold=10:r=1:ratio=0.1:death_color=#102030:life_color=#70e0c0:mold_color=#f0a030" -ss 6 -vf "gblur=sigma=5,scale=960:540" -frames:v 1 -q:v 4 garden-life.jpg
# The sample buttons' icons (72x40 drawn for a 3x screen): small copies, so
# that the first window decodes a few kilobytes instead of four full images.
mkdir -p thumbs
for f in fractal-dusk sunset-gradient coral-pattern garden-life; do
    ffmpeg -v error -y -i "$f.jpg" -vf "scale=216:-2:flags=lanczos,crop=216:120" -frames:v 1 -q:v 2 "thumbs/$f.jpg"
done
