"""Authorization, as the MCP specification (2026-07-28) asks: what a request without
credentials gets, and the OAuth metadata a protected server must publish.

`check_authorization` sends one unauthenticated MCP request of the server's era and, for a
server that refuses it, reads the `WWW-Authenticate` challenge, the RFC 9728 protected-resource
metadata and (unless told not to) the RFC 8414 / OpenID discovery metadata of the authorization
servers that metadata names. It contacts the server's own origin and those authorization
servers, nothing else; it follows no redirect; every request has the timeout and every body read
is bounded. `authorization_findings` turns what it recorded into findings.

The loopback rule for authorization: a server on a loopback host (`loopback.is_loopback`) that
accepts a request without credentials is recorded as it is (`unauthenticated: accepted`,
`loopback: true`), but it is reachable only from this machine, so its `no-auth` finding is low
rather than high and the assessment's `unauthenticated_rejected` fact leaves it out: an open
development server on a laptop says nothing about the estate's network posture.
"""

from __future__ import annotations

import contextlib
import json
import re
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

from mcpscale import __version__
from mcpscale.evidence.loopback import is_loopback
from mcpscale.evidence.secrets import public_url, strip_credentials
from mcpscale.formats.evidence import Authorization, Finding, Severity

if TYPE_CHECKING:
    import httpx2

Era = Literal["modern", "legacy"]

MODERN_VERSION = "2026-07-28"
"""What a modern request proposes when the caller negotiated nothing (the SDK's newest)."""
LEGACY_VERSION = "2025-06-18"
"""What a legacy `initialize` proposes when the caller negotiated nothing."""
MAX_REPLY_BYTES = 64 * 1024
"""Read of the unauthenticated MCP reply, enough for a discover or initialize result."""
MAX_DOCUMENT_BYTES = 256 * 1024
"""Read of one metadata document."""
MAX_AUTHORIZATION_SERVERS_RECORDED = 5
MAX_AUTHORIZATION_SERVERS_FOLLOWED = 3
MAX_CHALLENGE_CHARS = 8192
MAX_URL_CHARS = 512
_ACCEPT_MCP = "application/json, text/event-stream"
_ACCEPT_JSON = "application/json"


async def check_authorization(
    url: str,
    *,
    era: Era | None,
    protocol_version: str | None,
    timeout: float,
    verify: ssl.SSLContext | bool,
    follow_auth_servers: bool = True,
) -> Authorization:
    """The facts of authorization for the streamable-HTTP server at url.

    era and protocol_version are what the authenticated probe negotiated; with era None (it
    failed) a modern `server/discover` goes first and a legacy `initialize` follows when the
    modern request gets a 4xx other than 401/403, or a JSON-RPC error, as the SDK's auto mode
    falls back. Credentials in the URL (user info, credential-named query parameters) are left
    off every request; the names of the query parameters removed are recorded.
    """
    import httpx2

    target, removed = strip_credentials(url)
    async with httpx2.AsyncClient(timeout=timeout, verify=verify, follow_redirects=False) as http:
        if era == "legacy":
            reply = await _legacy_request(http, target, protocol_version or LEGACY_VERSION)
        else:
            modern_version = protocol_version if era == "modern" and protocol_version else None
            reply = await _modern_request(http, target, modern_version or MODERN_VERSION)
            if era is None and reply.falls_back():
                reply = await _legacy_request(http, target, LEGACY_VERSION)
        auth = Authorization(
            unauthenticated=reply.verdict(),
            status=reply.status,
            request=reply.request,
            query_credentials_removed=removed,
            loopback=is_loopback(urlsplit(target).hostname),
        )
        if auth.unauthenticated == "redirect" and reply.location:
            auth.redirect_to = _shown_url(urljoin(target, reply.location))
        if auth.unauthenticated == "rejected":
            await _oauth_facts(http, target, reply.challenges, auth, follow_auth_servers)
    return auth


