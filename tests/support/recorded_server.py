"""A real HTTP server on 127.0.0.1 that serves recorded answers, for the beacon clients' tests.

Each route maps a path to a status, a body and an optional delay, so a test can play a relay
that is healthy, slow, broken, lying about the round, or serving another chain.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import attrs


@attrs.define
class Answer:
    """What the server says for one path."""

    body: bytes
    status: int = 200
    delay: float = 0.0
    content_type: str = "application/json"


@attrs.define
class RecordedServer:
    """The running server: its base URL, its routes, and the paths it was asked for."""

    url: str
    routes: dict[str, Answer] = attrs.field(factory=dict)
    requests: list[str] = attrs.field(factory=list)


@contextmanager
def recorded_server() -> Iterator[RecordedServer]:
    """Serve on an ephemeral port of 127.0.0.1 until the block ends."""
    state = RecordedServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            answer = state.routes.get(self.path, Answer(b'{"error":"not found"}', status=404))
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
