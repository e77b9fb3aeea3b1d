"""Given a config holding a fake secret in any of the shapes found in the wild, `evidence scan`
flags it `inline-secret` at its line, and no 4-character fragment of it reaches any output:
the table, `--format json`, `--format sarif`, the YAML and JSON evidence files, or standard
error."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path
from typing import Any

import pytest

from .conftest import Cli


def _fake(seed: int, prefix: str = "") -> str:
    """A random-looking secret: no 4-character window of it occurs in text by chance."""
    chars = random.Random(seed).choices(string.ascii_letters + string.digits, k=24)
    return prefix + "".join(chars)


REMOTE = ["-y", "mcp-remote@0.1.18", "https://mcp.vendor.example/mcp"]


# (name, secret, server config with {S} where the secret goes)
CORPUS: list[tuple[str, str, dict[str, Any]]] = [
    ("env DATABASE_URL postgres", "", {"command": "node", "args": ["s.js"],
     "env": {"DATABASE_URL": "postgresql://app:{S}@db.internal:5432/prod"}}),
    ("env mongodb+srv", "", {"command": "node", "args": ["s.js"],
     "env": {"MONGODB_URI": "mongodb+srv://admin:{S}@cluster0.abcd.mongodb.net/app"}}),
    ("env redis no user", "", {"command": "node", "args": ["s.js"],
     "env": {"REDIS_URL": "redis://:{S}@cache.internal:6379/0"}}),
    ("env amqp", "", {"command": "node", "args": ["s.js"],
     "env": {"AMQP_URL": "amqp://guest:{S}@rabbit.internal:5672/"}}),
    ("env mysql DSN url", "", {"command": "node", "args": ["s.js"],
     "env": {"MYSQL_DSN": "mysql://root:{S}@db.internal:3306/app"}}),
    ("env libpq DSN", "", {"command": "node", "args": ["s.js"],
     "env": {"PG_DSN": "host=db.internal user=app password={S} dbname=prod"}}),
    ("env ADO connection string", "", {"command": "dotnet", "args": ["run"],
     "env": {"AZURE_SQL_CONNECTION_STRING":
             "Server=tcp:x.database.windows.net;Database=d;User ID=u;Password={S};"}}),
    ("env DB_PASS", "", {"command": "node", "args": ["s.js"], "env": {"DB_PASS": "{S}"}}),
    ("env MYSQL_PWD", "", {"command": "node", "args": ["s.js"], "env": {"MYSQL_PWD": "{S}"}}),
    ("env PGPASSWORD", "", {"command": "node", "args": ["s.js"], "env": {"PGPASSWORD": "{S}"}}),
    ("env AWS secret", "", {"command": "node", "args": ["s.js"],
     "env": {"AWS_SECRET_ACCESS_KEY": "{S}"}}),
    ("env default of a secret var", "", {"command": "node", "args": ["s.js"],
     "env": {"API_KEY": "${API_KEY:-{S}}"}}),
    ("env default, :=", "", {"command": "node", "args": ["s.js"],
     "env": {"SERVICE_TOKEN": "${SERVICE_TOKEN:={S}}"}}),
    ("env openai key", "sk-proj-", {"command": "node", "args": ["s.js"],
     "env": {"OPENAI_API_KEY": "{S}"}}),
    ("env stripe key", "sk_live_", {"command": "node", "args": ["s.js"],
     "env": {"STRIPE_SECRET_KEY": "{S}"}}),
    ("env gitlab pat", "glpat-", {"command": "node", "args": ["s.js"],
     "env": {"GITLAB_PERSONAL_ACCESS_TOKEN": "{S}"}}),
    ("mcp-remote header Bearer", "", {"command": "npx",
     "args": [*REMOTE, "--header", "Authorization: Bearer {S}"]}),
    ("mcp-remote header escaped space", "", {"command": "npx",
     "args": [*REMOTE, "--header", "Authorization:Bearer\\ {S}"]}),
    ("mcp-remote X-API-Key header", "", {"command": "npx",
     "args": [*REMOTE, "--header", "X-API-Key: {S}"]}),
    ("mcp-remote url query access_token", "", {"command": "npx",
     "args": ["-y", "mcp-remote@0.1.18", "https://mcp.vendor.example/sse?access_token={S}"]}),
    ("server-postgres connection arg", "", {"command": "npx",
     "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2",
              "postgresql://readonly:{S}@db.internal/analytics"]}),
    ("mysql server connection arg", "", {"command": "uvx",
     "args": ["mysql-mcp-server==0.2.1", "mysql://app:{S}@db.internal:3306/app"]}),
    ("--api-key value", "", {"command": "uvx", "args": ["tool==1.0.0", "--api-key", "{S}"]}),
    ("--api-key=value", "", {"command": "uvx", "args": ["tool==1.0.0", "--api-key={S}"]}),
    ("--token value", "", {"command": "node", "args": ["s.js", "--token", "{S}"]}),
    ("--token=value", "", {"command": "node", "args": ["s.js", "--token={S}"]}),
    ("--auth value", "", {"command": "node", "args": ["s.js", "--auth", "{S}"]}),
    ("--password value", "", {"command": "node", "args": ["s.js", "--password", "{S}"]}),
    ("-k value", "", {"command": "node", "args": ["s.js", "-k", "{S}"]}),
    ("-k=value", "", {"command": "node", "args": ["s.js", "-k={S}"]}),
    ("mysql -p value", "", {"command": "mysql", "args": ["-u", "root", "-p", "{S}"]}),
    ("mysql -pVALUE", "", {"command": "mysql", "args": ["-u", "root", "-p{S}"]}),
    ("mongosh -p", "", {"command": "mongosh",
     "args": ["mongodb://db.internal", "-u", "admin", "-p", "{S}"]}),
    ("redis-cli -a", "", {"command": "redis-cli", "args": ["-h", "cache", "-a", "{S}"]}),
    ("docker -e NAME=value", "", {"command": "docker",
     "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN={S}", "ghcr.io/github/mcp@sha256:0f"]}),
    ("--url with api_key", "", {"command": "node",
     "args": ["s.js", "--url", "https://api.vendor.example/v1?api_key={S}"]}),
    ("sh -c one string", "", {"command": "sh", "args": ["-c", "exec server --api-key {S}"]}),
    ("--password=${VAR:-default}", "", {"command": "node",
     "args": ["s.js", "--password=${DB_PASSWORD:-{S}}"]}),
    ("arg default of a token var", "", {"command": "node",
     "args": ["s.js", "${GITHUB_TOKEN:-{S}}"]}),
    ("--connection-string", "", {"command": "node", "args": ["s.js", "--connection-string",
     "Server=db;Database=app;User Id=sa;Password={S};"]}),
    ("url ?key=", "", {"url": "https://maps.vendor.example/mcp?key={S}"}),
    ("url ?sig= (SAS)", "", {"url": "https://acct.blob.example/mcp?sv=2024&sig={S}"}),
    ("url ?signature=", "", {"url": "https://h.vendor.example/mcp?signature={S}"}),
    ("url ?client_secret=", "", {"url": "https://h.vendor.example/mcp?client_secret={S}"}),
    ("url ?auth=", "", {"url": "https://h.vendor.example/mcp?auth={S}"}),
    ("url ?token=", "", {"url": "https://h.vendor.example/mcp?token={S}"}),
    ("url ?apikey=", "", {"url": "https://h.vendor.example/mcp?apikey={S}"}),
    ("url ?password=", "", {"url": "https://h.vendor.example/mcp?user=a&password={S}"}),
    ("url userinfo", "", {"url": "https://bot:{S}@h.vendor.example/mcp"}),
    ("header Authorization Bearer", "", {"url": "https://h.vendor.example/mcp",
     "headers": {"Authorization": "Bearer {S}"}}),
    ("header X-API-Key", "", {"url": "https://h.vendor.example/mcp",
     "headers": {"X-API-Key": "{S}"}}),
    ("header Cookie", "", {"url": "https://h.vendor.example/mcp",
     "headers": {"Cookie": "session={S}"}}),
    ("header Bearer ${VAR:-default}", "", {"url": "https://h.vendor.example/mcp",
     "headers": {"Authorization": "Bearer ${API_TOKEN:-{S}}"}}),
]  # fmt: skip


def _fill(value: Any, secret: str) -> Any:
    if isinstance(value, str):
        return value.replace("{S}", secret)
    if isinstance(value, list):
        return [_fill(v, secret) for v in value]
    return {k: _fill(v, secret) for k, v in value.items()}


def _fragments(secret: str) -> set[str]:
    return {secret[i : i + 4] for i in range(len(secret) - 3)}


def test_the_corpus_is_large_and_its_secrets_do_not_overlap() -> None:
    assert len(CORPUS) >= 40
    secrets = [_fake(i, prefix) for i, (_, prefix, _) in enumerate(CORPUS)]
    assert len(set(secrets)) == len(secrets)


@pytest.mark.parametrize(
    ("seed", "case"), list(enumerate(CORPUS)), ids=[name for name, _, _ in CORPUS]
)
def test_a_secret_is_flagged_at_its_line_and_no_fragment_of_it_is_shown(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, case: tuple
) -> None:
    _, prefix, server = case
    secret = _fake(seed, prefix)
    (tmp_path / "estate").mkdir()
    config = tmp_path / "estate" / ".mcp.json"
    text = json.dumps({"mcpServers": {"under-test": _fill(server, secret)}}, indent=2)
    config.write_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if secret in t)
    monkeypatch.chdir(tmp_path)
    as_json = cli("evidence", "scan", "estate", "--format", "json", "--output", "ev.yaml")
    as_table = cli("evidence", "scan", "estate", "--output", "ev.json")
    as_sarif = cli("evidence", "scan", "estate", "--format", "sarif")
    assert as_json.exit_code == as_table.exit_code == as_sarif.exit_code == 0, as_json.output
    findings = json.loads(as_json.stdout)["findings"]
    assert ("inline-secret", "high", line) in {
        (f["id"], f["severity"], f["location"]["line"]) for f in findings
    }, findings
    outputs = {
        "table": as_table.stdout,
        "json": as_json.stdout,
        "ev.yaml": Path("ev.yaml").read_text(),
        "ev.json": Path("ev.json").read_text(),
        "sarif": as_sarif.stdout,
        "stderr": as_json.stderr + as_table.stderr + as_sarif.stderr,
    }
    for where, output in outputs.items():
        # the public prefix of a token shape (sk-proj-, ghp_) is not secret; the rest is
        shown = sorted(f for f in _fragments(secret[len(prefix) :]) if f in output)
        assert not shown, f"{where} shows {shown}:\n{output}"
