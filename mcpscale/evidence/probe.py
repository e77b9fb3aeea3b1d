"""`mcpscale evidence probe`: connect to live MCP servers and measure what they do.

One server (`probe`) or a scan's whole estate (`mcpscale.evidence.estate`), through the SDK's
client in auto mode: `server/discover` for a 2026-07-28 server, the legacy `initialize`
handshake otherwise, over streamable HTTP, legacy HTTP+SSE or stdio. Every listing is followed
across its pages (bounded), every tool is recorded, latency is timed one request at a time and
then at --concurrency; --timeout bounds each request and --deadline the whole probe. Header
values never leave this module.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import socket
import ssl
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from mcpscale import __version__
from mcpscale.errors import UserError
from mcpscale.evidence.loopback import is_loopback
from mcpscale.evidence.secrets import public_url, redact_args, redact_text
from mcpscale.formats.evidence import (
    Evidence,
    Finding,
    Latency,
    Listed,
    Probe,
    Server,
    Severity,
    ToolRule,
)
from mcpscale.inputs.clock import today

LATENCY_BUDGET_MS = 200.0
CERTIFICATE_WARNING_DAYS = 30
MAX_PAGES = 100  # per listing: a server whose cursor never ends cannot hold the probe
MAX_ITEMS = 10_000  # per listing
STDERR_LINES = 3  # of the server's stderr, in an error
EXCERPT_CHARS = 120

Transport = Literal["http", "sse", "stdio"]


@dataclass(frozen=True)
class ProbeTarget:
    """A streamable-HTTP or HTTP+SSE URL with its headers, or a stdio command line."""

    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    command: tuple[str, ...] = ()
    transport: Transport = "http"
    name: str | None = None  # the name a scan knows it by

    def where(self) -> str:
        """The target as it may be shown: no query, no user info, no secret argument."""
        if self.url:
            return public_url(self.url)
        command, *args = self.command
        return " ".join([command, *redact_args(args, command)])


@dataclass(frozen=True)
class ProbeOptions:
    requests: int = 50
    concurrency: int = 1
    timeout: float = 10.0  # seconds, for each request
    resource: str | None = None
    deadline: float | None = None  # seconds, for the whole probe
    ca_file: Path | None = None
    follow_auth_servers: bool = True
    # The poisoning rules; None: the bundled pack's (`load_tool_rules()`).
    tool_rules: tuple[ToolRule, ...] | None = None
    # An earlier probe's evidence: tools added, removed or changed since are findings.
    baseline: Evidence | None = None


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


def url_transport(url: str, transport: str | None) -> Transport:
    """The transport asked for, or HTTP+SSE for a URL whose path ends in /sse."""
    if transport in ("http", "sse"):
        return transport  # type: ignore[return-value]
    if transport not in (None, "auto"):
        raise UserError(f"--transport must be auto, http or sse, not {transport!r}")
    return "sse" if urlsplit(url).path.rstrip("/").endswith("/sse") else "http"


def make_target(
    url: str | None,
    headers: Sequence[str],
    command: Sequence[str],
    transport: str | None = None,
) -> ProbeTarget:
    """Check the command line's choice of transport and build the target."""
    if bool(url) == bool(command):
        raise UserError("give either --url URL or -- COMMAND [ARGS...] (exactly one server)")
    if command:
        if headers:
            raise UserError("--header only applies to --url; a stdio server reads its environment")
        if transport not in (None, "auto", "stdio"):
            raise UserError("--transport applies to --url; a command is always stdio")
        return ProbeTarget(command=tuple(command), transport="stdio")
    assert url is not None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"--url must be an http:// or https:// URL, not {public_url(url)!r}")
    return ProbeTarget(
        url=url,
        headers=dict(parse_header(h) for h in headers),
        transport=url_transport(url, transport),
    )


def percentiles(
    durations_ms: Sequence[float],
    *,
    operation: str = "tools/list",
    errors: int = 0,
    concurrency: int = 1,
    elapsed_s: float | None = None,
) -> Latency:
    """p50/p95/p99/max with linear interpolation (numpy's default), rounded to 0.1 ms."""
    import numpy as np

    values = np.asarray(durations_ms, dtype=float)
    p50, p95, p99 = (float(np.percentile(values, q)) for q in (50, 95, 99))
    return Latency(
        operation=operation,
        requests=len(values),
        errors=errors,
        concurrency=concurrency,
        p50_ms=round(p50, 1),
        p95_ms=round(p95, 1),
        p99_ms=round(p99, 1),
        max_ms=round(float(values.max()), 1),
        budget_ms=LATENCY_BUDGET_MS,
        requests_per_second=(
            round(len(values) / elapsed_s, 1) if elapsed_s is not None and elapsed_s > 0 else None
        ),
    )


