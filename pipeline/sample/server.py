"""A small static web server on 127.0.0.1 for the sample site and for tests.

It serves real HTTP (ETag, Last-Modified and 304s, gzip when asked) so that the pipeline is
exercised the way a real site exercises it. ``{{BASE_URL}}`` in served text files becomes the
server's own address, which is only known once the port is bound. Routes map a path to another
file or to a handler, which is how tests swap a feed or inject a failure.

A handler may return its body as an iterable of chunks: without a Content-Length they go out with
chunked transfer encoding, one flush per chunk, which is how the fault suite serves a slow drip or
a body far above the size cap without holding it in memory; with a Content-Length larger than what
the chunks add up to, the connection is closed early (a truncated response). Slow handlers wait on
:attr:`SiteServer.stopping`, so stopping the server never leaves a thread asleep.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
from collections.abc import Callable, Iterable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Response = tuple[int, dict[str, str], bytes | Iterable[bytes]]
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
        self.stopping = threading.Event()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # keep-alive replies would otherwise wait for a delayed ACK

            def do_GET(self) -> None:
                server.requests.append(self.path)
                status, headers, body = server.respond(self)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if isinstance(body, bytes):
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                try:
                    self._stream(headers, body)
                except (ConnectionError, TimeoutError):
                    self.close_connection = True  # the client gave up (a cap or a timeout): fine

            def _stream(self, headers: dict[str, str], chunks: Iterable[bytes]) -> None:
                chunked = "Content-Length" not in headers
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                sent = 0
                for chunk in chunks:
                    if server.stopping.is_set():
                        break
                    if not chunk:
                        continue
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                    self.wfile.flush()
                    sent += len(chunk)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
                elif sent < int(headers["Content-Length"]):
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                return None

        server_class = _QuietServer
        if ":" in host:  # an IPv6 address such as ::1 (the SSRF tests serve on it)
            server_class = type("_QuietServer6", (_QuietServer,), {"address_family": socket.AF_INET6})
        self._httpd = server_class((host, port), _Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"

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
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
