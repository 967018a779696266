"""A real local HTTP server (127.0.0.1, a thread) with Range support and failure modes, for download tests.

Modes per path: ``ok``; ``corrupt`` (one byte flipped); ``drop_once`` (the first GET sends the full
Content-Length but only half of the body, then closes the connection); ``ignore_range`` (always 200 with the
whole body); ``error404``.
"""
from __future__ import annotations

import hashlib
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from arabic_news.corpus.fetch import Dataset, DatasetFile


@dataclass
class ServerState:
    files: dict[str, bytes] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, str | None, int]] = field(default_factory=list)  # (path, Range header, status)
    dropped: set[str] = field(default_factory=set)


def _handler(state: ServerState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):  # noqa: N802
            path = self.path.lstrip("/")
            body = state.files.get(path)
            mode = state.modes.get(path, "ok")
            rng = self.headers.get("Range")
            if body is None or mode == "error404":
                state.log.append((path, rng, 404))
                self.send_error(404)
                return
            if mode == "corrupt":
                body = bytes([body[0] ^ 0xFF]) + body[1:]
            start = 0
            if rng and mode != "ignore_range":
                start = int(rng.split("=")[1].split("-")[0])
                if start >= len(body):
                    state.log.append((path, rng, 416))
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.end_headers()
                    return
            status = 206 if start else 200
            state.log.append((path, rng, status))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body) - start))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            chunk = body[start:]
            if mode == "drop_once" and path not in state.dropped:
                state.dropped.add(path)
                self.wfile.write(chunk[: len(chunk) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            self.wfile.write(chunk)

    return Handler


class LocalServer:
    def __init__(self):
        self.state = ServerState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused, like being offline)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def tiny_registry(base_url: str, files: dict[str, bytes], *, mirror_only: dict[str, bytes] | None = None) -> dict:
    """A one-dataset registry ('tiny') whose files are served at ``base_url/<path>``."""
    entries = [DatasetFile(path=p, size=len(b), sha256=hashlib.sha256(b).hexdigest(), url=f"{base_url}/{p}")
               for p, b in files.items()]
    entries += [DatasetFile(path=p, size=len(b), sha256=hashlib.sha256(b).hexdigest(), url=None, note="derived")
                for p, b in (mirror_only or {}).items()]
    return {"tiny": Dataset(name="tiny", description="test", license="none", files=tuple(entries))}
