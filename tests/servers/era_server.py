"""Real MCP servers built with the SDK, one per protocol era or transport, on loopback.

python tests/servers/era_server.py KIND PORT
KIND: modern-only  a 2026-07-28-only stateless server: a legacy request gets -32022 (HTTP 400)
      legacy-only  a 2025-era server: a request at a 2026 version gets a bare HTTP 400
      sse          the legacy HTTP+SSE transport (GET /sse, POST /messages/)
      paged        150 resources, 15 a page, behind cursors, and the deprecated logging
                   capability (low-level server)
      tools FILE   the tools a JSON file lists ({"version": V, "tools": [...]}), read again for
                   every tools/list, so a test can change a description between two probes
"""

from __future__ import annotations

import json
import sys
from typing import Any

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

PAGE_SIZE = 15
RESOURCES = 150


def fixture_server(name: str) -> MCPServer[Any]:
    server = MCPServer(name, version="2.0.0", log_level="WARNING")

    @server.tool(annotations={"readOnlyHint": True})
    def lookup(key: str) -> str:
        """Look a key up in the fixture's table."""
        return key

    @server.tool()
    def wipe(table: str) -> str:
        """Delete every row of a table."""
        return table

    @server.prompt()
    def greet(name: str) -> str:
        """Greet someone."""
        return f"Hello {name}"

    return server


async def _body(receive: Any) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes) -> Any:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _answer(send: Any, status: int, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def modern_only(app: Any) -> Any:
    """What a 2026-07-28-only server answers a legacy request: -32022 naming its versions."""

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await app(scope, receive, send)
            return
        version = dict(scope["headers"]).get(b"mcp-protocol-version", b"").decode()
        body = await _body(receive)
        if version in MODERN_PROTOCOL_VERSIONS:
            await app(scope, _replay(body), send)
            return
        try:
            request_id = json.loads(body).get("id")
        except (ValueError, AttributeError):
            request_id = None
        error = {
            "jsonrpc": "2.0",
            "id": request_id,
            "error": {
                "code": -32022,
                "message": "Unsupported protocol version",
                "data": {"supported": list(MODERN_PROTOCOL_VERSIONS), "requested": version or None},
            },
        }
        await _answer(send, 400, json.dumps(error).encode(), b"application/json")

    return guarded


def legacy_only(app: Any) -> Any:
    """What a 2025 server answers an MCP-Protocol-Version it does not know: a bare 400."""

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        version = dict(scope.get("headers") or []).get(b"mcp-protocol-version", b"").decode()
        if scope["type"] == "http" and version in MODERN_PROTOCOL_VERSIONS:
            await _answer(send, 400, b"Bad Request: Unsupported protocol version", b"text/plain")
            return
        await app(scope, receive, send)

    return guarded


def paged_app() -> Any:
    import mcp_types as types
    from mcp.server.lowlevel.server import Server

    async def list_resources(
        _ctx: Any, params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        start = int(params.cursor) if params is not None and params.cursor else 0
        end = min(start + PAGE_SIZE, RESOURCES)
        return types.ListResourcesResult(
            resources=[
                types.Resource(uri=f"fixture://item/{n}", name=f"item-{n}")
                for n in range(start, end)
            ],
            next_cursor=str(end) if end < RESOURCES else None,
        )

    async def list_tools(_ctx: Any, _params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[])

    async def set_level(_ctx: Any, _params: Any) -> types.EmptyResult:
        return types.EmptyResult()

    server: Server[Any] = Server(
        "paged-fixture",
        version="1.0.0",
        on_list_resources=list_resources,
        on_list_tools=list_tools,
        on_set_logging_level=set_level,  # the deprecated logging capability, advertised
    )
    return server.streamable_http_app(json_response=True)


def tools_app(path: str) -> Any:
    import mcp_types as types
    from mcp.server.lowlevel.server import Server

    def state() -> dict[str, Any]:
        with open(path, encoding="utf-8") as file:
            return dict(json.load(file))

    async def list_tools(_ctx: Any, _params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(
            tools=[types.Tool.model_validate(tool) for tool in state()["tools"]]
        )

    server: Server[Any] = Server(
        "tools-fixture", version=state()["version"], on_list_tools=list_tools
    )
    return server.streamable_http_app(json_response=True, stateless_http=True)


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "modern-only":
        app = modern_only(
            fixture_server("modern-fixture").streamable_http_app(
                json_response=True, stateless_http=True
            )
        )
    elif kind == "legacy-only":
        app = legacy_only(fixture_server("legacy-fixture").streamable_http_app(json_response=True))
    elif kind == "sse":
        app = fixture_server("sse-fixture").sse_app()
    elif kind == "paged":
        app = paged_app()
    elif kind == "tools":
        app = tools_app(sys.argv[3])
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")


if __name__ == "__main__":
    main()