def check_options(options: ProbeOptions) -> None:
    if options.requests < 1 or options.concurrency < 1 or options.timeout <= 0:
        raise UserError("--requests, --concurrency and --timeout must be positive")
    if options.deadline is not None and options.deadline <= 0:
        raise UserError("--deadline must be positive")


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """What certificates are trusted: the system's, plus --ca-file's for an internal CA.

    Built once a run and shared by every connection: loading the system's certificate
    authorities takes about 30 ms, which each HTTP client paid again when it built its own."""
    if ca_file is None:
        import httpx2

        return httpx2.create_ssl_context()  # the trust an HTTP client has by default
    try:
        return ssl.create_default_context(cafile=str(ca_file))
    except FileNotFoundError:
        raise UserError(f"--ca-file {ca_file}: no such file") from None
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise UserError(
            f"--ca-file {ca_file}: not a PEM certificate authority file ({exc.__class__.__name__})"
        ) from None


def probe(target: ProbeTarget, options: ProbeOptions) -> Evidence:
    """Probe one server; any failure becomes one UserError, with the server's last stderr."""
    import anyio

    check_options(options)
    verify = tls_context(options.ca_file)
    load_sdk()
    with quiet_sdk_logs():
        result = anyio.run(_probe_alone, target, options, verify)
    server = server_entry(target, result.probe)
    return probe_evidence([server], result.findings, [result.probe], options)


def probe_evidence(
    servers: list[Server], findings: list[Finding], probes: list[Probe], options: ProbeOptions
) -> Evidence:
    """The evidence file of a probe; with a baseline, what changed in the tools since."""
    evidence = Evidence(
        kind="evidence",
        source="probe",
        collected_at=today(),
        tool=f"mcpscale {__version__}",
        servers=servers,
        findings=findings,
        probes=probes,
    )
    if options.baseline is not None:
        from mcpscale.evidence.tools import diff_inventories

        evidence.findings = [*findings, *diff_inventories(options.baseline, evidence)]
    return evidence


async def _probe_alone(
    target: ProbeTarget, options: ProbeOptions, verify: ssl.SSLContext | bool
) -> ProbeResult:
    import anyio

    deadline_at = None if options.deadline is None else anyio.current_time() + options.deadline
    result = await probe_server(target, options, verify, deadline_at)
    if result.probe.error is not None:
        raise UserError(result.probe.error)
    return result


def load_sdk() -> None:
    """Import the SDK's client before --timeout and --deadline start: its first import takes a
    second or more, which is the probe's own time, not the server's."""
    import importlib

    for name in ("mcp.client.client", "mcp.client.sse", "mcp.client.stdio",
                 "mcp.client.streamable_http"):  # fmt: skip
        importlib.import_module(name)


@contextlib.contextmanager
def quiet_sdk_logs() -> Iterator[None]:
    """The SDK logs a traceback for a line it cannot parse; the probe reports it in words."""
    sdk = logging.getLogger("mcp")
    before = sdk.level, sdk.propagate
    sdk.setLevel(logging.CRITICAL + 1)
    sdk.propagate = False
    try:
        yield
    finally:
        sdk.setLevel(before[0])
        sdk.propagate = before[1]


@dataclass
class ProbeResult:
    """One server's probe: the measurements (or the error), its findings, its raw tools."""

    probe: Probe
    findings: list[Finding] = field(default_factory=list)
    raw_tools: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Observed:
    """What the connection saw besides answers: HTTP statuses, stray stdout, server requests."""

    statuses: list[tuple[str, int, str | None]] = field(default_factory=list)
    stray_stdout: list[str] = field(default_factory=list)
    server_asked: set[str] = field(default_factory=set)
    process: Any = None


class _NotMeasured(Exception):
    """The probe stops here; its message is the one sentence the user reads."""


