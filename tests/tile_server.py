"""A tile server on loopback for tests and benchmarks: generated PNG tiles whose colour encodes z/x/y.

``serve(mode)`` starts a threaded HTTP server on port 0 and returns it; ``server.url`` is
its XYZ template, ``server.requests`` the paths asked for. Modes: ``ok``, ``404``, ``500``,
``stall`` (holds each request until ``server.release`` is set). ``delay_s`` makes each
answer wait, as a real server over a network does. ``/wmts`` answers WMTS KVP requests:
GetCapabilities with ``server.capabilities`` (bytes a test sets) and GetTile with the same tiles
(the zoom is the number the TILEMATRIX identifier ends in).
"""

from __future__ import annotations

import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from PIL import Image

_PATH = re.compile(r"^/(\d+)/(\d+)/(\d+)(@2x)?\.png$")


def tile_colour(z: int, x: int, y: int) -> tuple[int, int, int]:
    """The colour of tile z/x/y (distinct for neighbours and for parent and child)."""
    return (x * 37 + 11) % 256, (y * 53 + 7) % 256, (z * 29 + 3) % 256


def tile_png(z: int, x: int, y: int, size: int = 256) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), tile_colour(z, x, y)).save(buffer, "PNG")
    return buffer.getvalue()


class TileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str = "ok", delay_s: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.delay_s = delay_s
        self.requests: list[str] = []
        self.user_agents: list[str] = []
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, int, int, int], bytes] = {}
        self.capabilities = b""
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def wmts_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/wmts"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{{z}}/{{x}}/{{y}}{{r}}.png"

    def png(self, z: int, x: int, y: int, size: int) -> bytes:
        key = (z, x, y, size)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = tile_png(z, x, y, size)
            return self._cache[key]

    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: TileServer

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        server = self.server
        with server._lock:
            server.requests.append(self.path)
            server.user_agents.append(self.headers.get("User-Agent", ""))
        if server.mode == "stall":
            server.release.wait(30)
            return
        if server.delay_s:
            time.sleep(server.delay_s)
        if server.mode in ("404", "500"):
            self.send_error(int(server.mode))
            return
        content_type = "image/png"
        if self.path.startswith("/wmts"):
            query = {k.upper(): v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            if query.get("REQUEST") == "GetCapabilities" and server.capabilities:
                body, content_type = server.capabilities, "application/xml"
            elif query.get("REQUEST") == "GetTile":
                z = int(re.findall(r"(\d+)$", query.get("TILEMATRIX", ""))[0])
                body = server.png(z, int(query["TILECOL"]), int(query["TILEROW"]), 256)
            else:
                self.send_error(400)
                return
        else:
            match = _PATH.match(self.path)
            if not match:
                self.send_error(404)
                return
            z, x, y = (int(v) for v in match.group(1, 2, 3))
            body = server.png(z, x, y, 512 if match.group(4) else 256)
        try:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client cancelled
            pass


def serve(mode: str = "ok", delay_s: float = 0.0) -> TileServer:
    server = TileServer(mode, delay_s)
    server.thread.start()
    return server
