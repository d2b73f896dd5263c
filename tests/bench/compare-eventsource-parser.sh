#!/usr/bin/env bash
# Runs framecast-bench-sse and the npm package eventsource-parser on the same
# generated stream files, in the same run, and prints both figures and the ratio.
# Usage: bash tests/bench/compare-eventsource-parser.sh [BUILD_DIR] [MEGABYTES]
# Needs node and npm (the package is installed into a temporary folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/default}"
mb="${2:-200}"
data="${FRAMECAST_BENCH_DATA:-/tmp/framecast-bench}"
mkdir -p "$data"

export ESP_DIR="$data/esp"
if [[ ! -d "$ESP_DIR/node_modules/eventsource-parser" ]]; then
  npm install --silent --prefix "$ESP_DIR" eventsource-parser >/dev/null
fi

for kind in small large tokens; do
  f="$data/$kind-$mb.sse"
  [[ -f "$f" ]] || "$build/tests/bench/framecast-gen-sse-stream" "$kind" "$mb" "$f" >/dev/null
  ours=$("$build/tests/bench/framecast-bench-sse" "$f" --chunk 65536)
  theirs=$(node "$here/esp-bench.mjs" "$f" 65536)
  ratio=$(python3 -c "import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print(f'{a[\"mb_per_s\"]/b[\"mb_per_s\"]:.1f}')" "$ours" "$theirs")
  echo "$kind framecast:          $ours"
  echo "$kind eventsource-parser: $theirs"
  echo "$kind speed-up: ${ratio}x"
done
echo "memory, 200 MB token stream read from disk in 64 KiB chunks:"
"$build/tests/bench/framecast-bench-sse" "$data/tokens-$mb.sse" --chunk 65536 --stream
