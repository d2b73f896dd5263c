#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Start-up and memory of Framecast against the Qt floor (a bare Qt Widgets
# window: tests/bench/floor_window.cpp), side by side in one run: the two
# alternate, RUNS times each (default 5), each Framecast run a first launch
# (fresh config and data folders). "Shown" is the first paint: both print
# "framecast: first paint" on stderr then when FRAMECAST_STARTUP_MARKER=1.
# Time from exec to that line; RSS (VmRSS) 3 s after exec (by then a first
# launch runs the built-in demo) and at that line. Prints one JSON line with
# the medians, the ratios and the machine's load.
#
#   bash tests/bench/startup.sh [--runs 5] [--build build/default] [--platform offscreen|xcb]
# Under a real X server (xvfb-run -a bash tests/bench/startup.sh --platform xcb).
set -euo pipefail
runs=5 build=build/default platform=offscreen
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --platform) platform=$2; shift 2 ;;
        -h|--help) sed -n '3,14p' "$0"; exit 0 ;;
        *) echo "startup.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
app=$build/framecast floor=$build/tests/bench/framecast-bench-floor
for b in "$app" "$floor"; do
    [ -x "$b" ] || { echo "startup.sh: $b is missing; build first" >&2; exit 2; }
done
exec python3 - "$app" "$floor" "$runs" "$platform" <<'PY'
import json, os, statistics, subprocess, sys, tempfile, time

app, floor, runs, platform = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1

def once(binary):
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, FRAMECAST_STARTUP_MARKER="1", QT_QPA_PLATFORM=platform, HOME=home,
                   XDG_CONFIG_HOME=os.path.join(home, "config"), XDG_DATA_HOME=os.path.join(home, "data"),
                   XDG_CACHE_HOME=os.path.join(home, "cache"))
        t0 = time.monotonic()
        p = subprocess.Popen([binary], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        shown = None
        rss_shown = -1
        for line in p.stderr:
            if b"framecast: first paint" in line:
                shown = (time.monotonic() - t0) * 1000
                rss_shown = rss_kb(p.pid)
                break
            if time.monotonic() - t0 > 30:
                break
        # Drain the rest so a chatty app never blocks on a full pipe.
        import threading
        threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
        time.sleep(max(0, 3.0 - (time.monotonic() - t0)))
        rss = rss_kb(p.pid)
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        if shown is None:
            sys.exit(f"startup.sh: {binary} never printed its first-paint marker")
        return shown, rss, rss_shown

res = {"framecast": [], "floor": []}
for _ in range(runs):
    for name, binary in (("floor", floor), ("framecast", app)):
        res[name].append(once(binary))

def med(name, i):
    return statistics.median(r[i] for r in res[name])

out = {
    "runs": runs, "platform": platform,
    "framecast_shown_ms": round(med("framecast", 0), 1), "floor_shown_ms": round(med("floor", 0), 1),
    "shown_ratio": round(med("framecast", 0) / med("floor", 0), 2),
    "framecast_rss_kb": med("framecast", 1), "floor_rss_kb": med("floor", 1),
    "rss_ratio": round(med("framecast", 1) / med("floor", 1), 2),
    "framecast_rss_shown_kb": med("framecast", 2), "floor_rss_shown_kb": med("floor", 2),
    "rss_shown_ratio": round(med("framecast", 2) / med("floor", 2), 2),
    "framecast_shown_all_ms": [round(r[0]) for r in res["framecast"]],
    "floor_shown_all_ms": [round(r[0]) for r in res["floor"]],
    "load": open("/proc/loadavg").read().split()[:3],
}
print(json.dumps(out))
PY