async def probe_server(
    target: ProbeTarget,
    options: ProbeOptions,
    verify: ssl.SSLContext | bool,
    deadline_at: float | None,
) -> ProbeResult:
    """Probe one server. Never raises for the server's faults: they land in `probe.error`."""
    transport: Transport = target.transport
    name = target.name or target.where()
    measured = Probe(server=name, transport=transport)
    result = ProbeResult(probe=measured)
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errlog:
        try:
            await _probe_into(result, target, options, verify, deadline_at, errlog)
        except _NotMeasured as stop:
            measured.error = _with_stderr(str(stop), errlog)
        except Exception as exc:  # noqa: BLE001 - every failure is the server's, told in one line
            user_error = next((e for e in _leaves(exc) if isinstance(e, UserError)), None)
            reason = str(user_error) if user_error else f"could not probe {target.where()}: "
            if user_error is None:
                reason += _reason(exc, target)
            measured.error = _with_stderr(reason, errlog)
    if target.name is None and measured.server_name:
        measured.server = measured.server_name
    result.findings = [f.model_copy(update={"server": measured.server}) for f in result.findings]
    return result


async def _probe_into(
    result: ProbeResult,
    target: ProbeTarget,
    options: ProbeOptions,
    verify: ssl.SSLContext | bool,
    deadline_at: float | None,
    errlog: Any,
) -> None:
    import anyio

    measured = result.probe
    where = target.where()
    observed = _Observed()
    if target.url and urlsplit(target.url).scheme == "https":
        host, port = urlsplit(target.url).hostname or "", urlsplit(target.url).port or 443
        days, error = await anyio.to_thread.run_sync(
            _certificate_days_left, host, port, options.timeout, verify, abandon_on_cancel=True
        )
        measured.tls, measured.tls_verified, measured.certificate_days_left = True, not error, days
        if error is not None:
            result.findings.append(_finding("tls-unverified", "high", f"{error}."))
            raise _NotMeasured(
                f"{where}: the TLS certificate does not verify ({error}); no credentials were "
                "sent to it (for an internal certificate authority, pass --ca-file)"
            )
    elif target.url:
        measured.tls = False
    limit = options.timeout
    if deadline_at is not None:
        limit = min(limit, max(deadline_at - anyio.current_time(), 0.0))
    connected = False
    failure: Exception | None = None
    # One scope around the connection's whole life (the SDK's task groups must exit where they
    # entered): its deadline bounds the handshake, then is lifted for the measuring.
    with anyio.CancelScope(deadline=anyio.current_time() + limit) as handshake:
        try:
            async with contextlib.AsyncExitStack() as stack:
                client = await _connect(stack, target, options, verify, observed, errlog)
                connected = True
                handshake.deadline = _INF
                await _measure(client, result, options, deadline_at)
        except Exception as exc:
            if connected:
                raise
            failure = exc
    if not connected:
        await _not_connected(result, target, options, verify, deadline_at, observed, failure)
    result.findings += _findings(target, measured, observed)
    if target.url and target.transport == "http":
        await _authorization(result, target, options, verify, deadline_at)
    if result.raw_tools:
        from mcpscale.evidence.tools import tool_findings

        rules = options.tool_rules
        if rules is None:
            from mcpscale.inputs.evidence import load_tool_rules

            rules = tuple(load_tool_rules())
        result.findings += tool_findings(measured.server, result.raw_tools, rules)


_INF = float("inf")


async def _measure(
    client: Any, result: ProbeResult, options: ProbeOptions, deadline_at: float | None
) -> None:
    """The handshake's facts, every listing, the timed requests: until --deadline."""
    import anyio

    measured = result.probe
    _record_handshake(measured, client)
    stage = ["listing tools"]
    with anyio.CancelScope(deadline=_INF if deadline_at is None else deadline_at) as measuring:
        await _list_everything(client, measured, result, options, stage)
        await _time_requests(client, measured, options, stage)
    if measuring.cancelled_caught:
        measured.stopped_early = (
            f"--deadline ({options.deadline:g} s) passed while {stage[0]}; "
            "what was measured before it is kept."
        )


