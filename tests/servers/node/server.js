// SPDX-License-Identifier: GPL-3.0-or-later
// PROTOCOL.md §3.1's upload as an express + multer app writes it: multer's
// single("file") (busboy underneath) into memory; the answer carries the
// sha256 and size of what arrived, so the client can check the bytes.
//
// Usage: node server.js --port N   (dependencies: npm ci in this folder)
'use strict';
const crypto = require('node:crypto');
const express = require('express');
const multer = require('multer');

const allowedTypes = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp' };
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : NaN;
if (!Number.isInteger(port)) {
  console.error('usage: node server.js --port N');
  process.exit(2);
}

const app = express();
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 50 * 1024 * 1024 } });

app.get('/api/v1/health', (req, res) => {
  res.json({ status: 'ok', stack: `express ${require('express/package.json').version}, multer ${require('multer/package.json').version}` });
});

app.post('/api/v1/uploads', upload.single('file'), (req, res) => {
  const f = req.file;
  if (!f) return res.status(400).json({ detail: "No file part named 'file'" });
  const ext = allowedTypes[f.mimetype];
  if (!ext) return res.status(415).json({ detail: `Unsupported image type ${f.mimetype}` });
  res.status(201).json({
    url: `/uploads/images/${crypto.randomUUID()}${ext}`,
    sha256: crypto.createHash('sha256').update(f.buffer).digest('hex'),
    size: f.buffer.length,
    filename: f.originalname,
    content_type: f.mimetype,
  });
});

// multer's and the body's refusals in the protocol's shape.
app.use((err, req, res, next) => {
  res.status(err.status || 400).json({ detail: String(err.message || err) });
});

app.listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
