-- A job ledger as schema version 1 wrote it (the first ledger), with one
-- finished and one running job. tst_ledger migrates it to the current schema.
CREATE TABLE jobs ( id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, base_url TEXT NOT NULL, username TEXT NOT NULL, server_id TEXT, prompt TEXT NOT NULL, params TEXT NOT NULL DEFAULT '{}', thumbnail BLOB, status TEXT NOT NULL, error_code TEXT, error_message TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, finished_at INTEGER, step INTEGER NOT NULL DEFAULT 0, total_steps INTEGER NOT NULL DEFAULT 0, percent REAL NOT NULL DEFAULT 0, step_timings TEXT NOT NULL DEFAULT '[]', video_url TEXT, video_path TEXT);
CREATE TABLE job_log ( job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, seq INTEGER NOT NULL, step INTEGER NOT NULL, stage TEXT, at INTEGER, message TEXT NOT NULL, PRIMARY KEY (job_id, seq));
INSERT INTO jobs VALUES (1, 'Studio', 'https://api.example.com', 'mei', 'vid_old_1', 'A paper boat drifts down a rainy street', '{"model":"sora-2","duration":8,"size":"720x1280","image":"/home/mei/boat.png"}', NULL, 'completed', NULL, NULL, 1767225600000, 1767225660000, 1767225660000, 9, 9, 100, '[{"step":1,"label":"📝 Received","ms":120}]', '/videos/vid_old_1.mp4', '/home/mei/.local/share/Framecast/videos/vid_old_1.mp4');
INSERT INTO jobs VALUES (2, 'Studio', 'https://api.example.com', 'mei', 'vid_old_2', 'Lanterns rising over a lake at dusk', '{}', NULL, 'running', NULL, NULL, 1767225700000, 1767225710000, NULL, 3, 9, 25, '[]', NULL, NULL);
INSERT INTO job_log VALUES (1, 0, 1, '', 1767225600100, '📝 Received request');
INSERT INTO job_log VALUES (1, 1, 9, '', 1767225660000, '✅ Video ready');
INSERT INTO job_log VALUES (2, 0, 1, '', 1767225700100, '📝 Received request');
INSERT INTO job_log VALUES (2, 1, 3, '', 1767225710000, '🤖 Calling Sora 2 API...');
PRAGMA user_version = 1;