async def _not_connected(
    result: ProbeResult,
    target: ProbeTarget,
    options: ProbeOptions,
    verify: ssl.SSLContext | bool,
    deadline_at: float | None,
    observed: _Observed,
    failure: Exception | None,
) -> None:
    """Why the connection failed, in one sentence (_NotMeasured), or the failure itself."""
    import anyio

    where = target.where()
    if target.transport == "http" and (_http_status(observed) in (401, 403) or _redirect(observed)):
        # Refused or sent to a login: the authorization facts still explain why.
        await _authorization(result, target, options, verify, deadline_at, explain=True)
    explained = _failure(target, observed)
    if explained is None and target.transport == "stdio":
        explained = _stdio_exit(target, observed)
    if explained is not None:
        raise _NotMeasured(explained)
    if failure is not None:
        raise failure
    if deadline_at is not None and anyio.current_time() >= deadline_at:
        raise _NotMeasured(
            f"{where}: --deadline ({options.deadline:g} s) passed before the server "
            "answered; nothing was measured"
        )
    raise _NotMeasured(
        f"{where} did not answer within --timeout ({options.timeout:g} s); "
        "is it up, and is it MCP? raise --timeout for a slow one"
    )


async def _connect(
    stack: contextlib.AsyncExitStack,
    target: ProbeTarget,
    options: ProbeOptions,
    verify: ssl.SSLContext | bool,
    observed: _Observed,
    errlog: Any,
) -> Any:
    """The SDK's client in auto mode, connected."""
    import mcp_types as types
    from mcp.client.client import Client
    from mcp.client.session import ClientRequestContext

    async def list_roots(context: ClientRequestContext) -> types.ListRootsResult | types.ErrorData:
        observed.server_asked.add("roots")
        return types.ListRootsResult(roots=[])

    async def sampling(
        context: ClientRequestContext, params: types.CreateMessageRequestParams
    ) -> types.CreateMessageResult | types.CreateMessageResultWithTools | types.ErrorData:
        observed.server_asked.add("sampling")
        return types.ErrorData(code=types.INVALID_REQUEST, message="the probe does not sample")

    async def on_message(message: Any) -> None:
        if isinstance(message, Exception) and len(observed.stray_stdout) < 5:
            observed.stray_stdout.append(_stray_line(message))

    transport = await _transport(stack, target, options, verify, observed, errlog)
    client = Client(
        transport,
        mode="auto",
        cache=None,  # every timed request reaches the server
        read_timeout_seconds=options.timeout,
        list_roots_callback=list_roots,
        sampling_callback=sampling,
        message_handler=on_message,
    )
    return await stack.enter_async_context(client)


async def _transport(
    stack: contextlib.AsyncExitStack,
    target: ProbeTarget,
    options: ProbeOptions,
    verify: ssl.SSLContext | bool,
    observed: _Observed,
    errlog: Any,
) -> Any:
    import httpx2

    async def record(response: Any) -> None:
        if len(observed.statuses) < 50:
            location = response.headers.get("location")
            observed.statuses.append((response.request.method, response.status_code, location))

    # connect/write/pool bounded by --timeout; a response's wait is the SDK's per-request timeout
    timeout = httpx2.Timeout(options.timeout, read=None)

    def http_client(
        headers: dict[str, Any] | None = None,
        timeout: httpx2.Timeout | None = timeout,
        auth: httpx2.Auth | None = None,
    ) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            headers={**target.headers, **(headers or {})},
            timeout=timeout,
            auth=auth,
            verify=verify,
            event_hooks={"response": [record]},
        )

    if target.transport == "sse":
        from mcp.client.sse import sse_client

        assert target.url is not None
        return sse_client(
            target.url,
            timeout=options.timeout,
            sse_read_timeout=3600,
            httpx_client_factory=http_client,  # type: ignore[arg-type]
        )
    if target.transport == "http":
        from mcp.client.streamable_http import streamable_http_client

        assert target.url is not None
        http = await stack.enter_async_context(http_client())
        return streamable_http_client(target.url, http_client=http)
    return _StdioTransport(target, errlog, observed)


class _StdioTransport:
    """The SDK's stdio transport, keeping hold of the process to tell how it ended."""

    def __init__(self, target: ProbeTarget, errlog: Any, observed: _Observed) -> None:
        from mcp.client.stdio import StdioServerParameters, stdio_client

        command, *args = target.command
        if shutil.which(command) is None and not os.path.exists(command):
            raise UserError(f"command not found: {command!r} (check the spelling and your PATH)")
        # The user asked to run this command, as from their shell: it gets their environment.
        params = StdioServerParameters(
            command=command, args=args, env=dict(os.environ), cwd=os.getcwd()
        )
        self._context = stdio_client(params, errlog=errlog)
        self._observed = observed

    async def __aenter__(self) -> Any:
        streams = await self._context.__aenter__()
        # The SDK keeps the process in its generator's frame; without it, the exit status
        # is simply not told.
        frame = getattr(getattr(self._context, "gen", None), "ag_frame", None)
        self._observed.process = frame.f_locals.get("process") if frame is not None else None
        return streams

    async def __aexit__(self, *exc_info: Any) -> bool | None:
        return await self._context.__aexit__(*exc_info)


