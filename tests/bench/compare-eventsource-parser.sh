#!/usr/bin/env bash
# Runs framecast-bench-sse and the npm package eventsource-parser on the same
# generated stream files, in the same run, and prints both figures and the ratio
# (medians of FRAMECAST_BENCH_REPEAT passes, 7 by default). The kinds are the
# generator's: small, large, tokens, and the shapes real servers send (ids*: an
# `id:` on every event, emoji or Chinese text, LF or CRLF).
# Usage: bash tests/bench/compare-eventsource-parser.sh [BUILD_DIR] [MEGABYTES]
# Needs node and npm (the package is installed into a temporary folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/default}"
mb="${2:-200}"
# Each side parses every file this many times; the median pass is reported.
repeat="${FRAMECAST_BENCH_REPEAT:-7}"
data="${FRAMECAST_BENCH_DATA:-/tmp/framecast-bench}"
mkdir -p "$data"

# The version the issue measured against; pinned so that runs compare.
esp_version="${FRAMECAST_ESP_VERSION:-4.1.3}"
export ESP_DIR="$data/esp-$esp_version"
if [[ ! -d "$ESP_DIR/node_modules/eventsource-parser" ]]; then
  npm install --silent --prefix "$ESP_DIR" "eventsource-parser@$esp_version" >/dev/null
fi

for kind in ${FRAMECAST_BENCH_KINDS:-small large tokens ids ids-crlf ids-zh ids-zh-crlf}; do
  f="$data/$kind-$mb.sse"
  [[ -f "$f" ]] || "$build/tests/bench/framecast-gen-sse-stream" "$kind" "$mb" "$f" >/dev/null
  ours=$("$build/tests/bench/framecast-bench-sse" "$f" --chunk 65536 --repeat "$repeat")
  theirs=$(node "$here/esp-bench.mjs" "$f" 65536 "$repeat")
  ratio=$(python3 -c "import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print(f'{a[\"mb_per_s\"]/b[\"mb_per_s\"]:.1f}')" "$ours" "$theirs")
  echo "$kind framecast:          $ours"
  echo "$kind eventsource-parser: $theirs"
  echo "$kind speed-up: ${ratio}x"
done
echo "memory, 200 MB token stream read from disk in 64 KiB chunks:"
"$build/tests/bench/framecast-bench-sse" "$data/tokens-$mb.sse" --chunk 65536 --stream
