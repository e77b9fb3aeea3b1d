"""`mcpscale evidence probe`: connect to one live MCP server and measure what it does.

The handshake, the latency of a harmless listing call, and for HTTP the transport
security (TLS, certificate, unauthenticated access, OAuth protected-resource metadata).
Everything is bounded by one overall timeout; header values never leave this module.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import ssl
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mcpscale import __version__
from mcpscale.errors import UserError
from mcpscale.evidence.loopback import is_loopback
from mcpscale.evidence.secrets import public_url, redact_args
from mcpscale.formats.evidence import (
    Authorization,
    Evidence,
    Finding,
    Latency,
    Listed,
    Probe,
    Server,
    Severity,
)
from mcpscale.inputs.clock import today

LATENCY_BUDGET_MS = 200.0
CERTIFICATE_WARNING_DAYS = 30


@dataclass(frozen=True)
class ProbeTarget:
    """Either a streamable-HTTP URL with its headers, or a stdio command line."""

    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    command: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProbeOptions:
    requests: int = 50
    concurrency: int = 4
    timeout: float = 10.0
    resource: str | None = None


@dataclass
class _HttpFacts:
    tls: bool = False
    tls_verified: bool | None = None
    certificate_days_left: int | None = None
    tls_error: str | None = None
    unauthenticated_status: int | None = None
    protected_resource_metadata: bool | None = None


def parse_header(text: str) -> tuple[str, str]:
    """'Name: value' -> (name, value); the value is never echoed back in an error."""
    name, sep, value = text.partition(":")
    if (
        not sep
        or not name.strip()
        or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name.strip())
    ):
        raise UserError("--header must look like 'Name: value', e.g. 'Authorization: Bearer ...'")
    return name.strip(), value.strip()


def make_target(url: str | None, headers: Sequence[str], command: Sequence[str]) -> ProbeTarget:
    """Check the command line's choice of transport and build the target."""
    if bool(url) == bool(command):
        raise UserError("give either --url URL or -- COMMAND [ARGS...] (exactly one server)")
    if command:
        if headers:
            raise UserError("--header only applies to --url; a stdio server reads its environment")
        return ProbeTarget(command=tuple(command))
    assert url is not None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"--url must be an http:// or https:// URL, not {public_url(url)!r}")
    return ProbeTarget(url=url, headers=dict(parse_header(h) for h in headers))


def percentiles(durations_ms: Sequence[float]) -> Latency:
    """p50/p95/p99/max with linear interpolation (numpy's default), rounded to 0.1 ms."""
    import numpy as np

    values = np.asarray(durations_ms, dtype=float)
    p50, p95, p99 = (float(np.percentile(values, q)) for q in (50, 95, 99))
    return Latency(
        requests=len(values),
        p50_ms=round(p50, 1),
        p95_ms=round(p95, 1),
        p99_ms=round(p99, 1),
        max_ms=round(float(values.max()), 1),
        budget_ms=LATENCY_BUDGET_MS,
    )


def probe(target: ProbeTarget, options: ProbeOptions) -> Evidence:
    """Run the probe; any failure, including the timeout, becomes one UserError."""
    import anyio

    if options.requests < 1 or options.concurrency < 1 or options.timeout <= 0:
        raise UserError("--requests, --concurrency and --timeout must be positive")
    where = public_url(target.url) if target.url else " ".join(redact_args(target.command))
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errlog:
        try:
            return anyio.run(_probe_within_timeout, target, options, errlog)
        except TimeoutError:
            raise UserError(
                f"{where} did not answer as an MCP server within {options.timeout:g} s "
                "(is it up, and is it MCP? raise --timeout for a slow one)"
            ) from None
        except UserError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is the server's, told in one line
            user_error = next((e for e in _leaves(exc) if isinstance(e, UserError)), None)
            if user_error is not None:
                raise user_error from None
            reason = _reason(exc, target)
            stderr_tail = _tail(errlog)
            if stderr_tail:
                reason += f"; the server said: {stderr_tail}"
            raise UserError(f"could not probe {where}: {reason}") from None