def _record_handshake(measured: Probe, client: Any) -> None:
    session = client.session
    discovered = session.discover_result
    measured.era = "modern" if discovered is not None else "legacy"
    measured.protocol_version = str(client.protocol_version)
    measured.supported_versions = (
        list(discovered.supported_versions)
        if discovered is not None
        else [measured.protocol_version]
    )
    info = client.server_info
    measured.server_name = (info.name or None) if info is not None else None
    measured.server_version = (info.version or None) if info is not None else None
    capabilities = client.server_capabilities.model_dump(by_alias=True, exclude_none=True)
    measured.capabilities = sorted(capabilities)


async def _list_everything(
    client: Any, measured: Probe, result: ProbeResult, options: ProbeOptions, stage: list[str]
) -> None:
    """tools, resources, resource templates and prompts, every page, within the bounds."""
    session = client.session
    capabilities = client.server_capabilities
    listed = Listed()
    measured.listed = listed
    plan: list[tuple[str, str, bool, Callable[..., Awaitable[Any]], str]] = [
        ("tools", "tools", capabilities.tools is not None, session.list_tools, "tools"),
        ("resources", "resources", capabilities.resources is not None, session.list_resources,
         "resources"),
        ("resource_templates", "resource templates", capabilities.resources is not None,
         session.list_resource_templates, "resource_templates"),
        ("prompts", "prompts", capabilities.prompts is not None, session.list_prompts, "prompts"),
    ]  # fmt: skip
    for key, label, advertised, list_page, attribute in plan:
        if not advertised:
            continue
        stage[0] = f"listing {label}"
        served = await _every_page(list_page, attribute)
        if served is None:
            continue  # advertised but not served (resource templates, often): not counted
        items, truncated = served
        setattr(listed, key, len(items))
        if truncated:
            listed.truncated.append(key)
        if key == "tools":
            from mcpscale.evidence.tools import tool_record

            result.raw_tools = [
                tool.model_dump(by_alias=True, mode="json", exclude_none=True) for tool in items
            ]
            measured.tools = sorted(
                (tool_record(raw) for raw in result.raw_tools), key=lambda t: t.name
            )


async def _every_page(
    list_page: Callable[..., Awaitable[Any]], attribute: str
) -> tuple[list[Any], bool] | None:
    """Every item of one listing, following nextCursor to the end or the bound (truncated)."""
    from mcp.shared.exceptions import MCPError
    from mcp_types import METHOD_NOT_FOUND, PaginatedRequestParams

    items: list[Any] = []
    cursor: str | None = None
    for _page in range(MAX_PAGES):
        try:
            page = await list_page(params=PaginatedRequestParams(cursor=cursor))
        except MCPError as exc:
            if exc.code != METHOD_NOT_FOUND or cursor is not None:
                raise
            return None
        items += getattr(page, attribute)
        cursor = page.next_cursor
        if cursor is None or len(items) >= MAX_ITEMS:
            break
    truncated = cursor is not None or len(items) > MAX_ITEMS
    return items[:MAX_ITEMS], truncated


