#!/usr/bin/env bash
# The curl walkthroughs of the seeds, run against framecast-demo-server --port 8000.
# The videos-sse commands are copied verbatim from
# shared/seeds/sse-video-log-stream-test-guide.zh.md (debugging tips, section 3);
# the tasks-sse one from sse-task-progress-setup.zh.md (method 2).
# Usage: seed_curl_walkthrough.sh PATH/TO/framecast-demo-server
# Runs on Linux, macOS and Git for Windows' bash: no GNU-only options, and the
# carriage returns of native Windows jq/ffprobe are dropped.
set -euo pipefail
server="$1"
for tool in curl jq ffprobe; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not on PATH (bash .ci/deps installs it)"; exit 1; }
done
jq() { command jq "$@" | tr -d '\r'; }
ffprobe() { command ffprobe "$@" | tr -d '\r'; }
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$server" --port 8000 --step-delay-ms 50 --data-dir "$work/data" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null http://127.0.0.1:8000/health && break
  kill -0 "$pid" 2>/dev/null || { echo "server died:"; cat "$work/server.log"; exit 1; }
  sleep 0.1
done
fail() { echo "FAIL: $*"; exit 1; }

# 先登录获取 token (the seed logs in with Google; here with demo/demo)
TOKEN=$(curl -s -X POST http://localhost:8000/api/v1/auth/login \
  -H 'Content-Type: application/json' -d '{"username":"demo","password":"demo"}' | jq -r .access_token)
[[ -n "$TOKEN" && "$TOKEN" != null ]] || fail "login"

# --- verbatim from the seed ---
# 先创建视频任务
VIDEO_ID=$(curl -X POST "http://localhost:8000/api/v1/videos/generate" \
  -H "Authorization: Bearer $TOKEN" \
  -H "Content-Type: application/json" \
  -d '{
    "prompt": "Test video",
    "model": "sora-2",
    "reference_image_url": "https://example.com/image.jpg"
  }' | jq -r '.id')

# 连接 SSE 流
curl -N "http://localhost:8000/api/v1/videos/$VIDEO_ID/stream?token=$TOKEN" >"$work/videos.sse"
# --- end of the seed's commands ---

for m in "🔍 Validating request parameters..." "📸 Processing reference image..." "🤖 Calling Sora 2 API..." \
         "⏳ Waiting for AI processing (this may take 2-5 minutes)..." "🎬 Rendering video frames..." \
         "🎞️ Encoding video..." "☁️ Uploading video..." "✅ Finalizing..." "🎉 Video ready!"; do
  grep -qF "$m" "$work/videos.sse" || fail "videos-sse lacks: $m"
done
last=$(grep '^data: ' "$work/videos.sse" | tail -n 1 | sed 's/^data: //')
[[ $(jq -r .status <<<"$last") == completed ]] || fail "no completed event: $last"
video_url=$(jq -r .video_url <<<"$last")
[[ $(jq -r .step <<<"$last") == 9 ]] || fail "final step is not 9"
echo "videos-sse: $(grep -c '^data: ' "$work/videos.sse") events, video at $video_url"

# sse-task-progress-setup.zh.md, method 2 (token in the header only)
token="$TOKEN"
curl -N -H "Authorization: Bearer $token" \
  http://localhost:8000/api/v1/sse/tasks/$VIDEO_ID/progress >"$work/tasks.sse"
grep -q '^event: complete' "$work/tasks.sse" || fail "tasks-sse has no complete event"
[[ $(curl -s -o /dev/null -w '%{http_code}' http://localhost:8000/api/v1/sse/tasks/$VIDEO_ID/progress) == 401 ]] \
  || fail "tasks-sse without a token must be 401"
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
  http://localhost:8000/api/v1/sse/tasks/task_example_001/progress) == 404 ]] || fail "unknown task must be 404"

# sse-project-stages-integration.zh.md: all stages (EventSource sends no header: token in the query)
curl -N "http://localhost:8000/api/v1/sse/projects/$VIDEO_ID/?token=$TOKEN" >"$work/stages.sse"
grep -q '"type":"stream_end"' "$work/stages.sse" || fail "stages-sse has no stream_end"

# The video plays: H.264, 1280x720, 4 s.
curl -s -o "$work/video.mp4" "http://localhost:8000$video_url"
probe=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height -of csv=p=0 "$work/video.mp4")
[[ "$probe" == "h264,1280,720" ]] || fail "video is $probe"
echo "video: $probe, $(wc -c <"$work/video.mp4" | tr -d ' ') bytes"
echo "seed walkthroughs: all good"
