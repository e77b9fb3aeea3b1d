"""`mcpscale evidence probe --from scan.json`: probe every server a scan found, into one file.

Remote servers (streamable HTTP and HTTP+SSE) are probed; stdio servers only when asked
(`allow_stdio`), since that runs their commands, and never with an argument the scan redacted.
No headers are sent: one server's credentials must never reach another. A server that cannot
be probed gets `probe.error`; the run goes on.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from mcpscale.errors import UserError
from mcpscale.evidence.probe import (
    ProbeOptions,
    ProbeResult,
    ProbeTarget,
    check_options,
    load_sdk,
    probe_evidence,
    probe_server,
    quiet_sdk_logs,
    server_entry,
    tls_context,
)
from mcpscale.evidence.secrets import REDACTED
from mcpscale.formats.evidence import Evidence, Finding, Probe, Server

MAX_SERVERS = 500  # an estate larger than this is probed in parts


def estate_targets(
    servers: Sequence[Server], allow_stdio: bool
) -> list[tuple[ProbeTarget | None, Server, str | None]]:
    """Each distinct server once: its target, or None with the reason it is not probed."""
    seen: set[tuple[str, ...]] = set()
    names: dict[str, int] = {}
    chosen: list[tuple[ProbeTarget | None, Server, str | None]] = []
    for server in servers:
        key = (server.transport, server.url or "", server.command or "", *server.args)
        if key in seen:
            continue
        seen.add(key)
        names[server.name] = names.get(server.name, 0) + 1
        name = server.name if names[server.name] == 1 else f"{server.name} ({names[server.name]})"
        shown = server.model_copy(update={"name": name, "location": None, "client": None})
        target, why = _target(server, name, allow_stdio)
        chosen.append((target, shown, why))
    if len(chosen) > MAX_SERVERS:
        raise UserError(
            f"the scan lists {len(chosen)} servers; --from probes at most {MAX_SERVERS} at once"
        )
    return chosen


def _target(server: Server, name: str, allow_stdio: bool) -> tuple[ProbeTarget | None, str | None]:
    if server.transport in ("http", "sse"):
        if not server.url or urlsplit(server.url).scheme not in ("http", "https"):
            return None, "the scan recorded no http(s) URL for it"
        if REDACTED in server.url:
            return None, (
                "its URL holds a credential the scan redacted; probe it on its own with --url"
            )
        return ProbeTarget(url=server.url, transport=server.transport, name=name), None
    if not allow_stdio:
        return None, "stdio server not run (pass --allow-stdio to run its command)"
    if not server.command:
        return None, "the scan recorded no command for it"
    if any(REDACTED in arg for arg in server.args):
        return None, (
            "an argument holds a credential the scan redacted; probe it on its own with -- COMMAND"
        )
    return ProbeTarget(command=(server.command, *server.args), transport="stdio", name=name), None


def probe_estate(
    scans: Sequence[Path], options: ProbeOptions, *, allow_stdio: bool, parallel: int
) -> Evidence:
    """Probe every server the scans list, `parallel` at a time, into one evidence file."""
    import anyio

    from mcpscale.inputs.evidence import read_evidence

    check_options(options)
    if parallel < 1:
        raise UserError("--parallel must be positive")
    verify = tls_context(options.ca_file)
    servers = [server for _path, evidence in read_evidence(scans) for server in evidence.servers]
    chosen = estate_targets(servers, allow_stdio)
    if not chosen:
        raise UserError(f"{', '.join(map(str, scans))}: the scan lists no servers to probe")
    load_sdk()
    with quiet_sdk_logs():
        results = anyio.run(_probe_all, chosen, options, verify, parallel)
    findings: list[Finding] = [f for result in results for f in result.findings]
    from mcpscale.evidence.tools import shadowing_findings

    findings += shadowing_findings(
        {result.probe.server: result.raw_tools for result in results if result.raw_tools}
    )
    entries: list[Server] = []
    for (target, shown, _why), result in zip(chosen, results, strict=True):
        entries.append(shown if target is None else server_entry(target, result.probe))
    return probe_evidence(entries, findings, [result.probe for result in results], options)


async def _probe_all(
    chosen: list[tuple[ProbeTarget | None, Server, str | None]],
    options: ProbeOptions,
    verify: ssl.SSLContext | bool,
    parallel: int,
) -> list[ProbeResult]:
    import anyio

    deadline_at = None if options.deadline is None else anyio.current_time() + options.deadline
    results: list[ProbeResult | None] = [None] * len(chosen)
    limiter = anyio.Semaphore(parallel)

    async def one(index: int, target: ProbeTarget) -> None:
        async with limiter:
            if deadline_at is not None and anyio.current_time() >= deadline_at:
                results[index] = _skipped(
                    target.name or target.where(),
                    target.transport,
                    f"--deadline ({options.deadline:g} s) passed before its turn",
                )
                return
            results[index] = await probe_server(target, options, verify, deadline_at)

    async with anyio.create_task_group() as group:
        for index, (target, shown, why) in enumerate(chosen):
            if target is None:
                results[index] = _skipped(shown.name, shown.transport, why or "not probed")
            else:
                group.start_soon(one, index, target)
    return [result for result in results if result is not None]


def _skipped(name: str, transport: str, why: str) -> ProbeResult:
    return ProbeResult(probe=Probe(server=name, transport=transport, error=why))  # type: ignore[arg-type]
