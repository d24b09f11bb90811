"""A small static web server on 127.0.0.1 for the sample site and for tests.

It serves real HTTP (ETag, Last-Modified and 304s, gzip when asked) so that the pipeline is
exercised the way a real site exercises it. ``{{BASE_URL}}`` in served text files becomes the
server's own address, which is only known once the port is bound. Routes map a path to another
file or to a handler, which is how tests swap a feed or inject a failure.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Response = tuple[int, dict[str, str], bytes]
Handler = Callable[[BaseHTTPRequestHandler], Response | None]

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}
_TEMPLATED = {".html", ".xml", ".atom", ".rss", ".txt"}


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (a timeout test, say) is not an error worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = root
        self.routes: dict[str, Path | Handler] = {}
        self.requests: list[str] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append(self.path)
                status, headers, body = server.respond(self)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self._httpd = _QuietServer((host, port), _Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, target: Path | Handler) -> None:
        self.routes[path] = target

    def respond(self, request: BaseHTTPRequestHandler) -> Response:
        path = request.path.split("?", 1)[0]
        target = self.routes.get(path)
        if callable(target):
            response = target(request)
            if response is not None:
                return response
            target = None
        file = target if isinstance(target, Path) else (self.root / path.lstrip("/")).resolve()
        if not file.is_file() or self.root.resolve() not in file.resolve().parents:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        body = file.read_bytes()
        if file.suffix in _TEMPLATED:
            body = body.replace(b"{{BASE_URL}}", self.url.encode())
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {
            "Content-Type": TYPES.get(file.suffix, "application/octet-stream"),
            "ETag": etag,
            "Last-Modified": formatdate(file.stat().st_mtime, usegmt=True),
        }
        if request.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        if "gzip" in (request.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        return 200, headers, body

    def start(self) -> SiteServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="site-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
