# SPDX-License-Identifier: GPL-3.0-or-later
"""PROTOCOL.md §3.1's upload as a Django 4.2 project served by daphne.

A single-file project: settings, URLconf and view below, the ASGI application
served by daphne as `daphne server:application` would. The view reads
request.FILES["file"] through Django's own MultiPartParser and answers with
the sha256 and size of what arrived, so the client can check the bytes.

Usage: python3 server.py --port N
"""
import argparse
import hashlib
import sys
import uuid

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="framecast-tests-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    # What `startproject` gives, minus sessions, auth and messages (no database).
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    INSTALLED_APPS=[],
    USE_TZ=True,
)
django.setup()

from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_GET, require_POST  # noqa: E402

ALLOWED_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


@require_GET
def health(request):
    return JsonResponse({"status": "ok", "stack": "django " + django.get_version()})


@csrf_exempt  # a token API, as Django REST apps mark their endpoints
@require_POST
def upload(request):
    f = request.FILES.get("file")
    if f is None:
        return JsonResponse({"detail": "No file part named 'file'"}, status=400)
    if f.content_type not in ALLOWED_TYPES:
        return JsonResponse({"detail": "Unsupported image type " + f.content_type}, status=415)
    digest = hashlib.sha256()
    size = 0
    for chunk in f.chunks():
        digest.update(chunk)
        size += len(chunk)
    name = uuid.uuid4().hex + ALLOWED_TYPES[f.content_type]
    return JsonResponse(
        {
            "url": "/uploads/images/" + name,
            "sha256": digest.hexdigest(),
            "size": size,
            "filename": f.name,
            "content_type": f.content_type,
        },
        status=201,
    )


urlpatterns = [
    path("api/v1/health", health),
    path("api/v1/uploads", upload),
]

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    from daphne.cli import CommandLineInterface

    # daphne imports "server:application" by name: let it find this module
    # instead of configuring the settings a second time.
    sys.modules["server"] = sys.modules[__name__]
    CommandLineInterface().run(["-b", "127.0.0.1", "-p", str(args.port), "server:application"])
