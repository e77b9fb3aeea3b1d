"""`mcpscale evidence probe` against real MCP servers built with the SDK, on loopback only."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcpscale.evidence.loopback import is_loopback
from mcpscale.evidence.probe import load_sdk, percentiles
from mcpscale.evidence.secrets import public_url, redact_args

from . import zygote
from .conftest import Cli
from .servers.launch import free_port, running
from .servers.warm import command

TOKEN = "tok-5f1d9c-never-print-me"
# Over the 200 ms budget on purpose: every request takes at least this long, so the probe must
# report latency-over-budget however fast or busy the machine is.
DELAY_MS = 210.0


@pytest.fixture(scope="module")
def http_server() -> Iterator[str]:
    """The SDK's streamable-HTTP server with bearer auth and a slow tools/list."""
    yield from _serve(TOKEN, DELAY_MS)


@pytest.fixture(scope="module")
def open_http_server() -> Iterator[str]:
    """The same server with no authentication at all and no delay."""
    yield from _serve("-", 0)


@pytest.fixture(scope="module")
def self_signed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The open server over https with a self-signed certificate for 127.0.0.1."""
    folder = tmp_path_factory.mktemp("tls")
    certfile, keyfile = _self_signed_certificate(folder)
    for url in _serve("-", 0, certfile, keyfile):
        yield url.replace("http://", "https://")


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=10))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


def _serve(token: str, delay_ms: float, *tls_files: Path) -> Iterator[str]:
    port = free_port()
    arguments = [str(port), token, str(delay_ms), *map(str, tls_files)]
    with running(command("http_server.py", *arguments), port, "http_server.py"):
        yield f"http://127.0.0.1:{port}/mcp"


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP listener on loopback that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


def _auth() -> tuple[str, str]:
    return "--header", f"Authorization: Bearer {TOKEN}"


def test_stdio_server_handshake_and_latency(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "probe.json"
    result = cli(
        "evidence", "probe", "--requests", "10", "--output", out,
        "--", *command("stdio_server.py"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "probe-stdio-fixture 1.2.3" in result.stdout
    evidence = json.loads(out.read_text())
    assert evidence["schema"] == "mcpscale/evidence@2" and evidence["kind"] == "evidence"
    assert evidence["source"] == "probe"
    (measured,) = evidence["probes"]
    assert measured["server_name"] == "probe-stdio-fixture"
    assert measured["listed"]["tools"] == 2 and measured["listed"]["resources"] == 1
    assert "tools" in measured["capabilities"]
    assert measured["latency"]["requests"] == 10
    assert "tls" not in measured and "authorization" not in measured
    assert evidence["servers"][0]["transport"] == "stdio"
    assert evidence["findings"] == []


def test_stdio_resource_read_is_timed_when_asked(cli: Cli) -> None:
    result = cli(
        "evidence", "probe", "--requests", "5", "--resource", "fixture://readme", "-f", "json",
        "--", *command("stdio_server.py"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["probes"][0]["latency"]["requests"] == 5


def test_http_server_facts_latency_and_auth(
    cli: Cli, http_server: str, open_http_server: str, tmp_path: Path
) -> None:
    # 5 sequential requests hold the slow server for over a second: a generous overall timeout
    # keeps a busy machine from turning this into a timeout (tested on its own below).
    timing = ("--requests", "5", "--concurrency", "1", "--timeout", "60")
    out = tmp_path / "probe.json"
    result = cli(
        "evidence", "probe", "--url", http_server, *_auth(), *timing,
        "--output", out, "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    evidence = json.loads(out.read_text())
    assert json.loads(result.stdout) == evidence
    (measured,) = evidence["probes"]
    assert measured["server_name"] == "probe-http-fixture" and measured["listed"]["tools"] == 1
    assert measured["protocol_version"]
    latency = measured["latency"]
    # The same probe of the same server without the delay, in this run and under this run's
    # load, is the floor: what the SDK, loopback and this machine add to every request.
    floor = cli("evidence", "probe", "--url", open_http_server, *timing, "--format", "json")
    assert floor.exit_code == 0, floor.output
    floor_max = json.loads(floor.stdout)["probes"][0]["latency"]["max_ms"]
    # The server's own time is counted, in milliseconds, once per request and nothing else is:
    # no request beats the delay, and the median adds at most the floor's worst plus 50 ms.
    assert DELAY_MS <= latency["p50_ms"] <= DELAY_MS + floor_max + 50, (latency, floor_max)
    assert latency["p50_ms"] <= latency["p95_ms"] <= latency["max_ms"], latency
    auth = measured["authorization"]
    assert auth["unauthenticated"] == "rejected" and auth["status"] == 401
    assert measured["tls"] is False and auth["protected_resource_metadata"] is False
    ids = [f["id"] for f in evidence["findings"]]
    assert "no-auth" not in ids and "plaintext-http" not in ids  # loopback, and auth holds
    assert ids == ["latency-over-budget", "no-resource-metadata"]
    assert TOKEN not in result.output and TOKEN not in out.read_text()


def test_a_server_that_accepts_anyone_gets_a_no_auth_finding_low_on_loopback(
    cli: Cli, open_http_server: str
) -> None:
    result = cli("evidence", "probe", "--url", open_http_server, "--requests", "5", "-f", "json")
    assert result.exit_code == 0, result.output
    evidence = json.loads(result.stdout)
    assert evidence["probes"][0]["authorization"]["unauthenticated"] == "accepted"
    # reachable from this machine only: the shared loopback rule keeps it low
    assert [(f["id"], f["severity"]) for f in evidence["findings"]] == [("no-auth", "low")]


def test_a_certificate_that_does_not_verify_stops_the_probe_before_any_request(
    cli: Cli, self_signed_server: str
) -> None:
    result = cli("evidence", "probe", "--url", self_signed_server, "--timeout", "5")
    assert result.exit_code == 2
    assert "the TLS certificate does not verify" in result.stderr
    assert "self-signed" in result.stderr or "self signed" in result.stderr


def test_http_table_never_shows_the_token(cli: Cli, http_server: str) -> None:
    result = cli("evidence", "probe", "--url", http_server, *_auth(), "--requests", "1")
    assert result.exit_code == 0, result.output
    assert "rejected (HTTP 401)" in result.stdout
    assert "Authorization" not in result.output and TOKEN not in result.output


def test_http_without_or_with_wrong_credentials_is_one_clear_error(
    cli: Cli, http_server: str
) -> None:
    result = cli("evidence", "probe", "--url", http_server, "--requests", "3")
    assert result.exit_code == 2
    assert "answered HTTP 401: it requires credentials" in result.stderr
    wrong = cli(
        "evidence", "probe", "--url", http_server, "--header", "Authorization: Bearer nope-xyz"
    )
    assert wrong.exit_code == 2 and "credentials given were refused" in wrong.stderr
    assert "nope-xyz" not in wrong.output and "Traceback" not in wrong.output


def test_a_server_that_never_answers_times_out_within_the_timeout(
    cli: Cli, silent_port: int
) -> None:
    # It never answers: the shortest timeout proves the timeout path as well as a long one.
    load_sdk()  # a first import in this process is before the probe's clock, and this one's
    start = time.monotonic()
    result = cli(
        "evidence", "probe", "--url", f"http://127.0.0.1:{silent_port}/mcp", "--timeout", "0.2"
    )
    elapsed = time.monotonic() - start
    assert result.exit_code == 2
    assert elapsed < 0.2 + 3, elapsed
    assert "did not answer within --timeout (0.2 s)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_sdks_first_import_is_not_counted_against_the_timeout(
    open_http_server: str, tmp_path: Path
) -> None:
    """`mcpscale evidence probe` in a new process imports the MCP SDK first: a second or more,
    which is the probe's own time. A server that answers at once passes a short --timeout."""
    env = {**os.environ, "NO_COLOR": "1"}
    args = ["evidence", "probe", "--url", open_http_server, "--timeout", "0.5", "-n", "1"]
    run = zygote.shared().run(args, cwd=tmp_path, env=env, timeout=60)
    assert run.code == 0, run.err
    assert "probe-http-fixture" in run.out


