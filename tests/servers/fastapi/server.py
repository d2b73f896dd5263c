# SPDX-License-Identifier: GPL-3.0-or-later
"""PROTOCOL.md §3.1's upload as FastAPI + uvicorn apps write it.

`UploadFile` parsed by Starlette with python-multipart; the answer carries
the sha256 and size of what arrived, so the client can check the bytes.

Usage: python3 server.py --port N
"""
import argparse
import hashlib
import uuid

import fastapi
import uvicorn
from fastapi import FastAPI, File, HTTPException, UploadFile

ALLOWED_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}

app = FastAPI()


@app.get("/api/v1/health")
async def health():
    return {"status": "ok", "stack": "fastapi " + fastapi.__version__}


@app.post("/api/v1/uploads", status_code=201)
async def upload(file: UploadFile = File(...)):
    if file.content_type not in ALLOWED_TYPES:
        raise HTTPException(status_code=415, detail="Unsupported image type " + str(file.content_type))
    digest = hashlib.sha256()
    size = 0
    while chunk := await file.read(1 << 16):
        digest.update(chunk)
        size += len(chunk)
    return {
        "url": "/uploads/images/" + uuid.uuid4().hex + ALLOWED_TYPES[file.content_type],
        "sha256": digest.hexdigest(),
        "size": size,
        "filename": file.filename,
        "content_type": file.content_type,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
