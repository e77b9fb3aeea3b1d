"""The authorization checks against real servers on loopback: what a request without credentials
gets, and the OAuth metadata of a protected server and its authorization server."""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest

from mcpscale.assess.evidence import evidence_facts
from mcpscale.evidence.authz import (
    Era,
    authorization_findings,
    check_authorization,
    parse_challenges,
    resource_matches,
)
from mcpscale.formats.evidence import Authorization, Evidence, Probe, Server

from .conftest import ACME, Cli
from .servers.launch import serving

SCRIPT = "authz_servers.py"
SECRET = "k3y-7c1e0b-never-print-me"
DISCOVER = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "server/discover",
    "params": {
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
            "io.modelcontextprotocol/clientCapabilities": {},
        }
    },
}


def check(url: str, era: Era | None = None, follow: bool = True) -> Authorization:
    call = functools.partial(
        check_authorization,
        url,
        era=era,
        protocol_version=None,
        timeout=5.0,
        verify=True,
        follow_auth_servers=follow,
    )
    return anyio.run(call)


def seen(log: Path) -> list[dict[str, Any]]:
    """What the server logged, one entry per HTTP request."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def finding_ids(url: str, auth: Authorization) -> dict[str, str]:
    return {f.id: f.severity for f in authorization_findings("srv", url, auth)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("authz")


@pytest.fixture(scope="module")
def oauth(folder: Path) -> Iterator[tuple[int, int]]:
    """An authorization server with S256, CIMD and the iss parameter, and the SDK's protected
    MCP server naming it: (authorization server port, MCP server port)."""
    with serving(SCRIPT, "oauth-as", "--log", str(folder / "as.log")) as as_port:
        issuer = f"http://127.0.0.1:{as_port}"
        with serving(SCRIPT, "protected", issuer) as mcp_port:
            yield as_port, mcp_port


@pytest.fixture(scope="module")
def dcr_only_oauth() -> Iterator[int]:
    """The same MCP server naming an authorization server with dynamic registration only."""
    with contextlib.ExitStack() as servers:
        as_port = servers.enter_context(serving(SCRIPT, "oauth-as", "--dcr-only"))
        issuer = f"http://127.0.0.1:{as_port}"
        yield servers.enter_context(serving(SCRIPT, "protected", issuer))


def test_oauth_protected_server_has_every_fact_and_no_finding(oauth: tuple[int, int]) -> None:
    as_port, mcp_port = oauth
    url = f"http://127.0.0.1:{mcp_port}/mcp"
    auth = check(url, era="modern")
    assert auth.model_dump(exclude_defaults=True) == {
        "unauthenticated": "rejected",
        "status": 401,
        "request": "A server/discover request (2026-07-28)",
        "loopback": True,
        "resource_metadata_in_challenge": True,
        "scope_in_challenge": False,  # the SDK's challenge carries no scope
        "protected_resource_metadata": True,
        "resource_matches": True,
        "authorization_servers": [f"http://127.0.0.1:{as_port}"],
        "authorization_server_metadata": True,
        "issuer_matches": True,
        "pkce_s256": True,
        "client_id_metadata_document": True,
        "iss_parameter": True,
        "dynamic_client_registration": False,
    }
    assert authorization_findings("srv", url, auth) == []


def test_not_following_authorization_servers_contacts_none(
    oauth: tuple[int, int], folder: Path
) -> None:
    as_log = folder / "as.log"
    before = len(seen(as_log))
    auth = check(f"http://127.0.0.1:{oauth[1]}/mcp", era="modern", follow=False)
    assert auth.authorization_servers and auth.resource_matches
    assert auth.authorization_server_metadata is None and auth.pkce_s256 is None
    assert len(seen(as_log)) == before


def test_an_authorization_server_with_registration_only_and_no_pkce(dcr_only_oauth: int) -> None:
    url = f"http://127.0.0.1:{dcr_only_oauth}/mcp"
    auth = check(url, era="modern")
    assert auth.authorization_server_metadata is True
    assert (auth.pkce_s256, auth.client_id_metadata_document) == (False, False)
    assert auth.dynamic_client_registration is True
    assert finding_ids(url, auth) == {
        "auth-no-pkce": "high",
        "auth-no-iss-parameter": "low",
        "deprecated-feature": "medium",
    }
    (deprecated,) = [f for f in authorization_findings("srv", url, auth) if f.id.startswith("dep")]
    assert "dynamic client registration only (no client ID metadata documents)" in (
        deprecated.message
    )


def test_a_login_redirect_is_not_an_open_server() -> None:
    with serving(SCRIPT, "login") as port:
        url = f"http://127.0.0.1:{port}/mcp"
        auth = check(url)
    assert (auth.unauthenticated, auth.status) == ("redirect", 302)
    assert auth.redirect_to == f"http://127.0.0.1:{port}/login"  # no query
    assert finding_ids(url, auth) == {"auth-redirect": "low"}


def test_a_key_in_the_url_is_left_off_the_unauthenticated_request(folder: Path) -> None:
    log = folder / "key.log"
    with serving(SCRIPT, "key-in-url", SECRET, "--log", str(log)) as port:
        url = f"http://someone:pa55word@127.0.0.1:{port}/mcp?api_key={SECRET}&region=eu"
        before = len(seen(log))
        auth = check(url, era="modern")
        requests = seen(log)[before:]
        with_key = httpx2.post(
            f"http://127.0.0.1:{port}/mcp?api_key={SECRET}",
            json=DISCOVER,
            headers={
                "Accept": "application/json, text/event-stream",
                "MCP-Protocol-Version": "2026-07-28",
                "Mcp-Method": "server/discover",
            },
        )
    assert with_key.status_code == 200 and "result" in with_key.json()  # the key opens it
    assert (auth.unauthenticated, auth.status) == ("rejected", 401)
    assert auth.query_credentials_removed == ["api_key"]
    assert [(r["http"], r["method"]) for r in requests[:1]] == [("POST", "server/discover")]
    assert requests[0]["query"] == ["region"]  # the other parameters stay
    assert not any("api_key" in r["query"] or r["authorization"] for r in requests)
    findings = authorization_findings("srv", url, auth)
    assert [f.id for f in findings] == ["no-resource-metadata"]
    shown = auth.model_dump_json() + json.dumps([f.model_dump() for f in findings])
    assert SECRET not in shown and "pa55word" not in shown


def test_an_open_modern_server_gets_server_discover(folder: Path) -> None:
    log = folder / "open.log"
    with serving(SCRIPT, "open", "--log", str(log)) as port:
        url = f"http://127.0.0.1:{port}/mcp"
        auth = check(url)
    assert (auth.unauthenticated, auth.status) == ("accepted", 200)
    assert auth.request == "A server/discover request (2026-07-28)"
    assert [(r["http"], r["method"], r["protocol_version"]) for r in seen(log)] == [
        ("POST", "server/discover", "2026-07-28")
    ]
    (finding,) = authorization_findings("srv", url, auth)
    assert (finding.id, finding.severity) == ("no-auth", "low")
    assert "reachable only from this machine" in finding.message


def test_an_open_legacy_only_server_gets_initialize_and_its_session_closed(folder: Path) -> None:
    log = folder / "legacy.log"
    with serving(SCRIPT, "open", "--legacy", "--log", str(log)) as port:
        url = f"http://127.0.0.1:{port}/mcp"
        unknown_era = check(url)
        before = len(seen(log))
        known_era = check(url, era="legacy")
    assert [(r["http"], r["method"]) for r in seen(log)] == [
        ("POST", "server/discover"),  # answered 400, as a 2025 server does
        ("POST", "initialize"),
        ("DELETE", None),
        ("POST", "initialize"),
        ("DELETE", None),
    ]
    assert before == 3
    for auth in (unknown_era, known_era):
        assert (auth.unauthenticated, auth.status) == ("accepted", 200)
        assert auth.request == "An initialize request (2025-06-18)"
    assert finding_ids(url, known_era) == {"no-auth": "low"}


def test_an_open_server_off_this_machine_is_high() -> None:
    auth = Authorization(unauthenticated="accepted", status=200, request="A server/discover req")
    (finding,) = authorization_findings("srv", "https://mcp.example.com/mcp", auth)
    assert (finding.id, finding.severity) == ("no-auth", "high")


@pytest.mark.parametrize("status", [501, 404])
def test_a_plain_web_server_is_an_error_not_open(status: int) -> None:
    with serving(SCRIPT, "plain", str(status)) as port:
        url = f"http://127.0.0.1:{port}/mcp"
        auth = check(url)
    assert (auth.unauthenticated, auth.status) == ("error", status)
    assert auth.protected_resource_metadata is None
    assert authorization_findings("srv", url, auth) == []


def test_challenges_are_read_whatever_their_shape() -> None:
    challenges = parse_challenges(
        [
            'Basic realm="a, b", Bearer error="invalid_token", '
            'resource_metadata="https://h/.well-known/oauth-protected-resource/mcp",'
            'scope=files:read, error_description="say \\"no\\""',
            "Negotiate abc123==",
            "garbage ===, ,",
        ]
    )
    assert challenges["basic"] == {"realm": "a, b"}
    assert challenges["bearer"] == {
        "error": "invalid_token",
        "resource_metadata": "https://h/.well-known/oauth-protected-resource/mcp",
        "scope": "files:read",
        "error_description": 'say "no"',
    }
    assert "negotiate" in challenges


@pytest.mark.parametrize(
    ("resource", "matches"),
    [
        ("https://MCP.example.com:443/mcp", True),  # case and default port aside
        ("https://mcp.example.com/mcp/", True),  # one trailing slash aside
        ("https://mcp.example.com", True),  # the root names every path below it
        ("https://mcp.example.com/other", False),
        ("https://mcp.example.com/mc", False),
        ("http://mcp.example.com/mcp", False),
        ("https://mcp.example.com:8443/mcp", False),
        ("https://mcp.example.com/mcp#x", False),
    ],
)
def test_resource_matches_the_canonical_uri(resource: str, matches: bool) -> None:
    assert resource_matches(resource, "https://mcp.example.com/mcp") is matches


def test_what_the_checks_find_caps_the_answers_it_contradicts(
    cli: Cli, dcr_only_oauth: int, tmp_path: Path
) -> None:
    """Given probes of an open server on loopback and of a server whose authorization server
    lacks PKCE, score holds the answers against them: PKCE caps sign-in and zero trust at 2,
    and the loopback server is not read as an open server on the network (cap 1)."""
    servers, probes, findings = [], [], []
    with serving(SCRIPT, "open") as open_port:
        for name, url in (
            ("local", f"http://127.0.0.1:{open_port}/mcp"),
            ("claims", f"http://127.0.0.1:{dcr_only_oauth}/mcp"),
        ):
            auth = check(url)
            servers.append(Server(name=name, transport="http", url=url))
            probes.append(Probe(server=name, transport="http", authorization=auth))
            findings += authorization_findings(name, url, auth)
    evidence = Evidence(
        kind="evidence",
        source="probe",
        collected_at="2026-08-01",  # type: ignore[arg-type]
        tool="mcpscale test",
        servers=servers,
        findings=findings,
        probes=probes,
    )
    assert "unauthenticated_rejected" not in evidence_facts(evidence)
    path = tmp_path / "probe.json"
    path.write_text(evidence.model_dump_json(by_alias=True))
    scored = cli(
        "score", ACME / "answers", "--profile", ACME / "profile.yaml",
        "--evidence", path, "--format", "json",
    )  # fmt: skip
    assert scored.exit_code == 0, scored.output
    caps = {
        (c["question"], c["finding"], c["supported_level"])
        for c in json.loads(scored.stdout)["evidence_conflicts"]
    }
    assert ("tech.sso-integration", "auth-no-pkce", 2) in caps
    assert not any(level < 2 for _, _, level in caps)
