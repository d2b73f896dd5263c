#!/usr/bin/env bash
# Screenshots of the real app for a person to look at (not part of CI):
#   tests/ui/screenshots.sh OUTPUT_DIR [FRAMECAST_BINARY]
# For each screen (1280x800, 1920x1080, and 1280x800 at QT_SCALE_FACTOR=2),
# light and dark (FRAMECAST_COLOR_SCHEME) and English and Simplified Chinese
# (LANGUAGE/LC_ALL, as a user's desktop sets them), it starts framecast on
# a fresh Xvfb with a fresh home (a first run: the built-in demo, logged in,
# an example prompt), saves the first-run window, presses Generate
# (Ctrl+Enter in the prompt), and saves the running job and the finished one,
# and the History tab before and after; then three prompts at once ("One
# prompt per line", Generate) for the queue above the job list, and, when
# the first of them has finished too, the Gallery tab with its frame grid:
#   OUTPUT_DIR/<lang>-<scheme>-<screen>-{first-run,history-empty,running,finished,history,queue,gallery}.png
# The waits follow the app where they can: the downloaded videos (*.mp4 in
# the fresh home), the player's first frame (no longer a flat area) and the
# gallery's thumbnails, each with a time limit.
# FRAMECAST_BINARY in the environment stands for the second argument.
# Needs xvfb-run, xdotool and ImageMagick's import and convert (bash .ci/deps installs them).
set -euo pipefail
out="${1:?usage: screenshots.sh OUTPUT_DIR [FRAMECAST_BINARY]}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
app="${2:-${FRAMECAST_BINARY:-$here/build/default/framecast}}"
[[ -x "$app" ]] || { echo "screenshots.sh: no $app (build the framecast target)" >&2; exit 1; }
for tool in xvfb-run xdotool import convert; do
    command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing" >&2; exit 1; }
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# One run, inside its own Xvfb: shoot.sh NAME SCALE
shoot="$(mktemp)"
trap 'rm -f "$shoot"' EXIT
cat >"$shoot" <<'INNER'
set -euo pipefail
name="$1" scale="$2"
home="$(mktemp -d)"
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache"
export FRAMECAST_SETTINGS="$home/.config/Framecast/Framecast.conf" QT_SCALE_FACTOR="$scale"
export FRAMECAST_DEMO_STEP_DELAY_MS=700
# The language as a user's desktop sets it, for the app only (the shell has
# no zh_CN locale generated; Qt reads the variables itself).
env $APP_LOCALE "$APP" >"$home/app.log" 2>&1 &
pid=$!
# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds;
# on the time limit it says so and the shot is taken anyway.
wait_for() {
    local limit=$(($1 * 5)) i
    shift
    for ((i = 0; i < limit; ++i)); do
        "$@" && return 0
        sleep 0.2
    done
    echo "$name: gave up waiting for: $*" >&2
    return 0
}
# The finished downloads (VideoDownload renames "<file>.part" when complete).
videos() { find "$home/.local/share" -type f -name '*.mp4' 2>/dev/null | wc -l; }
at_least_videos() { (($(videos) >= $1)); }
thumbnails() { find "$home/.cache" -path '*thumbnails*' -type f 2>/dev/null | wc -l; }
at_least_thumbnails() { (($(thumbnails) >= $1)); }
# The player shows a frame: the middle of the right column (the player, in
# every layout here) is no longer flat (the empty pane, a black player).
frame_shown() {
    import -window root "$home/probe.png"
    convert "$home/probe.png" -crop "$((sw / 10))x$((sh / 10))+$((sw * 78 / 100))+$((sh * 55 / 100))" \
        -format '%[fx:standard_deviation]' info: | awk '{ exit !($1 > 0.005) }'
}
win=""
for _ in $(seq 100); do
    win="$(xdotool search --sync --onlyvisible --name '^Framecast$' 2>/dev/null | head -n 1 || true)"
    [[ -n "$win" ]] && break
    sleep 0.1