async def _probe_within_timeout(
    target: ProbeTarget, options: ProbeOptions, errlog: Any
) -> Evidence:
    import anyio

    with anyio.fail_after(options.timeout):
        if target.url:
            facts = await _http_facts(target, options.timeout)
            try:
                measurements, durations = await _http_session(target, options)
            except Exception:
                if facts.tls_verified is False:
                    raise UserError(
                        f"{public_url(target.url)}: the TLS certificate does not verify "
                        f"({facts.tls_error}); no credentials were sent to it"
                    ) from None
                status = facts.unauthenticated_status
                if target.headers:
                    status = await _initialize_status(target.url, target.headers, options.timeout)
                if status in (401, 403):
                    what = (
                        "the credentials given were refused"
                        if target.headers
                        else ("it requires credentials")
                    )
                    raise UserError(
                        f"{public_url(target.url)} answered HTTP {status}: {what}; "
                        "pass them with --header 'Authorization: Bearer ...'"
                    ) from None
                raise
        else:
            facts = None
            measurements, durations = await _stdio_session(target, options, errlog)
    measurements.latency = percentiles(durations)
    if facts is not None:
        measurements.tls = facts.tls
        measurements.tls_verified = facts.tls_verified
        measurements.certificate_days_left = facts.certificate_days_left
        if facts.unauthenticated_status is not None:
            rejected = facts.unauthenticated_status in (401, 403)
            measurements.authorization = Authorization(
                unauthenticated="rejected" if rejected else "accepted",
                status=facts.unauthenticated_status,
                protected_resource_metadata=facts.protected_resource_metadata,
            )
    return _evidence(target, measurements, facts)


async def _http_session(target: ProbeTarget, options: ProbeOptions) -> tuple[Probe, list[float]]:
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    assert target.url is not None
    timeout = httpx2.Timeout(options.timeout)
    async with (
        httpx2.AsyncClient(headers=target.headers, timeout=timeout) as http,
        streamable_http_client(target.url, http_client=http) as (read, write),
    ):
        return await _measure(read, write, options)


async def _stdio_session(
    target: ProbeTarget, options: ProbeOptions, errlog: Any
) -> tuple[Probe, list[float]]:
    from mcp.client.stdio import StdioServerParameters, stdio_client

    command, *args = target.command
    if shutil.which(command) is None and not os.path.exists(command):
        raise UserError(f"command not found: {command!r} (check the spelling and your PATH)")
    # The user asked to run this command, as from their shell: it gets their environment.
    params = StdioServerParameters(
        command=command, args=args, env=dict(os.environ), cwd=os.getcwd()
    )
    async with stdio_client(params, errlog=errlog) as (read, write):
        return await _measure(read, write, options)


async def _measure(read: Any, write: Any, options: ProbeOptions) -> tuple[Probe, list[float]]:
    """The handshake, the listings the server advertises, then N timed calls."""
    import anyio
    from mcp.client.session import ClientSession

    async with ClientSession(read, write) as session:
        result = await session.initialize()
        capabilities = result.capabilities
        advertised = sorted(
            name
            for name, value in capabilities.model_dump(exclude_none=True).items()
            if value is not None
        )
        measurements = Probe(
            server=result.server_info.name,
            transport="stdio",
            era="legacy",
            protocol_version=str(result.protocol_version),
            server_name=result.server_info.name,
            server_version=result.server_info.version or None,
            capabilities=advertised,
        )
        listed = Listed()
        if capabilities.tools is not None:
            listed.tools = len((await session.list_tools()).tools)
        if capabilities.resources is not None:
            listed.resources = len((await session.list_resources()).resources)
        if capabilities.prompts is not None:
            listed.prompts = len((await session.list_prompts()).prompts)
        measurements.listed = listed

        async def call() -> None:
            if options.resource:
                await session.read_resource(options.resource)
            else:
                await session.list_tools()

        durations: list[float] = []
        limiter = anyio.Semaphore(options.concurrency)

        async def timed() -> None:
            async with limiter:
                start = time.perf_counter()
                await call()
                durations.append((time.perf_counter() - start) * 1000)

        async with anyio.create_task_group() as group:
            for _ in range(options.requests):
                group.start_soon(timed)
        return measurements, durations


async def _http_facts(target: ProbeTarget, timeout: float) -> _HttpFacts:
    """TLS and certificate, the unauthenticated request, the protected-resource metadata."""
    import anyio
    import httpx2

    assert target.url is not None
    parts = urlsplit(target.url)
    facts = _HttpFacts(tls=parts.scheme == "https")
    if facts.tls:
        host, port = parts.hostname or "", parts.port or 443
        days, error = await anyio.to_thread.run_sync(
            _certificate_days_left, host, port, timeout, abandon_on_cancel=True
        )
        facts.tls_verified = error is None
        facts.certificate_days_left = days
        facts.tls_error = error
    facts.unauthenticated_status = await _initialize_status(target.url, {}, timeout)
    async with httpx2.AsyncClient(timeout=timeout, verify=facts.tls_verified is not False) as http:
        facts.protected_resource_metadata = False
        for metadata_url in _metadata_urls(target.url):
            with contextlib.suppress(httpx2.HTTPError, ValueError):
                reply = await http.get(metadata_url, headers={"Accept": "application/json"})
                if reply.status_code == 200 and isinstance(reply.json(), dict):
                    facts.protected_resource_metadata = True
                    break
    return facts


