"""One HTTP client session per endpoint and event loop for Rasa's outgoing requests, with keep-alive.

Rasa 3.6's `EndpointConfig.request` opens a new aiohttp `ClientSession`, and so a new TCP connection,
for every call to the action server, and closes it afterwards: per custom action both servers pay for a
connection set up and torn down, and Rasa for a session and a connector (issue 13, CPU per message).
`request` here is Rasa's method, line for line, except that the session is kept per event loop and
endpoint settings (same headers, authentication and timeout as Rasa's) and its connections are reused.

A kept connection can go stale: the server closes an idle connection (Sanic after 5 s) at the moment a
request is sent on it, or the server restarted. Idle connections are dropped after `KEEPALIVE_S`, less
than Sanic's timeout, and a request whose connection was closed by the other side before any answer
(`ServerDisconnectedError`, or an OS error on the connection such as a reset) is sent once more on a new
connection, so that a stale connection never reaches the user. A server that cannot be reached
(`ClientConnectorError`) or answers with an error is not retried: those fail as in Rasa, and the REST
channel gives the temporary-error reply (`bot.outage`).
The request body (the tracker with its events, for every custom action) is written with ujson, a locked
dependency of Sanic, in a fraction of the standard `json`'s time (ASCII-escaped as `json` writes it, so a
lone surrogate cannot break the UTF-8 body); a value ujson refuses is left to `json`, as before.
Installed in the Rasa server process by `bot.channels`; `close()` runs when the server stops.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from typing import Any

import aiohttp
import ujson
from aiohttp.client_exceptions import ContentTypeError
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.exceptions import FileNotFoundException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, concat_url

# Seconds an idle connection is kept: below Sanic's KEEP_ALIVE_TIMEOUT (5 s) on the action server.
KEEPALIVE_S = 4.0
# Errors that mean: the other side closed the connection before it answered (retried once).
_STALE = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)

_stock_request = EndpointConfig.request
_sessions: dict[tuple[Any, ...], tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}


def dumps(value: Any) -> str:
    """JSON text of `value`: ujson's, or the standard library's for what ujson refuses."""
    try:
        return ujson.dumps(value, escape_forward_slashes=False)
    except (OverflowError, TypeError, ValueError):
        return json.dumps(value)


def _key(endpoint: EndpointConfig) -> tuple[Any, ...]:
    """What Rasa's `EndpointConfig.session()` makes a session from."""
    auth = endpoint.basic_auth or {}
    return (
        tuple(sorted((endpoint.headers or {}).items())),
        auth.get("username") if auth else None,
        auth.get("password") if auth else None,
    )


def session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """The kept session for `endpoint` on the running event loop (made as Rasa makes one)."""
    loop = asyncio.get_running_loop()
    key = _key(endpoint)
    kept = _sessions.get(key)
    if kept is not None and kept[0] is loop and not kept[1].closed:
        return kept[1]
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    made = aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        json_serialize=dumps,
        # limit=0: no cap on parallel requests, like a session per request.
        connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEPALIVE_S),
    )
    _sessions[key] = (loop, made)
    return made


async def close() -> None:
    """Close the sessions kept on the running event loop."""
    loop = asyncio.get_running_loop()
    for key, (owner, kept) in list(_sessions.items()):
        if owner is loop:
            del _sessions[key]
            await kept.close()


async def request(
    self: EndpointConfig,
    method: str = "post",
    subpath: str | None = None,
    content_type: str | None = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Any | None:
    """Rasa's EndpointConfig.request on a kept session (see the module docstring)."""
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if "headers" in kwargs:
        headers.update(kwargs["headers"])
        del kwargs["headers"]
    if self.headers:
        headers.update(self.headers)
    url = concat_url(self.url, subpath)
    sslcontext = None
    if self.cafile:
        try:
            sslcontext = ssl.create_default_context(cafile=self.cafile)
        except FileNotFoundError as e:
            raise FileNotFoundException(
                f"Failed to find certificate file, '{os.path.abspath(self.cafile)}' does not exist."
            ) from e
    params = self.combine_parameters(kwargs)
    for attempt in (1, 2):
        try:
            async with session(self).request(
                method, url, headers=headers, params=params, compress=compress, ssl=sslcontext, **kwargs
            ) as response:
                if response.status >= 400:
                    raise ClientResponseError(response.status, response.reason, await response.content.read())
                try:
                    return await response.json()
                except ContentTypeError:
                    return None
        except aiohttp.ClientConnectorError:
            raise  # nobody listens: fail at once, as Rasa does
        except _STALE:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def install() -> None:
    """Make Rasa's endpoints send their requests on kept sessions."""
    EndpointConfig.request = request  # type: ignore[method-assign]
