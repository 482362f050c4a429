"""`bot.keepalive.request` answers as Rasa's `EndpointConfig.request`, on one kept connection, and a
connection the server closed is replaced without the caller seeing an error."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot import keepalive
from bot.runner import free_port

# Headers that describe the connection, not the request (aiohttp sets them per session).
_PER_CONNECTION = {"Host", "Connection", "Content-Length"}


async def _serve(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


def test_the_same_answers_as_rasa_on_one_connection() -> None:
    seen: list[dict[str, Any]] = []
    peers: set[Any] = set()

    async def handler(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        peers.add(request.transport.get_extra_info("peername"))
        body = await request.read()
        seen.append(
            {
                "method": request.method,
                "path": request.path_qs,
                "headers": {
                    k: v for k, v in request.headers.items() if k not in (*_PER_CONNECTION, "Content-Length")
                },
                "body": json.loads(body) if body else body,  # the same JSON (spacing may differ)
            }
        )
        if request.path == "/bad":
            return web.json_response({"action_name": "x", "error": "nej"}, status=400)
        if request.path == "/text":
            return web.Response(text="ok")
        return web.json_response({"events": [], "echo": json.loads(body or b"null")})

    calls: list[dict[str, Any]] = [
        {"json": {"next_action": "action_answer_kb", "tracker": {"events": [1, 2]}}, "method": "post"},
        {"method": "get", "subpath": "text", "params": {"q": "å"}},
        {"json": {"a": 1}, "subpath": "webhook", "headers": {"X-Extra": "1"}, "compress": True},
    ]

    async def run() -> None:
        runner, url = await _serve(handler)
        endpoint = EndpointConfig(url, params={"p": "1"}, headers={"X-Lotsen": "ja"}, token="t")
        try:
            for call in calls:
                theirs = await keepalive._stock_request(endpoint, **dict(call))
                ours = await keepalive.request(endpoint, **dict(call))
                assert ours == theirs
                assert seen[-1] == seen[-2]
            for request in (keepalive._stock_request, keepalive.request):
                with pytest.raises(ClientResponseError) as raised:
                    await request(endpoint, subpath="bad", json={})
                assert (raised.value.status, json.loads(raised.value.text)["error"]) == (400, "nej")
            stock_peers = len(peers)
            peers.clear()
            for _ in range(5):
                await keepalive.request(endpoint, json={"n": 1})
            assert len(peers) == 1  # one kept connection (Rasa's opened one per request)
            assert stock_peers >= len(calls) + 1
        finally:
            await keepalive.close()
            await runner.cleanup()

    asyncio.run(run())


def test_a_connection_the_server_closed_is_replaced_without_an_error() -> None:
    """The server drops the kept connection when the next request arrives on it (as when its idle
    timeout strikes at that moment): the request is sent again on a new connection."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        served = 0
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.lower().split(b"\r\n")
            sizes = [int(line.split(b":")[1]) for line in lines if line.startswith(b"content-length")]
            length = sizes[0] if sizes else 0
            await reader.readexactly(length)
            if served == 1:  # the second request on this connection: hang up without an answer
                writer.close()
                return
            body = b'{"ok": true}'
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                % (len(body), body)
            )
            await writer.drain()
            served += 1

    async def run() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        try:
            for _ in range(4):
                assert await keepalive.request(endpoint, json={"x": 1}) == {"ok": True}
        finally:
            await keepalive.close()
            server.close()
            await server.wait_closed()

    asyncio.run(run())
    # Requests 2-4 each found their kept connection hung up on and were answered on a new one.
    assert len(connections) == 4


def test_nobody_listening_fails_at_once_as_in_rasa() -> None:
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")

    async def run() -> None:
        try:
            for request in (keepalive._stock_request, keepalive.request):
                with pytest.raises(aiohttp.ClientConnectorError):
                    await request(endpoint, json={})
        finally:
            await keepalive.close()

    asyncio.run(run())


def test_installed_in_the_rasa_server() -> None:
    import bot.channels  # noqa: F401 - installs on import

    assert EndpointConfig.request is keepalive.request


@pytest.mark.parametrize(
    "value",
    [
        {
            "events": [
                {
                    "event": "user",
                    "text": "Hur mycket kan vi få? 1/2 – ÅÄÖ \u2028",
                    "timestamp": 1795715304.0540998,
                }
            ]
        },
        {"big": 123456789012345678901234567890, "small": -(2**63)},
        {"nested": [None, True, False, 0.1, 1e300, "", {"x": []}]},
    ],
)
def test_the_request_body_is_the_json_of_the_value(value: Any) -> None:
    assert json.loads(keepalive.dumps(value)) == value


def test_text_is_escaped_as_json_escapes_it() -> None:
    value = {"t": "åäö \ud800 /"}  # a lone surrogate must not reach the UTF-8 encoder
    assert keepalive.dumps(value).encode("ascii") == json.dumps(value, separators=(",", ":")).encode()
