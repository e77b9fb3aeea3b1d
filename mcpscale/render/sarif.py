"""Evidence findings as a SARIF 2.1.0 log, for GitHub code scanning and GitLab (pure: no I/O)."""

from __future__ import annotations

import hashlib
import posixpath
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import quote

from mcpscale import __version__
from mcpscale.formats.evidence import Finding, Severity
from mcpscale.formats.serialize import to_json

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "mcpscale/v1"

LEVEL: dict[str, str] = {"high": "error", "medium": "warning", "low": "note"}
# GitHub ranks code-scanning alerts by this CVSS-like number (>= 7.0 high, >= 4.0 medium).
SECURITY_SEVERITY: dict[str, str] = {"high": "8.0", "medium": "5.0", "low": "3.0"}


class RuleText(NamedTuple):
    """What a finding id means and how to fix it: the SARIF rule's texts."""

    name: str
    severity: Severity
    short: str
    full: str
    fix: str


# Every finding id `evidence scan` and `evidence probe` report; tests/test_sarif.py fails when
# the scan gains an id that is missing here. An id not listed still gets a generic rule.
RULES: dict[str, RuleText] = {
    "plaintext-http": RuleText(
        "PlaintextHttp",
        "high",
        "MCP server reached over plain http://",
        "A remote MCP server is configured (or was reached) over http:// on a host other than "
        "loopback, so requests, tool results and any credentials travel unencrypted.",
        "Use an https:// URL; keep http:// for localhost only.",
    ),
    "inline-secret": RuleText(
        "InlineSecret",
        "high",
        "Literal credential in an MCP client config",
        "A token, key or password is written into the config file (env, headers, args or the "
        "URL), so everyone who can read the file or its history holds the credential.",
        "Rotate the credential, then reference it instead: ${env:NAME} or ${input:id}.",
    ),
    "unpinned-package": RuleText(
        "UnpinnedPackage",
        "medium",
        "MCP server package launched without a pinned version",
        "npx, uvx, pipx or docker runs the server's package without an exact version or image "
        "digest, so each launch may run different code than the one reviewed.",
        "Pin an exact version (pkg@1.2.3, pkg==1.2.3) or an image digest (@sha256:...).",
    ),
    "no-auth": RuleText(
        "NoAuth",
        "medium",
        "Remote MCP server without credentials",
        "A remote, non-loopback MCP server has no credential-like header, no token and no "
        "auth block: unless it uses OAuth, anyone who reaches it can use its tools.",
        "Require authentication on the server (OAuth or a token sent from ${env:NAME}).",
    ),
    "duplicate-server": RuleText(
        "DuplicateServer",
        "low",
        "The same MCP server configured in several places",
        "The same URL or package is configured in more than one client config, so versions "
        "and settings drift apart and an inventory counts it twice.",
        "Keep one shared definition, or pin every copy to the same version.",
    ),
    "config-unreadable": RuleText(
        "ConfigUnreadable",
        "low",
        "MCP client config that the scan could not read",
        "A file named like an MCP client configuration could not be understood (invalid "
        "syntax, an unknown shape, unreadable, too large, or not a regular file), so the "
        "servers it names are missing from the inventory.",
        "Fix the file's syntax or shape, or remove it; rerun the scan to inventory it.",
    ),
    "deprecated-transport": RuleText(
        "DeprecatedTransport",
        "low",
        "MCP server on the deprecated HTTP+SSE transport",
        "The server is configured for HTTP with Server-Sent Events, a transport the MCP "
        "specification has deprecated in favour of streamable HTTP; clients are dropping it.",
        "Move the server to streamable HTTP and point the config at its /mcp endpoint.",
    ),
    "broad-filesystem": RuleText(
        "BroadFilesystem",
        "high",
        "Filesystem MCP server given a whole disk or home folder",
        "A filesystem server is allowed into /, a home directory or a whole drive, so any "
        "prompt that reaches it can read or change far more than the task needs.",
        "Give the server only the project folders it needs, read-only where possible.",
    ),
    "privileged-container": RuleText(
        "PrivilegedContainer",
        "high",
        "MCP server container with host-level privileges",
        "The server's container runs --privileged, on the host network, or with the docker "
        "socket mounted, which lets the server control the host it runs on.",
        "Drop --privileged and --network host, and never mount /var/run/docker.sock.",
    ),
    "latency-over-budget": RuleText(
        "LatencyOverBudget",
        "medium",
        "MCP server p95 latency over budget",
        "The probe measured a 95th-percentile latency above the context-retrieval budget.",
        "Cache, move the server closer to its clients, or raise the budget deliberately.",
    ),
    "tls-unverified": RuleText(
        "TlsUnverified",
        "high",
        "MCP server TLS certificate does not verify",
        "The server's TLS certificate failed verification, so clients cannot tell it from an "
        "impostor.",
        "Serve a certificate from a trusted CA that matches the host name.",
    ),
    "certificate-expiring": RuleText(
        "CertificateExpiring",
        "medium",
        "MCP server TLS certificate expires soon",
        "The server's TLS certificate expires within the warning window.",
        "Renew the certificate, and automate renewal.",
    ),
    "no-resource-metadata": RuleText(
        "NoResourceMetadata",
        "medium",
        "MCP server publishes no protected-resource metadata",
        "The server does not publish OAuth protected-resource metadata, so clients cannot "
        "discover how to authenticate.",
        "Serve /.well-known/oauth-protected-resource as the MCP authorization spec describes.",
    ),
    "auth-redirect": RuleText(
        "AuthRedirect",
        "low",
        "MCP server redirects to a login page instead of a 401 challenge",
        "A request without credentials was answered with a redirect (a web login), not a 401 "
        "with a WWW-Authenticate challenge, so MCP clients cannot start the OAuth flow.",
        "Answer MCP requests without a token with 401 and resource_metadata in WWW-Authenticate.",
    ),
    "auth-challenge-incomplete": RuleText(
        "AuthChallengeIncomplete",
        "low",
        "WWW-Authenticate challenge without resource_metadata",
        "The 401 challenge does not name the protected-resource metadata (RFC 9728), so "
        "clients have to guess its well-known location.",
        'Add resource_metadata="https://.../.well-known/oauth-protected-resource/..." to it.',
    ),
    "auth-resource-mismatch": RuleText(
        "AuthResourceMismatch",
        "medium",
        "Protected-resource metadata names another resource",
        "The metadata's `resource` is not the MCP server's canonical URI, so clients refuse it "
        "or request tokens for a different audience.",
        "Set `resource` to the server's URL (lower-case scheme and host, no fragment).",
    ),
    "auth-no-authorization-server": RuleText(
        "AuthNoAuthorizationServer",
        "medium",
        "No usable authorization server",
        "The protected-resource metadata names no authorization server, or the one it names "
        "publishes no RFC 8414 / OpenID discovery metadata for its issuer.",
        "List the issuer in authorization_servers and serve its discovery metadata.",
    ),
    "auth-no-pkce": RuleText(
        "AuthNoPkce",
        "high",
        "Authorization server does not advertise PKCE S256",
        "code_challenge_methods_supported lacks S256, so MCP clients must refuse to use the "
        "authorization server and authorization codes can be intercepted.",
        'Support PKCE and publish "code_challenge_methods_supported": ["S256"].',
    ),
    "auth-no-iss-parameter": RuleText(
        "AuthNoIssParameter",
        "low",
        "Authorization server without the iss response parameter",
        "authorization_response_iss_parameter_supported is not true (RFC 9207), which leaves "
        "clients of several authorization servers open to mix-up attacks.",
        "Return iss in authorization responses and advertise it in the metadata.",
    ),
    "deprecated-feature": RuleText(
        "DeprecatedFeature",
        "medium",
        "MCP server relies on a deprecated feature",
        "The server or its authorization server offers a feature the MCP specification has "
        "deprecated (for example dynamic client registration without client ID metadata "
        "documents), which clients are dropping.",
        "Move to the feature's replacement (client ID metadata documents for registration).",
    ),
}


