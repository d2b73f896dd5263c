#!/usr/bin/env bash
# The Debian package round trip, as CI runs it (as root):
# build the .deb, install it with apt-get, run the installed framecast
# (--version and a headless demo to a finished video), remove it, and check
# that nothing of the package is left behind.
# Usage: packaging/linux/deb-roundtrip.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
version=$(grep -oP 'CMAKE_PROJECT_VERSION:STATIC=\K.*' "$build/CMakeCache.txt")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb round trip FAILED: $*"; exit 1; }

(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/framecast_"$version"_*.deb)
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null

[[ $(command -v framecast) == /usr/bin/framecast ]] || fail "framecast is not /usr/bin/framecast"
[[ $(framecast --version) == "framecast $version" ]] || fail "framecast --version says: $(framecast --version)"
echo "installed: $(framecast --version)"

# The job history goes to a folder of this run; that it is written proves the
# hand-listed Qt SQLite driver is there.
XDG_DATA_HOME="$work/data" FRAMECAST_DEMO_STEP_DELAY_MS=50 framecast --headless --demo --json \
  --prompt "A lighthouse on a cliff at sunset" --image "$repo/resources/samples/sunset-gradient.jpg" \
  --output "$work/video.mp4" >"$work/run.jsonl" || fail "headless demo exited $? ($(tail -n 2 "$work/run.jsonl"))"
probe=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height -of csv=p=0 "$work/video.mp4")
[[ "$probe" == "h264,1280,720" ]] || fail "the video is '$probe'"
echo "headless demo: $(tail -n 1 "$work/run.jsonl")"
[[ -s "$work/data/Framecast/Framecast/ledger.sqlite" ]] || fail "no job history was written (Qt SQLite driver missing?)"
grep -q '"event":"warning"' "$work/run.jsonl" && fail "warnings: $(grep '"event":"warning"' "$work/run.jsonl")"
echo "job history: written"

mapfile -t files < <(dpkg -L framecast | while read -r f; do [[ -f "$f" || -L "$f" ]] && echo "$f"; done)
DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -qq framecast >/dev/null
dpkg -s framecast >/dev/null 2>&1 && fail "the package is still installed"
for f in "${files[@]}"; do
  [[ -e "$f" ]] && fail "$f is left behind"
done
echo "removed: ${#files[@]} files gone"
echo "deb round trip: ok"