async def _time_requests(
    client: Any, measured: Probe, options: ProbeOptions, stage: list[str]
) -> None:
    """One request at a time (the latency a user feels), then at --concurrency."""
    import anyio

    operation = "resources/read" if options.resource else "tools/list"

    async def call() -> None:
        if options.resource:
            await client.session.read_resource(options.resource)
        else:
            await client.session.list_tools()

    first_error: list[str] = []

    async def timed(durations: list[float], errors: list[int]) -> None:
        start = time.perf_counter()
        try:
            with anyio.fail_after(options.timeout):
                await call()
        except Exception as exc:  # noqa: BLE001 - a failed request is counted, not fatal
            errors[0] += 1
            if not first_error:
                first_error.append(_one_line(exc))
            return
        durations.append((time.perf_counter() - start) * 1000)

    one_at_a_time: list[float] = []
    errors = [0]
    stage[0] = f"timing {operation} one request at a time"
    try:
        for _ in range(options.requests):
            await timed(one_at_a_time, errors)
    finally:
        if one_at_a_time:
            measured.latency = percentiles(one_at_a_time, operation=operation, errors=errors[0])
    if not one_at_a_time:
        raise _NotMeasured(
            f"every one of the {errors[0]} timed {operation} requests failed: "
            f"{first_error[0] if first_error else 'no answer'}"
        )
    if options.concurrency <= 1:
        return
    stage[0] = f"timing {operation} at concurrency {options.concurrency}"
    concurrent: list[float] = []
    concurrent_errors = [0]
    remaining = [options.requests]
    started = anyio.current_time()

    async def worker() -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            await timed(concurrent, concurrent_errors)

    try:
        async with anyio.create_task_group() as group:
            for _ in range(min(options.concurrency, options.requests)):
                group.start_soon(worker)
    finally:
        if concurrent:
            measured.throughput = percentiles(
                concurrent,
                operation=operation,
                errors=concurrent_errors[0],
                concurrency=options.concurrency,
                elapsed_s=anyio.current_time() - started,
            )


async def _authorization(
    result: ProbeResult,
    target: ProbeTarget,
    options: ProbeOptions,
    verify: ssl.SSLContext | bool,
    deadline_at: float | None,
    explain: bool = False,
) -> None:
    """The authorization facts and findings; a failure here loses only these facts."""
    import anyio

    from mcpscale.evidence.authz import authorization_findings, check_authorization

    measured = result.probe
    assert target.url is not None
    if deadline_at is not None and anyio.current_time() >= deadline_at:
        measured.stopped_early = (
            measured.stopped_early or f"--deadline ({options.deadline:g} s) passed."
        ) + " The authorization check was not run."
        return
    try:
        with anyio.CancelScope(deadline=_INF if deadline_at is None else deadline_at) as scope:
            authorization = await check_authorization(
                target.url,
                era=None if explain else measured.era,
                protocol_version=None if explain else measured.protocol_version,
                timeout=options.timeout,
                verify=verify,
                follow_auth_servers=options.follow_auth_servers,
            )
    except Exception:  # noqa: BLE001 - the probe's other facts stand without these
        return
    if scope.cancelled_caught:
        measured.stopped_early = (
            measured.stopped_early or f"--deadline ({options.deadline:g} s) passed."
        ) + " The authorization check did not finish."
        return
    measured.authorization = authorization
    result.findings += authorization_findings(measured.server, target.url, measured.authorization)


def _certificate_days_left(
    host: str, port: int, timeout: float, verify: ssl.SSLContext | bool
) -> tuple[int | None, str | None]:
    """(days left, None) for a certificate that verifies, or (None, why not)."""
    context = verify if isinstance(verify, ssl.SSLContext) else ssl.create_default_context()
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


def server_entry(target: ProbeTarget, measured: Probe) -> Server:
    """The servers[] entry for a probed target, under the probe's name for it."""
    if target.url:
        return Server(name=measured.server, transport=target.transport, url=public_url(target.url))
    command, *args = target.command
    return Server(
        name=measured.server,
        transport="stdio",
        command=command,
        args=redact_args(args, command),
    )


def _finding(
    finding_id: str, severity: Severity, message: str, excerpt: str | None = None
) -> Finding:
    # The server's name is filled in once the probe knows it (probe_server).
    return Finding(id=finding_id, severity=severity, server="-", message=message, excerpt=excerpt)


DEPRECATED_ASKS = {
    "roots": "It asked the client for its roots (roots/list), a feature deprecated in the "
    "2026-07-28 specification (SEP-2577).",
    "sampling": "It asked the client to sample an LLM (sampling/createMessage), a feature "
    "deprecated in the 2026-07-28 specification (SEP-2577).",
}


