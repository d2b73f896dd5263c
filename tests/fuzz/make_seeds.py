#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the seed corpora of the decoder fuzz targets (tests/fuzz/corpus-<target>/).
# Real messages from the protocol notes and the demo backend, then the awkward
# ones: wrong types, huge numbers, deep nesting, numbers as strings, unknown
# fields. One file per seed; a line is one event or message (see the targets).
import os

HERE = os.path.dirname(os.path.abspath(__file__))

AWKWARD = [
    '{"progress": 1e309}', '{"progress": -0}', '{"progress": -0.0, "step": -0}',
    '{"progress": 9223372036854775808, "step": 9223372036854775807}',
    '{"step": 2147483648, "total_steps": 2147483647}', '{"step": -2147483649}',
    '{"progress": "NaN"}', '{"progress": "inf", "eta": "-1e400"}', '{"progress": " 42 "}',
    '{"progress": 150, "eta": -5}', '{"progress": -20}', '{"step": "3", "total_steps": "0"}',
    '{"step": 12, "total_steps": 4}', '{"step": [], "progress": {}, "message": 5, "status": true}',
    '{"status": null, "message": null, "error": null}', '{"unknown": {"deep": [1, {"x": null}]}, "step": 1}',
    '[' * 1100 + ']' * 1100, '{"a":' * 600 + '1' + '}' * 600,
    '{"message": "\\ud83c"}', '{"message": "\\udc00\\ud800"}', '"just a string"', '42', 'null', '',
    '{"message": "' + '\U0001F3AC' * 60 + '"',
    '{"step":1,"step":2}', '{"error": {"code": 5, "message": ["x"], "details": "d", "retryable": "yes"}}',
]


def write(target, name, lines):
    d = os.path.join(HERE, 'corpus-fuzz_' + target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(lines))


# --- videos-sse: data only; event type "error" marks a failure ----------------
videos = [
    '{"step": 1, "message": "🔍 Validating request parameters..."}',
    '{"step": 2, "message": "📸 Processing reference image..."}',
    '{"step": 3, "message": "🤖 Calling Sora 2 API..."}',
    '{"step": 4, "message": "⏳ Waiting for AI processing (this may take 2-5 minutes)..."}',
    '{"step": 5, "message": "Rendering...", "progress": 75, "eta": 12, "total_steps": 8}',
    '{"step": 6, "message": "🎞️ Encoding video..."}',
    '{"step": 9, "message": "🎉 Video ready!", "video_url": "/uploads/videos/mock-video.mp4", "status": "completed", "progress": 100}',
]
write('decoder_videos_sse', 'stream-ok', videos)
write('decoder_videos_sse', 'failed', ['{"step": 3, "message": "❌ Generation failed", "status": "failed", "error": "Model overloaded", "error_code": "GENERATION_FAILED", "retryable": true}'])
write('decoder_videos_sse', 'error-event', ['error\t{"message": "quota exceeded"}'])
write('decoder_videos_sse', 'cancelled', ['{"step": 3, "message": "Cancelled", "status": "cancelled"}'])
write('decoder_videos_sse', 'other-job', ['{"video_id": "other", "step": 1, "message": "x"}', '{"video_id": "job-1", "step": 2, "message": "y"}'])
write('decoder_videos_sse', 'strings', ['{"step": "2", "total_steps": "10", "progress": "20.5", "status": "PROCESSING", "message": "x", "estimated_time": "30"}'])
write('decoder_videos_sse', 'status-answer', ['{"id": "job-1", "status": "processing", "step": 4, "total_steps": 8, "progress": 50, "message": "m"}',
                                              '{"id": "job-1", "status": "failed", "error": {"code": "E", "message": "m", "details": "d", "retryable": true}}'])
for i, a in enumerate(AWKWARD):
    write('decoder_videos_sse', 'awkward-%02d' % i, [a])

# --- tasks-sse: the event type matters --------------------------------------
tasks = [
    'progress\t{"task_id": "job-1", "state": "PENDING", "progress": 0, "updated_at": "2025-11-13T10:00:00Z"}',
    'progress\t{"task_id": "job-1", "state": "PROCESSING", "progress": 40, "estimated_time": 12}',
    'progress\t{"task_id": "job-1", "state": "PROCESSING", "progress": 80}',
    'complete\t{"task_id": "job-1", "state": "COMPLETED", "progress": 100, "video_url": "/uploads/videos/task_example_001.mp4"}',
]
write('decoder_tasks_sse', 'stream-ok', tasks)
write('decoder_tasks_sse', 'error', ['progress\t{"task_id": "job-1", "state": "PROCESSING"}', 'error\t{"task_id": "job-1", "state": "FAILED", "error": "GPU out of memory"}'])
write('decoder_tasks_sse', 'cancel', ['error\t{"state": "CANCELLED", "error": {"code": "CANCELLED", "message": "by user"}}'])
write('decoder_tasks_sse', 'message-type', ['{"state": "QUEUED"}', 'heartbeat\t{}', 'message\t{"state": "running", "progress": "12.5"}'])
write('decoder_tasks_sse', 'other-task', ['progress\t{"task_id": "other", "state": "PROCESSING"}'])
for i, a in enumerate(AWKWARD):
    write('decoder_tasks_sse', 'awkward-%02d' % i, ['progress\t' + a])
    write('decoder_tasks_sse', 'awkward-complete-%02d' % i, ['complete\t' + a])

