"""Response compression for the embedded server (brotli or gzip), text types only.

``make run`` serves Gongshi without a proxy in front, so the application compresses its own
responses: HTML, JSON, CSV, SVG, Atom, JavaScript and plain text, brotli when the client
accepts it and gzip otherwise (a project page of ~100 KB goes over a phone's line as ~15 KB).
PDFs, images, spreadsheets and ZIP files are compressed already and are left alone. Static
files are not seen here: WhiteNoise serves its precompressed copies before this runs. In
production nginx may compress as well; a response that already has a Content-Encoding is
passed through untouched.

BREACH (a secret in a compressed page that also reflects attacker input): Django masks the
CSRF token afresh in every response, so the token cannot be recovered that way, and its
gzip adds random bytes to every response ("Heal the BREACH"). Brotli has no such padding, so
it is used only for responses that carry no CSRF token (no token cookie was set:
JSON, CSV, SVG, feeds, the widget); pages with a form get gzip with the padding.
"""

from __future__ import annotations

import re

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_sequence, compress_string

COMPRESSIBLE_TYPES = re.compile(
    r"^(text/|application/(json|.*\+json|xml|.*\+xml|javascript)|image/svg\+xml)"
)
MIN_LENGTH = 200
# Django's gzip padding against BREACH (bytes added at random to the gzip header).
GZIP_MAX_RANDOM_BYTES = 100
# Quality 5 compresses HTML better than gzip -9 at a fraction of brotli 11's time.
BROTLI_QUALITY = 5

_accepts = re.compile(r"(?:^|,)\s*(br|gzip)\s*(?:;\s*q=([0-9.]+))?", re.IGNORECASE)


def accepted_encodings(header: str) -> set[str]:
    """The encodings among br and gzip the Accept-Encoding header allows (q > 0)."""
    found = set()
    for match in _accepts.finditer(header or ""):
        quality = match.group(2)
        try:
            if quality is not None and float(quality) <= 0:
                continue
        except ValueError:
            continue
        found.add(match.group(1).lower())
    return found


def _brotli_sequence(chunks):
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    for chunk in chunks:
        data = compressor.process(chunk)
        if data:
            yield data
        # Flush each chunk, so a streamed CSV export reaches the reader as it is produced.
        data = compressor.flush()
        if data:
            yield data
    yield compressor.finish()


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        return self.compress(request, response)

    def compress(self, request, response):
        content_type = response.get("Content-Type", "")
        if not COMPRESSIBLE_TYPES.match(content_type) or response.has_header("Content-Encoding"):
            return response
        if getattr(response, "is_async", False):
            return response  # no async views here; leave them to the client uncompressed
        if not response.streaming and len(response.content) < MIN_LENGTH:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        accepted = accepted_encodings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        # CsrfViewMiddleware (inner) sets the token's cookie on a response whenever a token
        # was put into it (``get_token``); with CSRF_USE_SESSIONS, the request's flag tells.
        carries_token = settings.CSRF_COOKIE_NAME in response.cookies or bool(
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
        if "br" in accepted and not carries_token:
            encoding = "br"
        elif "gzip" in accepted:
            encoding = "gzip"
        else:
            return response
        if response.streaming:
            if encoding == "br":
                response.streaming_content = _brotli_sequence(response.streaming_content)
            else:
                response.streaming_content = compress_sequence(
                    response.streaming_content, max_random_bytes=GZIP_MAX_RANDOM_BYTES
                )
            del response.headers["Content-Length"]
        else:
            if encoding == "br":
                compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
            else:
                compressed = compress_string(
                    response.content, max_random_bytes=GZIP_MAX_RANDOM_BYTES
                )
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        # A strong ETag names the bytes; the compressed bytes differ, so it becomes weak
        # (RFC 9110 §8.8.1). Conditional requests compare weakly and still match.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = encoding
        return response