def _findings(target: ProbeTarget, measured: Probe, observed: _Observed) -> list[Finding]:
    findings: list[Finding] = []
    latency = measured.latency
    if latency is not None and latency.p95_ms > latency.budget_ms:
        findings.append(
            _finding(
                "latency-over-budget",
                "medium",
                f"p95 latency of {latency.operation} one request at a time is "
                f"{latency.p95_ms:g} ms, over the {latency.budget_ms:g} ms context-retrieval "
                "budget.",
            )
        )
    if "logging" in measured.capabilities:
        findings.append(
            _finding(
                "deprecated-feature",
                "low",
                "Advertises the logging capability, deprecated in the 2026-07-28 specification "
                "(SEP-2577).",
                excerpt="logging",
            )
        )
    for asked in sorted(observed.server_asked):
        findings.append(
            _finding("deprecated-feature", "medium", DEPRECATED_ASKS[asked], excerpt=asked)
        )
    if observed.stray_stdout:
        findings.append(
            _finding(
                "stdout-not-jsonrpc",
                "medium",
                "Printed something that is not JSON-RPC on standard output; clients that are "
                "strict about the stdio transport drop the connection.",
                excerpt=observed.stray_stdout[0],
            )
        )
    if target.transport == "sse":
        findings.append(
            _finding(
                "deprecated-transport",
                "medium",
                "Speaks the HTTP+SSE transport, deprecated by the MCP specification since "
                "2025-03-26; move to streamable HTTP.",
            )
        )
    if not target.url:
        return findings
    host = urlsplit(target.url).hostname or ""
    if not measured.tls and not is_loopback(host):
        findings.append(
            _finding(
                "plaintext-http", "high", f"Reached over plain http:// on {host}, not loopback."
            )
        )
    days = measured.certificate_days_left
    if days is not None and days < CERTIFICATE_WARNING_DAYS:
        findings.append(
            _finding(
                "certificate-expiring", "medium", f"The TLS certificate expires in {days} days."
            )
        )
    return findings


def _http_status(observed: _Observed) -> int | None:
    """The last HTTP status of an MCP request (POST), if any was an error."""
    posts = [status for method, status, _ in observed.statuses if method == "POST"]
    gets = [status for method, status, _ in observed.statuses if method == "GET"]
    for status in reversed(posts or gets):
        if status >= 300:
            return status
    return None


def _redirect(observed: _Observed) -> str | None:
    for _method, status, location in observed.statuses:
        if 300 <= status < 400 and location:
            return public_url(location) if "//" in location else location.split("?")[0]
    return None


def _failure(target: ProbeTarget, observed: _Observed) -> str | None:
    """A failed connect explained by what the HTTP server answered, or None."""
    if not target.url:
        if observed.stray_stdout:
            return (
                f"{target.where()} printed something that is not JSON-RPC on standard output: "
                f"{observed.stray_stdout[0]!r}"
            )
        return None
    where = target.where()
    status = _http_status(observed)
    if status in (401, 403):
        what = "the credentials given were refused" if target.headers else "it requires credentials"
        return (
            f"{where} answered HTTP {status}: {what}; pass them with "
            "--header 'Authorization: Bearer ...'"
        )
    redirect = _redirect(observed)
    if redirect is not None:
        return (
            f"{where} answered HTTP {status} with a redirect to {redirect} (a login page?), "
            "not an MCP answer; pass credentials with --header"
        )
    if status in (404, 405, 501):
        hint = (
            " (is the path right, e.g. /mcp, or is it an HTTP+SSE server? try --transport sse)"
            if target.transport == "http"
            else ""
        )
        return f"{where} is not an MCP endpoint (HTTP {status}){hint}"
    if status is not None and status >= 500:
        return f"{where} answered HTTP {status}, a server error, to an MCP request"
    return None


def _stdio_exit(target: ProbeTarget, observed: _Observed) -> str | None:
    code = getattr(observed.process, "returncode", None)
    if code is None or code < 0:
        return None
    return f"{target.where()} exited with status {code} before answering"


def _stray_line(exc: Exception) -> str:
    """The stdout line that was not JSON-RPC, shortened and redacted."""
    errors = getattr(exc, "errors", None)
    line: Any = None
    if callable(errors):
        with contextlib.suppress(Exception):
            line = errors()[0].get("input")
    text = line if isinstance(line, str) else str(exc)
    shown, _ = redact_text(text.strip())
    return shown[:EXCERPT_CHARS]


def _with_stderr(message: str, errlog: Any) -> str:
    """The message, and the server's last stderr lines (redacted) when it wrote any."""
    errlog.flush()
    errlog.seek(0)
    lines = [line.strip() for line in errlog.read()[-4000:].splitlines() if line.strip()]
    if not lines:
        return message
    tail = " | ".join(redact_text(line)[0][:200] for line in lines[-STDERR_LINES:])
    return f"{message}; the server's stderr ends: {tail}"


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


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
    return redact_text(text.splitlines()[0] if text else type(leaf).__name__)[0]
