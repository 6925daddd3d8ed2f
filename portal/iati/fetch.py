"""Where an IATI source comes from: a local file, or a URL downloaded with limits first."""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from portal.iati.report import ImportFailed

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class LocalSource:
    """A source as a readable file, with its provenance."""

    path: Path
    location: str  # what SourceFile records: the URL, or the file's absolute path
    sha256: str
    size: int


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


@contextmanager
def local_source(source: str, *, timeout: float, max_bytes: int) -> Iterator[LocalSource]:
    """The source as a local file; a download is kept in a temporary file while in use."""
    if is_url(source):
        with _download(source, timeout=timeout, max_bytes=max_bytes) as downloaded:
            yield downloaded
        return
    path = Path(source)
    try:
        digest, size = _file_digest(path)
    except FileNotFoundError:
        raise ImportFailed(source, None, _("no such file")) from None
    except IsADirectoryError:
        raise ImportFailed(source, None, _("is a directory, not a file")) from None
    except OSError as error:
        raise ImportFailed(source, None, error.strerror or str(error)) from None
    yield LocalSource(path=path, location=str(path.resolve()), sha256=digest, size=size)


def _file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@contextmanager
def _download(url: str, *, timeout: float, max_bytes: int) -> Iterator[LocalSource]:
    handle, name = tempfile.mkstemp(prefix="portal-iati-", suffix=".xml")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as target:
            digest, size = _copy_limited(url, target, timeout=timeout, max_bytes=max_bytes)
        yield LocalSource(path=path, location=url, sha256=digest, size=size)
    finally:
        path.unlink(missing_ok=True)


def _copy_limited(url: str, target, *, timeout: float, max_bytes: int) -> tuple[str, int]:
    too_big = _(
        "download stopped: larger than %(limit)d bytes (PORTAL_DOWNLOAD_MAX_BYTES)",
        limit=max_bytes,
    )
    request = urllib.request.Request(url, headers={"User-Agent": "open-results-portal"})
    digest = hashlib.sha256()
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ImportFailed(url, None, too_big)
            while chunk := response.read(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise ImportFailed(url, None, too_big)
                digest.update(chunk)
                target.write(chunk)
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection open otherwise
        raise ImportFailed(
            url,
            None,
            _(
                "download failed: HTTP %(status)d %(reason)s",
                status=error.code,
                reason=error.reason,
            ),
        ) from None
    except urllib.error.URLError as error:
        reason = error.reason
        raise ImportFailed(url, None, _("download failed: %(reason)s", reason=reason)) from None
    except TimeoutError:
        message = _(
            "download failed: no answer within %(seconds)g s (PORTAL_DOWNLOAD_TIMEOUT)",
            seconds=timeout,
        )
        raise ImportFailed(url, None, message) from None
    except OSError as error:
        raise ImportFailed(url, None, _("download failed: %(reason)s", reason=error)) from None
    return digest.hexdigest(), size