def authorization_findings(server: str, url: str, auth: Authorization) -> list[Finding]:
    """Findings for what check_authorization recorded at url."""
    findings: list[Finding] = []

    def add(finding_id: str, severity: Severity, message: str) -> None:
        findings.append(Finding(id=finding_id, severity=severity, server=server, message=message))

    request = auth.request or "An MCP request"
    if auth.unauthenticated == "accepted":
        host = urlsplit(url).hostname or ""
        if auth.loopback or is_loopback(host):
            add(
                "no-auth",
                "low",
                f"{request} without credentials got an MCP result (HTTP {auth.status}); the "
                f"server listens on loopback ({host}), so it is reachable only from this machine.",
            )
        else:
            add(
                "no-auth",
                "high",
                f"{request} without credentials got an MCP result (HTTP {auth.status}): anyone "
                "who can reach the server can use it.",
            )
        return findings
    if auth.unauthenticated == "redirect":
        add(
            "auth-redirect",
            "low",
            f"{request} without credentials was answered with a redirect (HTTP {auth.status}) "
            f"to {auth.redirect_to or 'another page'}, not a 401 challenge, so MCP clients "
            "cannot discover how to authorize.",
        )
        return findings
    if auth.unauthenticated != "rejected":
        return findings
    if not auth.protected_resource_metadata:
        add(
            "no-resource-metadata",
            "low",
            "Requires credentials but publishes no OAuth protected-resource metadata "
            "(RFC 9728), neither in its WWW-Authenticate challenge nor at "
            "/.well-known/oauth-protected-resource.",
        )
        return findings
    if auth.resource_metadata_in_challenge is False:
        add(
            "auth-challenge-incomplete",
            "low",
            "The 401 challenge's WWW-Authenticate header has no resource_metadata parameter; "
            "clients must guess the well-known location of the protected-resource metadata.",
        )
    if auth.resource_matches is False:
        add(
            "auth-resource-mismatch",
            "medium",
            "The protected-resource metadata's `resource` is not this server's canonical URI "
            f"({canonical_uri(public_url(url))}), so clients refuse it or get tokens meant "
            "for another resource.",
        )
    _authorization_server_findings(auth, add)
    return findings


def _authorization_server_findings(
    auth: Authorization, add: Callable[[str, Severity, str], None]
) -> None:
    if not auth.authorization_servers:
        add(
            "auth-no-authorization-server",
            "medium",
            "The protected-resource metadata names no authorization server, so clients "
            "cannot obtain a token.",
        )
        return
    if auth.authorization_server_metadata is False:
        names = ", ".join(auth.authorization_servers[:MAX_AUTHORIZATION_SERVERS_FOLLOWED])
        why = (
            "its metadata names another issuer"
            if auth.issuer_matches is False
            else "no RFC 8414 or OpenID discovery metadata was found"
        )
        add(
            "auth-no-authorization-server",
            "medium",
            f"The authorization server ({names}) cannot be used: {why}.",
        )
        return
    if auth.pkce_s256 is False:
        add(
            "auth-no-pkce",
            "high",
            "The authorization server does not advertise S256 in "
            "code_challenge_methods_supported, so MCP clients must refuse to use it (PKCE).",
        )
    if auth.iss_parameter is False:
        add(
            "auth-no-iss-parameter",
            "low",
            "The authorization server does not set "
            "authorization_response_iss_parameter_supported (RFC 9207), which protects "
            "clients against mix-up attacks.",
        )
    if auth.dynamic_client_registration and auth.client_id_metadata_document is False:
        add(
            "deprecated-feature",
            "medium",
            "The authorization server offers dynamic client registration only (no client ID "
            "metadata documents); the MCP specification deprecates dynamic client registration.",
        )


# --- the unauthenticated MCP request ---------------------------------------------------------


