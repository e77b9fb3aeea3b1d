"""`mcpscale evidence scan|merge|probe|diff`: evidence from client configurations and live
servers, and what changed in servers' tools between two probes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcpscale.cli.options import EvidenceFormat, ScanFormat, SeverityChoice
from mcpscale.cli.output import emit, is_stdout, print_renderables
from mcpscale.errors import GateFailed

if TYPE_CHECKING:
    from mcpscale.formats.evidence import Finding, ScanResult, ToolRule

app = typer.Typer(
    help="Evidence from real MCP deployments: what clients are configured to use, what servers do."
)


@app.command("scan")
def evidence_scan(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PATH...]", help="Folders (or config files) to scan."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Also write the evidence file here (kind: evidence; JSON if it ends in "
            ".json, else YAML); with --format sarif, write the SARIF log here instead.",
        ),
    ] = None,
    output_format: Annotated[
        ScanFormat,
        typer.Option(
            "--format",
            "-f",
            help="What standard output shows; sarif: a SARIF 2.1.0 log for code scanning.",
        ),
    ] = ScanFormat.table,
    fail_on: Annotated[
        SeverityChoice | None,
        typer.Option(help="Exit 1 when a finding at this severity or above exists."),
    ] = None,
    discover: Annotated[
        bool,
        typer.Option(
            "--discover",
            help="Also scan every client's standard per-user (and system-wide) config places.",
        ),
    ] = False,
    home: Annotated[
        Path | None,
        typer.Option(help="With --discover: the home folder to look in (an offline copy)."),
    ] = None,
    host: Annotated[
        str | None,
        typer.Option(help="The host name recorded in the evidence (default: this machine's)."),
    ] = None,
) -> None:
    """Inventory the MCP servers client configs name; report risky ones. Reads files only.

    mcpscale evidence scan ~/src --discover --output evidence.json
    """
    import socket

    from mcpscale.errors import UserError
    from mcpscale.evidence.scan import scan_paths

    roots = list(paths or [])
    if discover:
        from mcpscale.evidence.discover import standard_locations

        roots.extend(standard_locations(home))
    elif home is not None:
        raise UserError("--home is used with --discover; add --discover")
    if not roots:
        raise UserError("give folders to scan, or --discover for the standard places")
    scanned = scan_paths(roots)
    for problem in scanned.problems:
        typer.echo(f"skipped: {problem}", err=True)
    if output_format is ScanFormat.sarif:
        from mcpscale.render.sarif import sarif_json

        emit(sarif_json(scanned.findings, Path.cwd()), output)
    else:
        _emit_scan(scanned, output, output_format, host or socket.gethostname())
    _gate(scanned.findings, fail_on)


def _emit_scan(
    scanned: ScanResult, output: Path | None, output_format: ScanFormat, host: str
) -> None:
    """The evidence file to --output, and the table or the JSON on standard output."""
    from mcpscale.evidence.scan import evidence_document
    from mcpscale.render.evidence import scan_renderables

    document = evidence_document(scanned, host)
    if output is not None:
        from mcpscale.formats.serialize import to_json
        from mcpscale.inputs.yaml import dump_yaml

        emit(to_json(document) if output.suffix.lower() == ".json" else dump_yaml(document), output)
    if is_stdout(output):
        pass  # the evidence file is standard output: nothing else goes there
    elif output_format is ScanFormat.json:
        from mcpscale.formats.serialize import to_json

        sys.stdout.write(to_json(document))
    else:
        print_renderables(scan_renderables(scanned), None)


@app.command("merge")
def evidence_merge(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Evidence files from `evidence scan`, one a host."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the estate inventory (JSON) here."),
    ] = None,
) -> None:
    """One inventory from many hosts' scans: servers on many hosts versus one (shadow MCP).

    mcpscale evidence merge laptop-*.json --output estate.json
    """
    from mcpscale.evidence.merge import merge_estate
    from mcpscale.formats.serialize import to_json
    from mcpscale.inputs.evidence import read_evidence

    estate = merge_estate(read_evidence(files))
    if not is_stdout(output):
        for host in estate["hosts"]:
            found = ", ".join(f"{n} {s}" for s, n in sorted(host["findings"].items()))
            typer.echo(
                f"{host['host']}: {host['servers']} servers; {found or 'no findings'}", err=True
            )
        typer.echo(
            f"{len(estate['shared'])} servers on more than one host, "
            f"{len(estate['single_host'])} on one host only",
            err=True,
        )
    emit(to_json(estate), output)


@app.command("probe")
def evidence_probe(
    command: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[-- COMMAND [ARGS...]]", help="A stdio server to launch, after --."
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="A streamable-HTTP (or HTTP+SSE) server's endpoint."),
    ] = None,
    transport: Annotated[
        str,
        typer.Option(
            "--transport",
            metavar="auto|http|sse",
            help="For --url: auto takes HTTP+SSE when the path ends in /sse, else streamable HTTP.",
        ),
    ] = "auto",
    from_scan: Annotated[
        list[Path] | None,
        typer.Option(
            "--from",
            metavar="SCAN",
            help="Probe every server a scan's evidence file lists, into one evidence file. "
            "No headers are sent to them.",
        ),
    ] = None,
    allow_stdio: Annotated[
        bool,
        typer.Option(
            "--allow-stdio", help="With --from: also run the scan's stdio servers' commands."
        ),
    ] = False,
    parallel: Annotated[
        int, typer.Option("--parallel", min=1, max=32, help="With --from: servers at once.")
    ] = 4,
    header: Annotated[
        list[str] | None,
        typer.Option(
            "--header",
            "-H",
            metavar="'NAME: VALUE'",
            help="Sent with every request to --url; repeatable. Values never appear in output.",
        ),
    ] = None,
    requests: Annotated[
        int, typer.Option("--requests", "-n", min=1, max=100000, help="Timed requests.")
    ] = 50,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            "-c",
            min=1,
            max=64,
            help="Above 1: after timing one request at a time, time --requests more at "
            "this concurrency (throughput).",
        ),
    ] = 1,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.1, max=3600, help="Seconds for each request."),
    ] = 10.0,
    deadline: Annotated[
        float | None,
        typer.Option(
            "--deadline",
            min=0.1,
            max=86400,
            help="Seconds for the whole probe; what was measured by then is kept and written.",
        ),
    ] = None,
    resource: Annotated[
        str | None,
        typer.Option(
            "--resource", metavar="URI", help="Time resources/read of URI, not tools/list."
        ),
    ] = None,
    ca_file: Annotated[
        Path | None,
        typer.Option(
            "--ca-file", help="PEM file of an internal certificate authority to trust as well."
        ),
    ] = None,
    follow_auth_servers: Annotated[
        bool,
        typer.Option(
            "--follow-auth-servers/--no-follow-auth-servers",
            help="Read the metadata of the authorization servers a server names.",
        ),
    ] = True,
    tool_rules: Annotated[
        list[Path] | None,
        typer.Option("--tool-rules", metavar="FILE", help="More tool-poisoning rules; repeatable."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="OLD",
            help="An earlier probe's evidence file: tools added, removed or changed since "
            "are findings (tool-definition-changed is high when a description changed "
            "without a new server version).",
        ),
    ] = None,
    fail_on: Annotated[
        SeverityChoice | None,
        typer.Option(help="Exit 1 when a finding at this severity or above exists."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the evidence file here.")
    ] = None,
    output_format: Annotated[EvidenceFormat, typer.Option("--format", "-f")] = EvidenceFormat.table,
) -> None:
    """Connect to live MCP servers and measure their protocol, tools, latency and security.

    mcpscale evidence probe --url https://mcp.example.com/mcp --header "Authorization: Bearer $T"

    mcpscale evidence probe -- npx -y @modelcontextprotocol/server-everything@2025.9.12

    mcpscale evidence probe --from scan.json --output estate-probe.json

    mcpscale evidence probe --from scan.json --baseline last-night.json --fail-on high
    """
    from mcpscale.errors import UserError
    from mcpscale.evidence.probe import ProbeOptions, make_target, probe
    from mcpscale.inputs.evidence import load_evidence
    from mcpscale.render.evidence import estate_renderables, evidence_json, probe_renderables

    options = ProbeOptions(
        requests=requests,
        concurrency=concurrency,
        timeout=timeout,
        resource=resource,
        deadline=deadline,
        ca_file=ca_file,
        follow_auth_servers=follow_auth_servers,
        tool_rules=_tool_rules(tool_rules or []),
        baseline=None if baseline is None else load_evidence(baseline),
    )
    if from_scan:
        from mcpscale.evidence.estate import probe_estate

        if url or command or header:
            raise UserError(
                "--from probes the scan's servers: drop --url, --header and -- COMMAND "
                "(no one server's credentials are sent to every server)"
            )
        evidence = probe_estate(from_scan, options, allow_stdio=allow_stdio, parallel=parallel)
    else:
        if allow_stdio:
            raise UserError("--allow-stdio is used with --from")
        evidence = probe(make_target(url, header or [], command or [], transport), options)
    if output is not None:
        emit(evidence_json(evidence), output)
    if is_stdout(output):
        pass  # the evidence file is standard output: nothing else goes there
    elif output_format is EvidenceFormat.json:
        emit(evidence_json(evidence), None)
    elif from_scan:
        print_renderables(estate_renderables(evidence), None)
    else:
        print_renderables(probe_renderables(evidence), None)
    _gate(evidence.findings, fail_on)


def _tool_rules(paths: list[Path]) -> tuple[ToolRule, ...]:
    """The bundled pack's poisoning rules, and those of any --tool-rules files."""
    from mcpscale.inputs.evidence import load_tool_rules

    return tuple(load_tool_rules(paths))


