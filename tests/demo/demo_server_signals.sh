#!/usr/bin/env bash
# framecast-demo-server ends cleanly on SIGTERM and on SIGINT: exit status 0
# within a few seconds, idle and with a progress stream open.
# Usage: demo_server_signals.sh PATH/TO/framecast-demo-server
set -euo pipefail
server="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# stop_with SIGNAL BUSY: starts a server on a free port, waits for its URL,
# optionally opens a job's SSE stream, sends SIGNAL and waits for the exit.
stop_with() {
  local sig="$1" busy="$2" url status watchdog curl_pid=""
  coproc SERVER { exec "$server" --port 0 --step-delay-ms 2000 --data-dir "$work/data-$sig-$busy" 2>"$work/server.log"; }
  local pid=$SERVER_PID
  # The first line is the base URL, printed once the server listens.
  read -r -t 30 url <&"${SERVER[0]}" || { cat "$work/server.log"; fail "no URL from the server"; }
  if [[ "$busy" == busy ]]; then
    local token id
    token=$(curl -sf -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d '{"username":"demo","password":"demo"}' | jq -r .access_token)
    id=$(curl -sf -X POST "$url/api/v1/videos/generate" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d '{"prompt":"Signals at dusk"}' | jq -r .id)
    [[ -n "$id" && "$id" != null ]] || fail "no job"
    # The stream's first event says it is open (steps are 2 s apart, so the
    # job is still running when the signal comes).
    exec {stream}< <(exec curl -sN -H "Authorization: Bearer $token" "$url/api/v1/videos/$id/stream")
    curl_pid=$!
    local line
    while read -r -t 30 line <&"$stream"; do [[ "$line" == data:* ]] && break; done
    [[ "$line" == data:* ]] || fail "no event on the stream"
  fi
  kill -s "$sig" "$pid"
  # Wait for the exit, killing the server if it takes longer than 10 s.
  local start=$SECONDS
  { sleep 10 && kill -KILL "$pid"; } 2>/dev/null & watchdog=$!
  status=0
  wait "$pid" || status=$?
  pkill -P "$watchdog" sleep 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  [[ -n "$curl_pid" ]] && { kill "$curl_pid" 2>/dev/null || true; }
  [[ $status -eq 0 ]] || { cat "$work/server.log"; fail "SIG$sig ($busy): exit status $status (137: still running after 10 s)"; }
  echo "SIG$sig ($busy): exit status 0 after $((SECONDS - start)) s"
}

for sig in TERM INT; do
  stop_with "$sig" idle
  stop_with "$sig" busy
done