@dataclass
class _Reply:
    request: str
    status: int | None = None
    location: str | None = None
    challenges: dict[str, dict[str, str]] = field(default_factory=dict)
    message: dict[str, Any] | None = None

    def is_result(self) -> bool:
        message = self.message
        return message is not None and "result" in message and "error" not in message

    def verdict(self) -> Literal["rejected", "accepted", "redirect", "error"]:
        if self.status in (401, 403):
            return "rejected"
        if self.status is not None and 300 <= self.status < 400:
            return "redirect"
        if self.status == 200 and self.is_result():
            return "accepted"
        return "error"

    def falls_back(self) -> bool:
        """The modern request failed in a way a legacy-only server fails it."""
        if self.status is None or self.status in (401, 403):
            return False
        if 400 <= self.status < 500:
            return True
        return self.status == 200 and self.message is not None and "error" in self.message


def _client_info() -> dict[str, str]:
    return {"name": "mcpscale-probe", "version": __version__}


async def _modern_request(http: httpx2.AsyncClient, url: str, version: str) -> _Reply:
    """`server/discover` as the SDK's `ClientSession.send_discover` sends it."""
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "server/discover",
        "params": {
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": version,
                "io.modelcontextprotocol/clientInfo": _client_info(),
                "io.modelcontextprotocol/clientCapabilities": {},
            }
        },
    }
    headers = {"MCP-Protocol-Version": version, "Mcp-Method": "server/discover"}
    reply, _ = await _post(http, url, body, headers, f"A server/discover request ({version})")
    return reply


async def _legacy_request(http: httpx2.AsyncClient, url: str, version: str) -> _Reply:
    """`initialize` as a 2025 client sends it; a session it opens is closed again."""
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": _client_info()},
    }
    reply, session_id = await _post(http, url, body, {}, f"An initialize request ({version})")
    if session_id:
        import httpx2

        with contextlib.suppress(httpx2.HTTPError):
            headers = {"Mcp-Session-Id": session_id, "MCP-Protocol-Version": version}
            await http.delete(url, headers=headers)
    return reply


async def _post(
    http: httpx2.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str], what: str
) -> tuple[_Reply, str | None]:
    import anyio
    import httpx2

    reply = _Reply(request=what)
    session_id: str | None = None
    headers = {"Accept": _ACCEPT_MCP, "Content-Type": "application/json", **headers}
    content = json.dumps(body).encode()
    with contextlib.suppress(httpx2.HTTPError, TimeoutError):
        # One deadline for the whole exchange: a stream that trickles bytes cannot hold it open.
        with anyio.fail_after(http.timeout.read or 30.0):
            async with http.stream("POST", url, content=content, headers=headers) as answer:
                reply.status = answer.status_code
                reply.location = answer.headers.get("location")
                session_id = answer.headers.get("mcp-session-id")
                reply.challenges = parse_challenges(answer.headers.get_list("www-authenticate"))
                if answer.status_code == 200:
                    reply.message = await _first_message(answer)
    return reply, session_id


async def _first_message(answer: httpx2.Response) -> dict[str, Any] | None:
    """The JSON-RPC message of a JSON body, or the first `message` event of an SSE stream."""
    kind = answer.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "text/event-stream":
        buffer = b""
        async for chunk in answer.aiter_bytes():
            buffer += chunk
            message = _first_sse_message(buffer)
            if message is not None or len(buffer) >= MAX_REPLY_BYTES:
                return message
        return _first_sse_message(buffer + b"\n\n")
    if kind == "application/json" or kind.endswith("+json"):
        data = await _read_bounded(answer, MAX_REPLY_BYTES)
        return _json_object(data)
    return None


_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


def _first_sse_message(buffer: bytes) -> dict[str, Any] | None:
    """The first complete `message` event holding JSON in buffer, if one has arrived."""
    position = 0
    while True:
        end = _EVENT_END.search(buffer, position)
        if end is None:
            return None
        event_type, data_lines = "message", []
        for line in re.split(rb"\r\n|\n|\r", buffer[position : end.start()]):
            name, _, value = line.partition(b":")
            value = value[1:] if value.startswith(b" ") else value
            if name == b"event":
                event_type = value.decode("utf-8", "replace")
            elif name == b"data":
                data_lines.append(value)
        if event_type == "message" and any(data_lines):
            return _json_object(b"\n".join(data_lines))
        position = end.end()