def _generic_rule(finding_id: str, severity: Severity) -> RuleText:
    """A finding id this table does not know yet: a rule that still says where to look."""
    return RuleText(
        "".join(part.capitalize() for part in finding_id.split("-")) or "Finding",
        severity,
        f"mcpscale finding {finding_id}",
        f"mcpscale reported the finding {finding_id}; the result's message says what it found.",
        "See the message and the README's table of findings for the fix.",
    )


def _rule(finding_id: str, text: RuleText) -> dict[str, Any]:
    return {
        "id": finding_id,
        "name": text.name,
        "shortDescription": {"text": text.short},
        "fullDescription": {"text": text.full},
        "help": {"text": f"{text.full} Fix: {text.fix}"},
        "defaultConfiguration": {"level": LEVEL[text.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[text.severity],
            "tags": ["security", "mcp"],
        },
    }


def artifact_location(path: str, srcroot: PurePath) -> dict[str, str]:
    """The file as SARIF names it: relative to srcroot (uriBaseId %SRCROOT%) when it lies
    inside it, else the path as given (absolute paths as file:// URIs)."""
    given = PurePath(path)
    absolute = given if given.is_absolute() else srcroot / given
    normal = PurePosixPath(posixpath.normpath(absolute.as_posix()))
    root = PurePosixPath(posixpath.normpath(srcroot.as_posix()))
    if normal.is_relative_to(root) and normal != root:
        return {"uri": quote(normal.relative_to(root).as_posix()), "uriBaseId": SRCROOT}
    if given.is_absolute():
        return {"uri": "file://" + quote(normal.as_posix())}
    return {"uri": quote(given.as_posix())}


def _fingerprint(finding_id: str, uri: str, server: str) -> str:
    digest = hashlib.sha256("\0".join((finding_id, uri, server)).encode()).hexdigest()
    return digest[:32]


def sarif_document(findings: Sequence[Finding], srcroot: PurePath) -> dict[str, Any]:
    """The SARIF log of one run: a rule per finding id that can occur, a result per finding.

    srcroot is the absolute folder %SRCROOT% stands for (in CI, the checkout). The log holds
    no absolute path of it, so the same findings give the same log on any machine."""
    rule_texts = dict(RULES)
    for finding in findings:
        if finding.id not in rule_texts:
            rule_texts[finding.id] = _generic_rule(finding.id, finding.severity)
    rule_ids = sorted(rule_texts)
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    seen: Counter[str] = Counter()
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.id,
            "ruleIndex": rule_index[finding.id],
            "level": LEVEL[finding.severity],
            "message": {"text": f"[{finding.server}] {finding.message}"},
        }
        uri = ""
        if finding.location is not None:
            artifact = artifact_location(finding.location.path, srcroot)
            uri = artifact["uri"]
            physical: dict[str, Any] = {"artifactLocation": artifact}
            if finding.location.line is not None:
                physical["region"] = {"startLine": finding.location.line}
            result["locations"] = [{"physicalLocation": physical}]
        key = _fingerprint(finding.id, uri, finding.server)
        seen[key] += 1  # the same rule, file and server twice: tell the two apart, stably
        result["partialFingerprints"] = {FINGERPRINT_KEY: f"{key}:{seen[key]}"}
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mcpscale",
                        "version": __version__,
                        "rules": [_rule(rule_id, rule_texts[rule_id]) for rule_id in rule_ids],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def sarif_json(findings: Sequence[Finding], srcroot: PurePath) -> str:
    """The SARIF log as text: sorted keys, so the same findings give the same bytes."""
    return to_json(sarif_document(findings, srcroot))
