"""A real MCP server over streamable HTTP on loopback, with bearer-token auth and a delay.

python tests/servers/http_server.py PORT TOKEN DELAY_MS [CERTFILE KEYFILE]
TOKEN "-": no authentication at all; with CERTFILE and KEYFILE it serves https.
"""

from __future__ import annotations

import sys
from typing import Any

import anyio
import uvicorn
from mcp.server.mcpserver import MCPServer


class SlowServer(MCPServer[Any]):
    """tools/list takes DELAY_MS, as a server backed by a slow registry would."""

    delay_s = 0.0

    async def list_tools(self) -> Any:
        await anyio.sleep(self.delay_s)
        return await super().list_tools()


def bearer_only(app: Any, token: str) -> Any:
    """ASGI middleware: 401 unless Authorization: Bearer <token>."""
    expected = f"Bearer {token}".encode()

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            if headers.get(b"authorization") != expected:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [(b"www-authenticate", b"Bearer"), (b"content-length", b"0")],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await app(scope, receive, send)

    return guarded


def main() -> None:
    port, token, delay_ms = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    server = SlowServer("probe-http-fixture", version="0.9.0", log_level="WARNING")
    server.delay_s = delay_ms / 1000

    @server.tool()
    def ping() -> str:
        """Answer pong."""
        return "pong"

    app = server.streamable_http_app(json_response=True)
    if token != "-":
        app = bearer_only(app, token)
    tls = {"ssl_certfile": sys.argv[4], "ssl_keyfile": sys.argv[5]} if len(sys.argv) > 5 else {}
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", **tls)


if __name__ == "__main__":
    main()