def test_a_stdio_command_that_never_answers_times_out(cli: Cli) -> None:
    # It ignores its stdin closing too: after the SDK's 2 s grace, a SIGTERM ends it. The
    # probe takes 0.2 s, that grace and time to spare (4 s in all, as ever), not the 30 s.
    load_sdk()  # a first import in this process is before the probe's clock, and this one's
    start = time.monotonic()
    result = cli(
        "evidence", "probe", "--timeout", "0.2",
        "--", sys.executable, "-c", "import time; time.sleep(30)",
    )  # fmt: skip
    assert result.exit_code == 2 and time.monotonic() - start < 4
    assert "did not answer" in result.stderr


def test_a_refused_port_is_one_clear_message(cli: Cli) -> None:
    port = free_port()  # nothing listens there now
    result = cli("evidence", "probe", "--url", f"http://127.0.0.1:{port}/mcp", "--timeout", "5")
    assert result.exit_code == 2
    assert "could not connect" in result.stderr and "is the server running" in result.stderr
    assert "Traceback" not in result.output


def test_a_stdio_server_that_dies_says_what_it_printed(cli: Cli) -> None:
    result = cli(
        "evidence", "probe", "--timeout", "5",
        "--", sys.executable, "-c", "import sys; sys.exit('not an MCP server, sorry')",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "not an MCP server, sorry" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either --url URL or -- COMMAND"),
        (
            ["--url", "http://127.0.0.1:1/mcp", "--", "python"],
            "give either --url URL or -- COMMAND",
        ),
        (["--url", "ftp://127.0.0.1/mcp"], "must be an http:// or https:// URL"),
        (["--url", "http://127.0.0.1:1/mcp", "--header", "no colon"], "'Name: value'"),
        (["--header", "X-Key: v", "--", "python"], "--header only applies to --url"),
        (["--", "no-such-command-mcpscale"], "command not found"),
    ],
)
def test_usage_errors(cli: Cli, args: list[str], message: str) -> None:
    result = cli("evidence", "probe", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_percentiles_of_known_durations() -> None:
    latency = percentiles([float(n) for n in range(1, 101)])
    assert (latency.p50_ms, latency.p95_ms, latency.p99_ms, latency.max_ms) == (
        50.5, 95.0, 99.0, 100.0,
    )  # fmt: skip


def test_urls_and_arguments_lose_their_secrets() -> None:
    assert public_url("https://u:pw@mcp.example.com:8443/mcp?api_key=k#x") == (
        "https://mcp.example.com:8443/mcp"
    )
    assert redact_args(["--api-key", "k1", "TOKEN=abc", "--port", "8080"]) == [
        "--api-key", "<redacted>", "TOKEN=<redacted>", "--port", "8080",
    ]  # fmt: skip


def test_help_does_not_import_the_mcp_sdk() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from mcpscale.cli import app\n"
        "for args in (['--help'], ['evidence', '--help'], ['evidence', 'probe', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'mcp', 'httpx2', 'numpy'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("localhost", True),
     ("10.0.0.5", False), ("mcp.example.com", False), ("localhost.evil.com", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_plain_http_to_another_host_is_a_high_finding_without_touching_it() -> None:
    from mcpscale.evidence.probe import ProbeTarget, _findings, _Observed
    from mcpscale.formats.evidence import Probe

    measured = Probe(server="srv", transport="http", tls=False)
    target = ProbeTarget(url="http://mcp.example.com/mcp")
    assert [(f.id, f.severity) for f in _findings(target, measured, _Observed())] == [
        ("plaintext-http", "high")
    ]


def test_a_forked_test_server_stands_and_falls_with_its_launcher() -> None:
    """The launcher these tests start a server through (tests/servers/warm.py) is the server
    to whoever started it: the server's exit status is its own, the server answers on its
    streams, a SIGTERM reaches the server, and killing the launcher kills the server."""
    exited = subprocess.run(
        command("stdio_misbehaving.py", "exit"), capture_output=True, text=True, timeout=30
    )
    assert exited.returncode == 3, exited
    assert "fatal: upstream refused the connection" in exited.stderr
    initialize = {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "test", "version": "1"}},
    }  # fmt: skip
    for stop, code in (
        (subprocess.Popen.terminate, -signal.SIGTERM),
        (subprocess.Popen.kill, -signal.SIGKILL),
    ):
        with subprocess.Popen(
            command("stdio_server.py"), stdin=subprocess.PIPE, stdout=subprocess.PIPE
        ) as server:
            assert server.stdin is not None and server.stdout is not None
            server.stdin.write(json.dumps(initialize).encode() + b"\n")
            server.stdin.flush()
            assert b'"probe-stdio-fixture"' in server.stdout.readline()
            stop(server)
            assert server.wait(timeout=10) == code
            # The server held the only other end of its stdout: it ends when the server does.
            assert select.select([server.stdout], [], [], 10)[0] and server.stdout.read() == b""