async def _read_bounded(answer: httpx2.Response, limit: int) -> bytes | None:
    """The body, or None when it is longer than limit."""
    data = b""
    async for chunk in answer.aiter_bytes():
        data += chunk
        if len(data) > limit:
            return None
    return data


def _json_object(data: bytes | None) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


# --- WWW-Authenticate ------------------------------------------------------------------------

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PARAM = re.compile(rf'[\s,]*({_TOKEN})\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,"]*)')
_SCHEME = re.compile(rf"[\s,]*({_TOKEN})(?=\s|,|$)")


def parse_challenges(headers: Sequence[str]) -> dict[str, dict[str, str]]:
    """WWW-Authenticate values as {scheme: {param: value}}, names lower-cased (RFC 9110 11.6.1).

    Several challenges in one value or over several header lines, quoted or token values;
    anything that is neither is skipped, so a malformed header yields what could be read."""
    challenges: dict[str, dict[str, str]] = {}
    for header in list(headers)[:8]:
        text = header[:MAX_CHALLENGE_CHARS]
        current: dict[str, str] | None = None
        position = 0
        while position < len(text):
            param = _PARAM.match(text, position)
            if param and current is not None:
                value = param.group(2)
                if value.startswith('"'):
                    value = re.sub(r"\\(.)", r"\1", value[1:-1])
                current.setdefault(param.group(1).lower(), value)
                position = param.end()
                continue
            scheme = _SCHEME.match(text, position)
            if scheme:
                current = challenges.setdefault(scheme.group(1).lower(), {})
                position = scheme.end()
                continue
            position += 1
    return challenges


# --- OAuth metadata --------------------------------------------------------------------------


def canonical_uri(url: str) -> str:
    """The MCP canonical server URI: lower-case scheme and host, no default port, no query or
    fragment, no trailing slash."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path.rstrip("/"), "", ""))


def resource_matches(resource: str, server_url: str) -> bool:
    """The metadata's resource names this server: its canonical URI (one trailing slash aside),
    or a parent of it on the same origin, as RFC 9728 metadata served at the root names and as
    the SDK's client accepts."""
    wanted, named = canonical_uri(server_url), canonical_uri(resource)
    if urlsplit(resource).fragment:
        return False
    return wanted == named or wanted.startswith(named + "/")


def _origin(url: str) -> str:
    parts = urlsplit(canonical_uri(url))
    return f"{parts.scheme}://{parts.netloc}"


def resource_metadata_urls(server_url: str, challenged: str | None) -> list[str]:
    """Where to read RFC 9728 metadata, in order: the challenge's URL (only on the server's own
    origin), then the path-inserted well-known URI, then the root one."""
    parts = urlsplit(server_url)
    root = urlunsplit((parts.scheme, parts.netloc, "/.well-known/oauth-protected-resource", "", ""))
    path = parts.path.rstrip("/")
    urls = [challenged] if challenged and _origin(challenged) == _origin(server_url) else []
    urls += [root + path, root] if path else [root]
    return list(dict.fromkeys(urls))


def authorization_server_metadata_urls(issuer: str) -> list[str]:
    """RFC 8414 and OpenID discovery locations in the MCP specification's order."""
    parts = urlsplit(issuer)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if path:
        return [
            f"{base}/.well-known/oauth-authorization-server{path}",
            f"{base}/.well-known/openid-configuration{path}",
            f"{base}{path}/.well-known/openid-configuration",
        ]
    return [
        f"{base}/.well-known/oauth-authorization-server",
        f"{base}/.well-known/openid-configuration",
    ]


