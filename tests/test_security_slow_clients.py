"""Slow clients (issue 15, item 3): connections that never finish their request headers are closed
after KG_HEADER_TIMEOUT, while a normal client is still served; a real uvicorn server with the
configuration `kg serve` uses."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from endpoint_helpers import build_store, endpoint_settings
from kg.settings import Settings
from kg.web.app import create_app
from kg.web.server import server_config
from server_helpers import free_port


@contextmanager
def serving(settings: Settings) -> Iterator[None]:
    """`kg serve`'s server configuration, run in a thread until the block ends."""
    server = uvicorn.Server(server_config(create_app(settings), settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.02)
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def test_slowloris_connections_are_closed_after_the_header_timeout(tmp_path: Path) -> None:
    settings = endpoint_settings(
        build_store(tmp_path / "store", filler=0), tmp_path, header_timeout=1.0, port=free_port()
    )
    with serving(settings.model_copy(update={"host": "127.0.0.1"})):
        slow = []
        for _ in range(30):
            sock = socket.create_connection(("127.0.0.1", settings.port))
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: a")  # never finished
            slow.append(sock)
        url = f"http://127.0.0.1:{settings.port}"
        assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
        closed = 0
        for sock in slow:
            sock.settimeout(15)  # generous bound: the server closes them after about 1 s
            try:
                closed += sock.recv(1) == b""
            except TimeoutError:  # still open after 15 s: not bounded
                pass
            except ConnectionResetError:
                closed += 1
            sock.close()
        assert closed == len(slow)


def test_a_body_that_never_arrives_is_answered_408(tmp_path: Path) -> None:
    """A client that sends its headers and then its body a byte at a time is cut off."""
    settings = endpoint_settings(
        build_store(tmp_path / "store", filler=0), tmp_path, body_timeout=1.0, port=free_port()
    )
    with serving(settings.model_copy(update={"host": "127.0.0.1"})):
        body = b"query=ASK%7B%7D"
        sock = socket.create_connection(("127.0.0.1", settings.port))
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body) + 1000}\r\n\r\n".encode()
            + body[:3]
        )
        sock.settimeout(20)  # generous bound: the server answers after about 1 s
        started = time.monotonic()
        answer = b""
        while b"\r\n\r\n" not in answer and time.monotonic() - started < 20:
            try:
                sock.sendall(b"x")  # a byte now and then: never the whole body
            except OSError:
                break
            sock.settimeout(0.5)
            try:
                answer += sock.recv(4096)
            except TimeoutError:
                continue
        sock.close()
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"KG_BODY_TIMEOUT" in answer or b"application/json" in answer