@app.command("diff")
def evidence_diff(
    old: Annotated[Path, typer.Argument(help="The earlier evidence file (the baseline).")],
    new: Annotated[Path, typer.Argument(help="The later evidence file.")],
    output_format: Annotated[EvidenceFormat, typer.Option("--format", "-f")] = EvidenceFormat.table,
    fail_on: Annotated[
        SeverityChoice | None,
        typer.Option(help="Exit 1 when a finding at this severity or above exists."),
    ] = None,
) -> None:
    """Tools added, removed and changed between two probes: the rug-pull check for CI.

    mcpscale evidence diff baseline.json tonight.json --fail-on high
    """
    from mcpscale.evidence.tools import diff_document, inventory_diff
    from mcpscale.inputs.evidence import load_evidence

    diff = inventory_diff(load_evidence(old), load_evidence(new))
    if output_format is EvidenceFormat.json:
        from mcpscale.formats.serialize import to_json

        emit(to_json(diff_document(diff)), None)
    else:
        from mcpscale.render.evidence import diff_renderables

        print_renderables(diff_renderables(diff), None)
    _gate(diff.findings, fail_on)


def _gate(findings: Sequence[Finding], fail_on: SeverityChoice | None) -> None:
    """--fail-on: exit 1 when a finding at that severity or above exists."""
    if fail_on is None:
        return
    from mcpscale.evidence.scan import findings_at_or_above

    failing = findings_at_or_above(list(findings), fail_on.value)
    if failing:
        raise GateFailed(
            f"{len(failing)} finding{'s' * (len(failing) != 1)} at {fail_on.value} "
            "severity or above"
        )
