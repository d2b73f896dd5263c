#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A soak (not CI): a demo backend with its fault switches on (every progress
# stream or socket dropped after a few messages, one garbage message per job
# and dialect, a restart every few minutes) and the client's job lifecycle
# running rounds of JOBS jobs at once for MINUTES. Prints the client's JSON
# summary (no job lost, every step shown once, resident memory flat within
# 5 %) with the server's memory added; exit 0 when all held.
#
#   bash tests/bench/soak.sh [--minutes 60] [--jobs 50] [--build build/default]
#                            [--dialect all|NAME] [--log FILE] [--restart-s 240]
#
# --log FILE keeps the client's log there (one JSON line per round among
# Qt's messages) and the server's next to it (FILE.server).
set -euo pipefail

minutes=60 jobs=50 build=build/default dialect=all log= restart_s=240
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --dialect) dialect=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --restart-s) restart_s=$2; shift 2 ;;
        -h|--help) sed -n '3,17p' "$0"; exit 0 ;;
        *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
server_bin=$build/app/framecast-demo-server
client_bin=$build/tests/bench/framecast-soak
for b in "$server_bin" "$client_bin"; do
    [ -x "$b" ] || { echo "soak.sh: $b is missing; build first (cmake --build $build)" >&2; exit 2; }
done

work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

export SOAK_PASSWORD=soak
credits=$(python3 -c "import sys, math; print(100 * int(sys.argv[1]) * (math.ceil(float(sys.argv[2])) * 6 + 10))" "$jobs" "$minutes")
QT_QPA_PLATFORM=offscreen "$server_bin" --port 0 --data-dir "$work/server" --user "soak:soak:$credits" \
    --step-delay-ms 1500 --tiny-videos --token-ttl-s 86400 \
    --drop-after 6 --garbage --restart-every-ms $((restart_s * 1000)) --refuse-ms 3000 \
    >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
: >>"$work/server.out"
for _ in $(seq 100); do
    [ "$(wc -l <"$work/server.out")" -ge 2 ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; exit 1; }
    sleep 0.1
done
base=$(sed -n 1p "$work/server.out")
ws=$(sed -n 2p "$work/server.out" | sed 's/^WebSocket: //')
[ -n "$base" ] || { echo "soak.sh: the demo server did not say its URL" >&2; exit 1; }

rss_of() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo -1; }
server_rss_start=$(rss_of "$server_pid")
status=0
"$client_bin" --server "$base" --ws-url "$ws" --user soak --password-env SOAK_PASSWORD \
    --jobs "$jobs" --minutes "$minutes" --dialect "$dialect" \
    >"$work/summary.json" 2>"${log:-/dev/stderr}" || status=$?
server_rss_end=$(rss_of "$server_pid")
restarts=$(grep -c "simulating a restart" "$work/server.err" || true)
if [ -n "$log" ]; then cp "$work/server.err" "$log.server"; fi
load=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$work/summary.json" "$server_rss_start" "$server_rss_end" "$restarts" "$load" "$restart_s" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["server_rss_start_kb"], s["server_rss_end_kb"] = int(sys.argv[2]), int(sys.argv[3])
s["server_restarts"] = int(sys.argv[4])
s["faults"] = "drop-after 6, garbage, restart every %s s (3 s refused)" % sys.argv[6]
s["load"] = sys.argv[5]
print(json.dumps(s))
PY
exit $status
