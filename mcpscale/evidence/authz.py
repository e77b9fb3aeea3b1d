"""Authorization, as the MCP specification asks: what a request without credentials gets,
and the OAuth metadata a protected server must publish.

`check_authorization` sends one unauthenticated MCP request of the server's era (credentials
in the URL's query are left off it) and, for a server that refuses it, reads the challenge,
the RFC 9728 protected-resource metadata and (unless told not to) the metadata of the
authorization servers that metadata names. It contacts nothing else.
"""

from __future__ import annotations

import contextlib
import ssl
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from mcpscale import __version__
from mcpscale.formats.evidence import Authorization, Finding

Era = Literal["modern", "legacy"]


async def check_authorization(
    url: str,
    *,
    era: Era | None,
    protocol_version: str | None,
    timeout: float,
    verify: ssl.SSLContext | bool,
    follow_auth_servers: bool = True,
) -> Authorization:
    """The facts of authorization for the streamable-HTTP server at url."""
    import httpx2

    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "mcpscale-probe", "version": __version__},
        },
    }
    plain = {"Accept": "application/json, text/event-stream"}
    async with httpx2.AsyncClient(timeout=timeout, verify=verify) as http:
        async with http.stream("POST", url, json=initialize, headers=plain) as reply:
            status = reply.status_code
            session_id = reply.headers.get("mcp-session-id")
        if session_id:
            with contextlib.suppress(httpx2.HTTPError):
                await http.delete(url, headers={"mcp-session-id": session_id})
        metadata = False
        for metadata_url in _metadata_urls(url):
            with contextlib.suppress(httpx2.HTTPError, ValueError):
                answer = await http.get(metadata_url, headers={"Accept": "application/json"})
                if answer.status_code == 200 and isinstance(answer.json(), dict):
                    metadata = True
                    break
    rejected = status in (401, 403)
    return Authorization(
        unauthenticated="rejected" if rejected else "accepted",
        status=status,
        protected_resource_metadata=metadata,
    )


def authorization_findings(server: str, url: str, auth: Authorization) -> list[Finding]:
    """Findings for what check_authorization recorded."""
    findings: list[Finding] = []
    if auth.unauthenticated == "accepted":
        findings.append(
            Finding(
                id="no-auth",
                severity="high",
                server=server,
                message=f"An MCP request without credentials was accepted (HTTP {auth.status}).",
            )
        )
    elif auth.unauthenticated == "rejected" and not auth.protected_resource_metadata:
        findings.append(
            Finding(
                id="no-resource-metadata",
                severity="low",
                server=server,
                message="Requires credentials but publishes no OAuth protected-resource "
                "metadata at /.well-known/oauth-protected-resource.",
            )
        )
    return findings


def _metadata_urls(url: str) -> list[str]:
    """Where RFC 9728 and the MCP authorization spec put the metadata: path-inserted, then root."""
    parts = urlsplit(url)
    root = urlunsplit((parts.scheme, parts.netloc, "/.well-known/oauth-protected-resource", "", ""))
    path = parts.path.rstrip("/")
    return [root + path, root] if path else [root]