# --- stages-sse: the type is in the JSON ------------------------------------
stages = [
    '{"type": "connected", "message": "SSE connected", "project_id": "job-1", "stage": "rewrite"}',
    '{"type": "stage_update", "stage": "rewrite", "status": "processing", "progress": 0}',
    '{"type": "token", "content": "A cat", "full_text": "A cat"}',
    '{"type": "token", "content": " on a roof", "full_text": "A cat on a roof"}',
    '{"type": "done", "stage": "rewrite", "full_text": "A cat on a roof"}',
    '{"type": "stage_update", "stage": "storyboard", "status": "processing", "progress": 50}',
    '{"type": "progress", "stage": "image_generation", "progress": 30, "message": "Generating images"}',
    '{"type": "stage_update", "stage": "camera_movement", "status": "completed", "progress": 100}',
    '{"type": "progress", "stage": "video_generation", "progress": 99.5}',
    '{"type": "done", "stage": "video_generation", "result": {"video_url": "/media/projects/job-1/final.mp4"}}',
    '{"type": "stream_end", "message": "bye"}',
]
write('decoder_stages_sse', 'stream-ok', stages)
write('decoder_stages_sse', 'error', ['{"type": "stage_update", "stage": "storyboard", "status": "failed", "error": {"code": "X", "message": "bad"}}',
                                      '{"type": "error", "error": {"code": "cancelled", "message": "stopped"}}', '{"type": "error", "status": "cancelled"}'])
write('decoder_stages_sse', 'unknown-stage', ['{"type": "progress", "stage": "mystery", "progress": 250}', '{"type": "stage_update", "stage": "mystery", "progress": -3}'])
write('decoder_stages_sse', 'no-type', ['{"stage": "rewrite"}', '{"type": 5}', '{"type": "wat"}'])
for i, a in enumerate(AWKWARD):
    write('decoder_stages_sse', 'awkward-%02d' % i, [a])
    if a.startswith('{"') and a.endswith('}'):
        write('decoder_stages_sse', 'awkward-typed-%02d' % i, ['{"type": "progress", "stage": "storyboard", ' + a[1:]])

# --- WebSocket messages -------------------------------------------------------
ws = [
    '{"type": "authSuccess", "timestamp": 1763010000000, "id": "auth-1", "payload": {"userId": "u1"}}',
    '{"type": "subscribeSuccess", "id": "sub-2", "payload": {"videoId": "video_xxx"}}',
    '{"type": "taskProgress", "timestamp": 1763010000000, "payload": {"videoId": "video_xxx", "status": "PROCESSING", "progress": 45, "currentStep": "rendering", "totalSteps": 4, "message": "正在生成视频...", "estimatedTimeRemaining": 60}}',
    '{"type": "taskProgress", "payload": {"videoId": "video_xxx", "progress": 60, "currentStep": 3, "totalSteps": 4}}',
    '{"type": "taskCompleted", "timestamp": 1763010000000, "payload": {"videoId": "video_xxx", "status": "completed", "progress": 100, "result": {"videoUrl": "http://45.8.22.95:8000/sora/videos/xxx.mp4", "thumbnailUrl": "http://45.8.22.95:8000/sora/thumbs/xxx.jpg", "duration": 15, "fileSize": 5242880, "resolution": "1280x720"}, "metrics": {"totalTime": 125, "queueTime": 5, "processTime": 120}}}',
    '{"type": "heartbeat", "timestamp": 1763010000000, "payload": {"connectedClients": 5, "uptime": 12345.67}}',
]
write('websocket_message', 'session-ok', ws)
write('websocket_message', 'failed', ['{"type": "taskFailed", "timestamp": 1763010000000, "payload": {"videoId": "video_xxx", "status": "failed", "error": {"code": "GENERATION_FAILED", "message": "视频生成失败", "details": "模型过载，请稍后重试", "retryable": true}}}'])
write('websocket_message', 'cancelled', ['{"type": "taskFailed", "payload": {"videoId": "v", "error": {"code": "CANCELLED", "message": "by user"}}}'])
write('websocket_message', 'auth-error', ['{"type": "authError", "payload": {"message": "invalid token"}}', '{"type": "error", "payload": {"code": "NOT_FOUND", "videoId": "v", "message": "gone"}}'])
write('websocket_message', 'snake-case', ['{"type": "task_progress", "payload": {"video_id": "v", "progress": 5}}'])
write('websocket_message', 'step-string', ['{"type": "taskProgress", "payload": {"videoId": "v", "currentStep": " 7 ", "totalSteps": "4", "progress": "101"}}'])
write('websocket_message', 'wrong-envelope', ['{"type": 5, "payload": [1], "id": {}}', '{"payload": {"videoId": "v"}}', '[]', 'not json', '{"type": "taskProgress", "payload": "x"}'])
for i, a in enumerate(AWKWARD):
    for t in ('taskProgress', 'taskCompleted', 'taskFailed'):
        if a.startswith('{"') and a.endswith('}'):
            p = '{"videoId": "v", ' + a[1:].replace('"step"', '"currentStep"').replace('"total_steps"', '"totalSteps"').replace('"eta"', '"estimatedTimeRemaining"')
        else:
            p = a or '{}'
        write('websocket_message', 'awkward-%s-%02d' % (t, i), ['{"type": "%s", "id": "r", "payload": %s}' % (t, p)])
