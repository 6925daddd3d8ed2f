"""Real servers for the production tests: gunicorn, a TCP proxy that can drop the database,
PostgreSQL databases of their own, and the sample database built by `portal sample`."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from portal.config import shared_data_folder

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def portal_environment(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The environment a deployed portal gets: production, its own key, database and folder."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTAL_", "WEB_CONCURRENCY", "GUNICORN_"))
    }
    environment.update(
        PORTAL_ENV="production",
        PORTAL_SECRET_KEY=secrets.token_hex(32),
        PORTAL_DATABASE_URL=database_url,
        PORTAL_INSTANCE_PATH=str(instance),
        PORTAL_SHARED_DATA=str(shared_data_folder()),
    )
    environment.update(extra)
    return environment


def run_portal(environment: dict[str, str], *arguments: str, timeout: float = 300) -> str:
    """Run the `portal` command; its output, or AssertionError with it when it fails."""
    done = subprocess.run(
        [str(BIN / "portal"), *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"portal {' '.join(arguments)} failed:\n{done.stderr}"
    return done.stdout


@contextlib.contextmanager
def gunicorn(environment: dict[str, str], workers: int = 2) -> Iterator[str]:
    """The portal under gunicorn with portal/gunicorn_conf.py on a free loopback port."""
    port = free_port()
    env = {
        **environment,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": "",
    }
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "python:portal.gunicorn_conf"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # its own process group, so its workers end with it
        )
        try:
            _wait_until_serving(base_url, process, log)
            yield base_url
        finally:
            process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            log.seek(0)
            sys.stderr.write(log.read())  # pytest shows it when the test fails


def _wait_until_serving(base_url: str, process: subprocess.Popen, log, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(f"gunicorn exited at start:\n{log.read()}")
        try:
            with urllib.request.urlopen(base_url + "/en/", timeout=30):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer at {base_url} within {timeout:.0f} s")


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, str]:
    """Status and text of a GET (error statuses included, not raised; "" for an encoded body)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _text(response)
    except urllib.error.HTTPError as error:
        return error.code, _text(error)


def _text(response) -> str:
    body = response.read()
    return "" if response.headers.get("Content-Encoding") else body.decode("utf-8")


# --- A TCP proxy that can make the database disappear ---------------------------------------


class TcpProxy:
    """Forwards a loopback port to host:port; `stop()` cuts every connection and refuses new
    ones (the database "disappears"), `start()` brings it back on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