done
[[ -n "$win" ]] || { echo "no window for $name"; cat "$home/app.log"; kill $pid; exit 1; }
# No window manager: the window fills the screen as a maximized one would.
read -r sw sh < <(xdotool getdisplaygeometry)
xdotool windowmove "$win" 0 0 windowsize "$win" "$sw" "$sh"
sleep 3 # the demo server starts and logs in (the credits appear)
import -window root "$OUT/$name-first-run.png"
# The empty history (the tabs' mnemonics: &History, &Jobs, in both languages);
# a click on the title first gives the window the keyboard (no window manager).
xdotool mousemove --sync $((sw * 2 / 100)) $((sh * 5 / 100)) click 1
xdotool key --clearmodifiers alt+h
sleep 0.5
import -window root "$OUT/$name-history-empty.png"
xdotool key --clearmodifiers alt+j
# The prompt: the top of the middle column (the splitter's 1:2:3 share).
xdotool mousemove --sync $((sw * 30 / 100)) $((sh * 16 / 100)) click 1
xdotool key --clearmodifiers ctrl+Return
sleep 4
import -window root "$OUT/$name-running.png"
# The last steps, the video rendered and downloaded, then the player starts.
wait_for 60 at_least_videos 1
wait_for 20 frame_shown
sleep 0.5
import -window root "$OUT/$name-finished.png"
xdotool key --clearmodifiers alt+h
sleep 0.5
import -window root "$OUT/$name-history.png"
# The queue: three prompts, one a line (Return in the prompt is a new line),
# "One prompt per &line" by its mnemonic (L in both languages), &Variations
# 2, Generate: six jobs, of which three start (JobQueue's three at a time
# per server) and three wait in the queue view above the job list.
xdotool key --clearmodifiers alt+j
xdotool mousemove --sync $((sw * 30 / 100)) $((sh * 16 / 100)) click 1
xdotool key --clearmodifiers ctrl+a BackSpace
# (xdotool type drops a "\n", so each line break is a key of its own)
xdotool type --delay 5 'A lighthouse at dusk, waves breaking below'
xdotool key --clearmodifiers Return
xdotool type --delay 5 'A paper boat drifting down a rainy street'
xdotool key --clearmodifiers Return
xdotool type --delay 5 'A fox running through fresh snow, slow motion'
xdotool key --clearmodifiers alt+l
sleep 0.5 # a mnemonic animates the click: the box is ticked ~100 ms later
xdotool key --clearmodifiers alt+v ctrl+a
xdotool type 2
sleep 0.3
xdotool key --clearmodifiers ctrl+Return
sleep 1.5 # the first starts, the other two wait
import -window root "$OUT/$name-queue.png"
# The gallery once a second video is in (one of the first three), with the
# frames of both taken; Alt+G is the tab's mnemonic in both languages.
wait_for 60 at_least_videos 2
xdotool key --clearmodifiers alt+g
wait_for 20 at_least_thumbnails 2
sleep 1.5
import -window root "$OUT/$name-gallery.png"
kill $pid
wait $pid 2>/dev/null || true
rm -rf "$home"
INNER

run() { # NAME WxH SCALE LANG SCHEME
    local name="$1" screen="$2" scale="$3" lang="$4" scheme="$5" w h
    # SCREENSHOTS_ONLY='en-dark-*' takes only the runs whose name matches.
    [[ -z "${SCREENSHOTS_ONLY:-}" || "$name" == $SCREENSHOTS_ONLY ]] || return 0
    w="${screen%x*}" h="${screen#*x}"
    w=$(awk "BEGIN { print int($w * $scale) }") h=$(awk "BEGIN { print int($h * $scale) }")
    echo "$name"
    local locale="LANGUAGE=en LC_ALL=C.UTF-8 LANG=C.UTF-8"
    [[ "$lang" == zh_CN ]] && locale="LANGUAGE=zh_CN LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8"
    env APP_LOCALE="$locale" FRAMECAST_COLOR_SCHEME="$scheme" APP="$app" OUT="$out" \
        xvfb-run -a -s "-screen 0 ${w}x${h}x24" bash "$shoot" "$name" "$scale"
}

for lang in en zh_CN; do
    for scheme in light dark; do
        for screen in 1280x800 1920x1080; do
            run "$lang-$scheme-$screen" "$screen" 1 "$lang" "$scheme"
        done
    done
done
# A 2x screen (QT_SCALE_FACTOR=2): icons and thumbnails must stay sharp.
for scheme in light dark; do
    run "en-$scheme-1280x800@2x" 1280x800 2 en "$scheme"
done
echo "screenshots in $out"
