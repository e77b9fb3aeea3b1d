"""Real servers on loopback for the authorization checks, one KIND per run.

python tests/servers/authz_servers.py KIND PORT [ARGS] [--log FILE]

  oauth-as PORT [--dcr-only]    an OAuth authorization server publishing RFC 8414 metadata at
                                /.well-known/oauth-authorization-server: S256, client ID metadata
                                documents and the iss parameter; --dcr-only: dynamic client
                                registration only, no S256, no CIMD, no iss parameter
  protected PORT ISSUER_URL     an MCP server (the SDK's MCPServer) requiring OAuth bearer tokens
                                issued by ISSUER_URL; it serves RFC 9728 metadata itself and
                                accepts the token `valid-token` (scope mcp:read)
  login PORT                    a login proxy: every request gets 302 to /login
  key-in-url PORT SECRET        an MCP server that answers 401 unless the URL has ?api_key=SECRET
  open PORT [--legacy]          an MCP server without authentication; --legacy answers a request
                                at a modern protocol version with HTTP 400, as a 2025 server does
  plain PORT STATUS             a web server that is not MCP: STATUS (501, 404, ...) to everything

--log FILE appends one JSON line per request the server saw: HTTP method, JSON-RPC method,
MCP-Protocol-Version header, the query parameter names (never values) and whether an
Authorization header came along.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

ASGI = Any


def _reply(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> ASGI:
    return JSONResponse(body, status_code=status, headers=headers)


def logged(app: ASGI, log: Path | None) -> ASGI:
    """ASGI middleware: note what each HTTP request asked for, then pass it on unchanged."""
    if log is None:
        return app

    async def logging(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        messages, body = [], b""
        while True:
            message = await receive()
            messages.append(message)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            method = json.loads(body).get("method") if body else None
        except ValueError:
            method = None
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode()
        line = {
            "http": scope["method"],
            "method": method,
            "protocol_version": headers.get("mcp-protocol-version"),
            "query": [part.partition("=")[0] for part in query.split("&") if part],
            "authorization": "authorization" in headers,
        }
        with log.open("a") as file:
            file.write(json.dumps(line) + "\n")
        replay = iter(messages)

        async def receive_again() -> Any:
            return next(replay, None) or await receive()

        await app(scope, receive_again, send)

    return logging


def mcp_app(name: str, **server_options: Any) -> ASGI:
    from mcp.server.mcpserver import MCPServer

    server: MCPServer[Any] = MCPServer(name, version="1.0.0", log_level="WARNING", **server_options)

    @server.tool()
    def ping() -> str:
        """Answer pong."""
        return "pong"

    return server.streamable_http_app()


def legacy_only(app: ASGI) -> ASGI:
    """ASGI middleware: a 2025 server's answer to a request at a modern protocol version."""
    from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
            version = headers.get("mcp-protocol-version")
            if version is not None and version not in HANDSHAKE_PROTOCOL_VERSIONS:
                error = {"code": -32600, "message": f"Unsupported protocol version: {version}"}
                body = {"jsonrpc": "2.0", "id": None, "error": error}
                await _reply(400, body)(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded


def key_in_url(app: ASGI, secret: str) -> ASGI:
    """ASGI middleware: 401 unless the query carries api_key=SECRET."""
    from urllib.parse import parse_qs

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            query = parse_qs(scope.get("query_string", b"").decode())
            if query.get("api_key") != [secret]:
                await _reply(401, {"error": "missing or wrong api_key"})(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded


def authorization_server(port: int, dcr_only: bool) -> ASGI:
    issuer = f"http://127.0.0.1:{port}"
    metadata: dict[str, Any] = {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
    }
    if dcr_only:
        metadata["registration_endpoint"] = f"{issuer}/register"
    else:
        metadata["code_challenge_methods_supported"] = ["S256"]
        metadata["client_id_metadata_document_supported"] = True
        metadata["authorization_response_iss_parameter_supported"] = True

    async def well_known(request: Request) -> Response:
        return JSONResponse(metadata)

    return Starlette(routes=[Route("/.well-known/oauth-authorization-server", well_known)])


def protected_server(port: int, issuer: str) -> ASGI:
    from mcp.server.auth.provider import AccessToken
    from mcp.server.auth.settings import AuthSettings

    class OneToken:
        async def verify_token(self, token: str) -> AccessToken | None:
            if token != "valid-token":
                return None
            return AccessToken(token=token, client_id="test", scopes=["mcp:read"])

    settings = AuthSettings(
        issuer_url=issuer,  # type: ignore[arg-type]
        resource_server_url=f"http://127.0.0.1:{port}/mcp",  # type: ignore[arg-type]
        required_scopes=["mcp:read"],
        validate_token_resource=False,
    )
    return mcp_app("protected-fixture", auth=settings, token_verifier=OneToken())


def login_proxy() -> ASGI:
    async def to_login(request: Request) -> Response:
        if request.url.path == "/login":
            return PlainTextResponse("Sign in", status_code=200)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=302)

    methods = ["GET", "POST", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", to_login, methods=methods)])


def plain(status: int) -> ASGI:
    async def answer(request: Request) -> Response:
        return PlainTextResponse(f"HTTP {status}", status_code=status)

    methods = ["GET", "POST", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", answer, methods=methods)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind")
    parser.add_argument("port", type=int)
    parser.add_argument("extra", nargs="?")
    parser.add_argument("--dcr-only", action="store_true")
    parser.add_argument("--legacy", action="store_true")
    parser.add_argument("--log", type=Path)
    args = parser.parse_args()
    kind, port = args.kind, args.port
    if kind == "oauth-as":
        app = authorization_server(port, args.dcr_only)
    elif kind == "protected":
        app = protected_server(port, args.extra)
    elif kind == "login":
        app = login_proxy()
    elif kind == "key-in-url":
        app = key_in_url(mcp_app("key-in-url-fixture"), args.extra)
    elif kind == "open":
        app = mcp_app("open-fixture")
        app = legacy_only(app) if args.legacy else app
    elif kind == "plain":
        app = plain(int(args.extra))
    else:
        parser.error(f"unknown kind {kind!r}")
    uvicorn.run(logged(app, args.log), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
