"""`evidence merge`: many hosts' scans as one estate: per-host counts, shared and shadow servers."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from mcpscale.errors import UserError
from mcpscale.formats.evidence import Evidence, Server


def server_identity(server: Server) -> str:
    """What makes two hosts' servers the same one: the package, else the URL, else the command."""
    if server.package:
        return f"package {_unversioned(server.package)}"
    if server.url:
        return f"url {server.url.rstrip('/')}"
    return "command " + " ".join([server.command or "", *server.args])


def _unversioned(package: str) -> str:
    """`@scope/pkg@1.2` -> `@scope/pkg`, `tool==1.0` -> `tool`: hosts pin different versions."""
    name = package.split("==")[0]
    at = name.rfind("@")
    return name[:at] if at > 0 else name


def merge_estate(evidence_files: list[tuple[Path, Evidence]]) -> dict[str, Any]:
    """One inventory from `kind: evidence` scan files, one per host (the file name if unnamed)."""
    hosts: dict[str, dict[str, Any]] = {}
    seen_on: dict[str, dict[str, Any]] = {}
    for path, evidence in evidence_files:
        if evidence.source != "scan":
            raise UserError.at(path, "is a probe's evidence; merge reads `evidence scan` files")
        host = evidence.host or path.stem
        counts = hosts.setdefault(host, {"host": host, "files": [], "servers": 0, "findings": {}})
        counts["files"].append(str(path))
        counts["servers"] += len(evidence.servers)
        for finding in evidence.findings:
            counts["findings"][finding.severity] = counts["findings"].get(finding.severity, 0) + 1
        for server in evidence.servers:
            identity = server_identity(server)
            entry = seen_on.setdefault(
                identity, {"identity": identity, "names": set(), "clients": set(), "hosts": set()}
            )
            entry["names"].add(server.name)
            entry["clients"].add(server.client or "-")
            entry["hosts"].add(host)
    servers = [
        {
            "identity": e["identity"],
            "names": sorted(e["names"]),
            "clients": sorted(e["clients"]),
            "hosts": sorted(e["hosts"]),
            "host_count": len(e["hosts"]),
        }
        for e in seen_on.values()
    ]
    servers.sort(key=lambda s: (-s["host_count"], s["identity"]))
    by_count: dict[bool, list[str]] = defaultdict(list)
    for merged in servers:
        by_count[merged["host_count"] > 1].append(merged["identity"])
    return {
        "kind": "estate",
        "schema": "mcpscale/estate@1",
        "hosts": sorted(hosts.values(), key=lambda h: h["host"]),
        "servers": servers,
        "shared": by_count[True],
        "single_host": by_count[False],
    }