def _issuers_match(named: str, expected: str) -> bool:
    """Simple string comparison (RFC 8414 3.3), a root issuer's trailing slash aside."""
    if named == expected:
        return True
    shorter, longer = sorted((named, expected), key=len)
    parts = urlsplit(shorter)
    return longer == shorter + "/" and shorter == f"{parts.scheme}://{parts.netloc}"


async def _get_json(http: httpx2.AsyncClient, url: str) -> dict[str, Any] | None:
    """A JSON object served at url with HTTP 200, read up to MAX_DOCUMENT_BYTES; else None."""
    import anyio
    import httpx2

    with contextlib.suppress(httpx2.HTTPError, TimeoutError, ValueError):
        with anyio.fail_after(http.timeout.read or 30.0):
            async with http.stream("GET", url, headers={"Accept": _ACCEPT_JSON}) as answer:
                if answer.status_code != 200:
                    return None
                return _json_object(await _read_bounded(answer, MAX_DOCUMENT_BYTES))
    return None


async def _oauth_facts(
    http: httpx2.AsyncClient,
    server_url: str,
    challenges: dict[str, dict[str, str]],
    auth: Authorization,
    follow_auth_servers: bool,
) -> None:
    bearer = challenges.get("bearer", {})
    auth.resource_metadata_in_challenge = "resource_metadata" in bearer
    auth.scope_in_challenge = "scope" in bearer
    metadata: dict[str, Any] | None = None
    for url in resource_metadata_urls(server_url, bearer.get("resource_metadata")):
        metadata = await _get_json(http, url)
        if metadata is not None:
            break
    auth.protected_resource_metadata = metadata is not None
    if metadata is None:
        return
    resource = metadata.get("resource")
    auth.resource_matches = isinstance(resource, str) and resource_matches(resource, server_url)
    named = metadata.get("authorization_servers")
    issuers = [
        issuer
        for issuer in (named if isinstance(named, list) else [])
        if isinstance(issuer, str) and urlsplit(issuer).scheme in ("http", "https")
    ][:MAX_AUTHORIZATION_SERVERS_RECORDED]
    auth.authorization_servers = [_shown_url(issuer) for issuer in issuers]
    if follow_auth_servers and issuers:
        await _authorization_server_facts(http, issuers[:MAX_AUTHORIZATION_SERVERS_FOLLOWED], auth)


async def _authorization_server_facts(
    http: httpx2.AsyncClient, issuers: Sequence[str], auth: Authorization
) -> None:
    """Each fact holds only when it holds for every authorization server followed."""
    documents: list[dict[str, Any]] = []
    issuer_mismatch = False
    for issuer in issuers:
        mismatch = False
        for url in authorization_server_metadata_urls(issuer):
            document = await _get_json(http, url)
            if document is None:
                continue
            if not _issuers_match(str(document.get("issuer", "")), issuer):
                mismatch = True  # MUST NOT be used; the next location may hold the right one
                continue
            documents.append(document)
            break
        else:
            issuer_mismatch = issuer_mismatch or mismatch
    auth.authorization_server_metadata = len(documents) == len(issuers)
    auth.issuer_matches = not issuer_mismatch
    if not documents:
        return
    auth.pkce_s256 = all(
        "S256" in _strings(document.get("code_challenge_methods_supported"))
        for document in documents
    )
    auth.client_id_metadata_document = all(
        document.get("client_id_metadata_document_supported") is True for document in documents
    )
    auth.iss_parameter = all(
        document.get("authorization_response_iss_parameter_supported") is True
        for document in documents
    )
    auth.dynamic_client_registration = any(
        isinstance(document.get("registration_endpoint"), str)
        and bool(document["registration_endpoint"])
        for document in documents
    )


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _shown_url(url: str) -> str:
    """A URL a server handed us, as it may be recorded: no credentials, bounded length."""
    try:
        return public_url(url)[:MAX_URL_CHARS]
    except ValueError:  # a port that is not a number
        return urlunsplit(urlsplit(url)[:1] + ("", "", "", ""))[:MAX_URL_CHARS] or "?"