async def _initialize_status(url: str, headers: dict[str, str], timeout: float) -> int:
    """The HTTP status of a plain initialize POST with just these headers."""
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
    plain = {"Accept": "application/json, text/event-stream", **headers}
    # verify=False: the certificate is judged on its own; here only the status matters.
    async with httpx2.AsyncClient(timeout=timeout, verify=False) as http:
        async with http.stream("POST", url, json=initialize, headers=plain) as reply:
            status = reply.status_code
            session_id = reply.headers.get("mcp-session-id")
        if session_id:
            # We opened a session nobody asked for: close it again.
            with contextlib.suppress(httpx2.HTTPError):
                await http.delete(url, headers={**headers, "mcp-session-id": session_id})
    return status


def _metadata_urls(url: str) -> list[str]:
    """Where RFC 9728 and the MCP authorization spec put the metadata: path-inserted, then root."""
    parts = urlsplit(url)
    root = urlunsplit((parts.scheme, parts.netloc, "/.well-known/oauth-protected-resource", "", ""))
    path = parts.path.rstrip("/")
    return [root + path, root] if path else [root]


def _certificate_days_left(host: str, port: int, timeout: float) -> tuple[int | None, str | None]:
    """(days left, None) for a certificate that verifies, or (None, why not)."""
    context = ssl.create_default_context()
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            certificate = tls.getpeercert()
    except ssl.SSLCertVerificationError as exc:
        return None, exc.verify_message or str(exc)
    except (OSError, ssl.SSLError) as exc:
        return None, str(exc)
    not_after = certificate.get("notAfter") if certificate else None
    if not isinstance(not_after, str):
        return None, None
    seconds_left = ssl.cert_time_to_seconds(not_after) - time.time()
    return int(seconds_left // 86400), None


def _evidence(target: ProbeTarget, measurements: Probe, facts: _HttpFacts | None) -> Evidence:
    name = measurements.server_name or (public_url(target.url) if target.url else target.command[0])
    if target.url:
        server = Server(name=name, transport="http", url=public_url(target.url))
    else:
        command, *args = target.command
        server = Server(name=name, transport="stdio", command=command, args=redact_args(args))
    measurements.server = name
    measurements.transport = server.transport
    return Evidence(
        kind="evidence",
        source="probe",
        collected_at=today(),
        tool=f"mcpscale {__version__}",
        servers=[server],
        findings=_findings(name, target, measurements, facts),
        probes=[measurements],
    )


def _findings(
    name: str, target: ProbeTarget, measurements: Probe, facts: _HttpFacts | None
) -> list[Finding]:
    findings: list[Finding] = []

    def add(finding_id: str, severity: Severity, message: str) -> None:
        findings.append(Finding(id=finding_id, severity=severity, server=name, message=message))

    latency = measurements.latency
    if latency is not None and latency.p95_ms > latency.budget_ms:
        add(
            "latency-over-budget",
            "medium",
            f"p95 latency {latency.p95_ms:g} ms is over the "
            f"{latency.budget_ms:g} ms context-retrieval budget.",
        )
    if not target.url or facts is None:
        return findings
    host = urlsplit(target.url).hostname or ""
    if not facts.tls and not is_loopback(host):
        add("plaintext-http", "high", f"Reached over plain http:// on {host}, not loopback.")
    if facts.tls_verified is False:
        add("tls-unverified", "high", f"The TLS certificate does not verify: {facts.tls_error}.")
    days = facts.certificate_days_left
    if days is not None and days < CERTIFICATE_WARNING_DAYS:
        add("certificate-expiring", "medium", f"The TLS certificate expires in {days} days.")
    rejected = (
        None
        if measurements.authorization is None
        else measurements.authorization.unauthenticated == "rejected"
    )
    if rejected is False:
        add(
            "no-auth",
            "high",
            "An initialize request without credentials was accepted "
            f"(HTTP {facts.unauthenticated_status}).",
        )
    elif rejected and not facts.protected_resource_metadata:
        add(
            "no-resource-metadata",
            "low",
            "Requires credentials but publishes no OAuth protected-resource "
            "metadata at /.well-known/oauth-protected-resource.",
        )
    return findings


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


def _reason(exc: BaseException, target: ProbeTarget) -> str:
    """One line for the first real cause, never holding a header value."""
    leaves = _leaves(exc)
    leaf = next((e for e in leaves if not isinstance(e, ExceptionGroup)), exc)
    text = str(leaf).strip() or type(leaf).__name__
    if isinstance(leaf, ConnectionRefusedError) or type(leaf).__name__ == "ConnectError":
        text = f"could not connect ({text}); is the server running on that host and port?"
    elif type(leaf).__name__ == "MCPError":
        text = f"the server answered with an MCP error: {text}"
    for value in target.headers.values():
        if value:
            text = text.replace(value, "***")
    return text.splitlines()[0] if text else type(leaf).__name__


def _tail(errlog: Any) -> str:
    errlog.flush()
    errlog.seek(0)
    lines = [line.strip() for line in errlog.read()[-2000:].splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
