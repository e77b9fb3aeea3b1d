"""`evidence scan`: inventory the MCP servers client configs name, and what is risky about them.

Reads files only: nothing found is executed or contacted, no path outside the given roots is
followed, and no secret value leaves this module (records and messages carry "<redacted>").
"""

from __future__ import annotations

import itertools
import json
import os
import re
import stat
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from mcpscale import __version__
from mcpscale.errors import Problem, UserError
from mcpscale.evidence.clients import TAIL_PARTS, ClientFormat, client_format_for, known_paths
from mcpscale.evidence.loopback import is_loopback
from mcpscale.evidence.packages import Launch, _package_name, launched
from mcpscale.evidence.secrets import (
    REDACTED,
    SECRET_NAME,
    is_literal_secret,
    redact_text,
    redact_url,
    scan_args,
)
from mcpscale.formats.evidence import (
    SEVERITY_ORDER,
    Evidence,
    Finding,
    ScanResult,
    Server,
    Severity,
    SourceLocation,
)
from mcpscale.inputs.jsonc import JsoncError, Path_, parse_jsonc
from mcpscale.inputs.reader import NotRegularFile, file_kind, read_at_most


def evidence_document(scanned: ScanResult, host: str | None = None) -> dict[str, Any]:
    """The `kind: evidence` document (source scan), ready for to_json or dump_yaml."""
    from mcpscale.inputs.clock import today

    evidence = Evidence(
        kind="evidence",
        source="scan",
        collected_at=today(),
        tool=f"mcpscale {__version__}",
        host=host,
        servers=scanned.servers,
        findings=scanned.findings,
    )
    return evidence.model_dump(mode="json", by_alias=True, exclude_none=True)


def findings_at_or_above(findings: list[Finding], severity: str) -> list[Finding]:
    return [f for f in findings if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[severity]]


MAX_PLACES_SHOWN = 3  # a duplicate's message names this many other places, then counts
MAX_CONFIG_BYTES = 1_000_000
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__"})

SEVERITY: dict[str, Severity] = {
    "plaintext-http": "high",
    "inline-secret": "high",
    "broad-filesystem": "high",
    "privileged-container": "high",
    "unpinned-package": "medium",
    "no-auth": "medium",
    "deprecated-transport": "low",
    "duplicate-server": "low",
    "config-unreadable": "low",
}
# stdio servers that forward to a remote server whose URL is one of their arguments
BRIDGES = frozenset(
    {"mcp-remote", "mcp-proxy", "supergateway", "mcp-stdio-to-streamable-http-adapter"}
)
FILESYSTEM_SERVERS = frozenset({"server-filesystem", "mcp-server-filesystem", "mcp/filesystem"})
# /, a home directory (or all of them) or a whole drive; a folder inside one is fine
_BROAD_PATH = re.compile(
    r"^(/|~|\$HOME|\$\{HOME\}|\$\{env:HOME\}|\$\{userHome\}|%USERPROFILE%|/root"
    r"|/home(/[^/]+)?|/Users(/[^/]+)?|[A-Za-z]:|[A-Za-z]:[\\/]Users([\\/][^\\/]+)?)[\\/]*$"
)


class _Entry(NamedTuple):
    """A server as read, before redaction; stays inside this module."""

    server: Server
    identity: str | None


def scan_paths(roots: Sequence[Path]) -> ScanResult:
    """Scan every client config under the roots; bad files become problems, not errors."""
    for root in roots:
        if not root.exists():
            raise UserError.at(root, "no such file or directory; give folders to scan")
    result = ScanResult()
    entries: list[_Entry] = []
    for path, client_format in _config_files(roots, result.problems):
        entries.extend(_scan_file(path, client_format, result))
    _duplicates(entries, result)
    result.servers = sorted((e.server for e in entries), key=_server_key)
    result.findings.sort(key=_finding_key)
    result.problems.sort(key=lambda p: p.sort_key)
    return result


def _server_key(server: Server) -> tuple[str, int, str]:
    location = server.location or SourceLocation(path="")
    return location.path, location.line or 0, server.name


def _finding_key(finding: Finding) -> tuple[str, int, str, str]:
    location = finding.location or SourceLocation(path="")
    return location.path, location.line or 0, finding.id, finding.server


def _config_files(
    roots: Sequence[Path], problems: list[Problem]
) -> Iterator[tuple[Path, ClientFormat]]:
    """Config files under the roots, once each; symlinks followed only inside the roots."""
    real_roots = [os.path.realpath(root) for root in roots]
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()

    def skip(path: str, why: str) -> None:
        problems.append(Problem(path, None, None, why))

    def inside(real: str) -> bool:
        return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in real_roots)

    def visit(
        path: str, tail: tuple[str, ...], real: str | None, is_root: bool
    ) -> Iterator[tuple[Path, ClientFormat]]:
        if real is None or os.path.islink(path):
            try:
                real = str(Path(path).resolve(strict=True))
            except (OSError, RuntimeError):
                return skip(path, "symlink loop or broken link; skipped")
            if not inside(real):
                return skip(path, "symlink leads outside the scanned folders; skipped")
        try:
            mode = os.stat(real).st_mode
        except OSError as exc:
            return skip(path, f"cannot read: {exc.strerror}")
        if stat.S_ISDIR(mode):
            if real in seen_dirs:
                if os.path.islink(path):
                    skip(path, "symlink loop (folder seen already); skipped")
                return None
            seen_dirs.add(real)
            try:
                children = sorted(os.listdir(real))
            except OSError as exc:
                return skip(path, f"cannot list: {exc.strerror}")
            for name in children:
                if name not in SKIPPED_DIRS:
                    child_tail = (*tail[1 - TAIL_PARTS :], name)
                    yield from visit(
                        os.path.join(path, name), child_tail, os.path.join(real, name), False
                    )
        elif stat.S_ISREG(mode):
            client_format = client_format_for(tail)
            if client_format is None and is_root:
                skip(path, f"not a client config file this scan knows ({known_paths()}); skipped")
            if client_format is not None and real not in seen_files:
                seen_files.add(real)
                yield Path(path), client_format
        elif client_format_for(tail) is not None and real not in seen_files:
            seen_files.add(real)  # read as a config: a FIFO or device is refused, and listed
            yield Path(path), client_format_for(tail)  # type: ignore[misc]
        elif is_root:
            # a FIFO would block and a device never ends: say so instead of reading it
            skip(path, f"not a regular file ({file_kind(mode)}); skipped")
        return None

    for root, real_root in zip(roots, real_roots, strict=True):
        yield from visit(str(root), Path(real_root).parts[-TAIL_PARTS:], None, True)


def _scan_file(path: Path, client_format: ClientFormat, result: ScanResult) -> list[_Entry]:
    """The servers one config file names; a file not understood is a config-unreadable finding."""
    shown = str(path)
    try:
        data = read_at_most(path, MAX_CONFIG_BYTES + 1)
    except NotRegularFile as exc:
        return _unreadable(result, shown, "not a regular file", f"not a regular file ({exc.kind})")
    except OSError as exc:
        return _unreadable(result, shown, "unreadable", f"cannot read: {exc.strerror}")
    if len(data) > MAX_CONFIG_BYTES:
        return _unreadable(result, shown, "too big", "larger than 1 MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _unreadable(result, shown, "invalid syntax", "not UTF-8 text")
    try:
        document, locate = _parse(text, shown, client_format)
    except _NotUnderstood as exc:
        return _unreadable(result, shown, "invalid syntax", exc.reason, exc.line, exc.column)
    maps = list(_server_maps(document, client_format.servers_at, ()))
    if not maps and (client_format.dedicated or not isinstance(document, dict | None)):
        keys = " or ".join("'" + ".".join(k) + "'" for k in client_format.servers_at)
        return _unreadable(
            result,
            shown,
            "unknown shape",
            f"no {keys} holding servers ({client_format.client})",
        )
    result.files += 1
    entries = []
    for at, servers in maps:
        for name, base, config in _server_configs(
            servers, at, client_format, shown, locate, result
        ):
            if not isinstance(config, dict):
                result.problems.append(
                    Problem(shown, locate(base), None, f"server '{name}' is not an object; skipped")
                )
                continue
            if _not_a_server(config):
                continue
            config, renamed = _canonical(config, client_format)
            lines = _ServerLines(locate, base, renamed)
            entry = _ServerReader(shown, client_format, name, lines, result, base).read(config)
            if entry is not None:
                entries.append(entry)
    return entries


class _NotUnderstood(Exception):
    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


Locate = Callable[[Path_], "int | None"]


def _parse(text: str, shown: str, client_format: ClientFormat) -> tuple[Any, Locate]:
    """The document and a function from a key path to its line; _NotUnderstood if invalid."""
    if client_format.syntax == "yaml":
        from mcpscale.inputs.yaml import parse_yaml

        try:
            parsed = parse_yaml(text, Path(shown))
        except UserError as exc:
            first = exc.problems[0] if exc.problems else Problem(shown, None, None, str(exc))
            raise _NotUnderstood(first.message, first.line, first.column) from None

        def locate_yaml(key_path: Path_) -> int | None:
            found = parsed.locate(key_path, key=True)
            return found[0] if found else None

        return parsed.data, locate_yaml
    if client_format.syntax == "toml":
        import tomllib

        try:
            return tomllib.loads(text), _toml_locator(text)
        except tomllib.TOMLDecodeError as exc:
            # tomllib's message ends "(at line L, column C)": keep the place, not the text
            match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            reason = re.sub(r"\s*\(at .*\)$", "", str(exc))
            line, column = (int(match[1]), int(match[2])) if match else (None, None)
            raise _NotUnderstood(f"invalid TOML: {reason}", line, column) from None
    try:
        parsed_json = parse_jsonc(text)
    except JsoncError as exc:
        raise _NotUnderstood(f"invalid JSON/JSONC: {exc.reason}", exc.line, exc.column) from None
    return parsed_json.value, parsed_json.lines.get


_TOML_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_TOML_KEY_PART = re.compile(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)")
_TOML_ASSIGN = re.compile(r"^\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*=")


def _toml_key(text: str) -> tuple[str, ...]:
    return tuple(m[1] or m[2] or m[3] or "" for m in _TOML_KEY_PART.finditer(text) if m[0])


def _toml_locator(text: str) -> Locate:
    """tomllib keeps no lines: find a table's `[a.b]` header, and a key's `key =` below it."""
    source_lines = text.splitlines()
    headers: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(source_lines, 1):
        match = _TOML_HEADER.match(line)
        if match:
            headers.setdefault(_toml_key(match[1]), number)

    def locate(key_path: Path_) -> int | None:
        keys = tuple(str(k) for k in key_path)
        for length in range(len(keys), 0, -1):
            header = headers.get(keys[:length])
            if header is None:
                continue
            if length == len(keys):
                return header
            for number in range(header + 1, len(source_lines) + 1):
                line = source_lines[number - 1]
                if _TOML_HEADER.match(line):
                    break
                assign = _TOML_ASSIGN.match(line)
                if assign and (assign[1] or assign[2] or assign[3]) == keys[length]:
                    return number
            return header
        return None

    return locate


def _server_maps(
    document: Any, keys: Sequence[tuple[str, ...]], at: Path_
) -> Iterator[tuple[Path_, Any]]:
    """(key path, value) of each place a server map may be; `*` matches any key."""
    for key_path in keys:
        yield from _walk(document, key_path, at)


def _walk(node: Any, keys: tuple[str, ...], at: Path_) -> Iterator[tuple[Path_, Any]]:
    if not keys:
        yield at, node
        return
    if not isinstance(node, dict):
        return
    head, rest = keys[0], keys[1:]
    if head == "*":
        for key, value in node.items():
            yield from _walk(value, rest, (*at, key))
    elif head in node:
        yield from _walk(node[head], rest, (*at, head))


def _server_configs(
    servers: Any,
    at: Path_,
    client_format: ClientFormat,
    shown: str,
    locate: Locate,
    result: ScanResult,
) -> Iterator[tuple[str, Path_, Any]]:
    """(name, key path, config) of each server in a map, or in a list of {name: ...}."""
    if isinstance(servers, dict):
        for name, config in servers.items():
            yield str(name), (*at, name), config
    elif isinstance(servers, list) and client_format.shape == "list":
        for index, config in enumerate(servers):
            name = config.get("name") if isinstance(config, dict) else None
            if isinstance(name, str):
                yield name, (*at, index), config
            else:
                result.problems.append(
                    Problem(
                        shown,
                        locate((*at, index)),
                        None,
                        f"server {index + 1} has no name; skipped",
                    )
                )
    elif servers is not None:
        kind = "a list" if client_format.shape == "list" else "an object"
        result.problems.append(
            Problem(shown, locate(at), None, f"'{'.'.join(map(str, at))}' is not {kind}; skipped")
        )


def _not_a_server(config: dict[str, Any]) -> bool:
    """Goose's built-in extensions and Zed's extension servers launch nothing a scan can see."""
    if config.get("type") in ("builtin", "platform"):
        return True
    return "settings" in config and not any(k in config for k in ("command", "url", "cmd"))


_Renamed = dict[str, tuple[Path_, int]]


def _canonical(
    config: dict[str, Any], client_format: ClientFormat
) -> tuple[dict[str, Any], _Renamed]:
    """The server's keys as the scan reads them, and where each renamed key was in the file."""
    config = dict(config)
    renamed: _Renamed = {}
    for theirs, ours in client_format.aliases:
        if theirs in config and ours not in config:
            config[ours] = config.pop(theirs)
            renamed[ours] = ((theirs,), 0)
    command = config.get("command")
    if isinstance(command, dict):  # Zed: "command": {"path": ..., "args": [...], "env": {...}}
        for ours, theirs in (("command", "path"), ("args", "args"), ("env", "env")):
            if theirs in command:
                config[ours] = command[theirs]
                renamed[ours] = (("command", theirs), 0)
    elif isinstance(command, list) and command:  # OpenCode: "command": ["npx", "-y", "pkg"]
        config["command"], config["args"] = command[0], command[1:]
        renamed["args"] = (("command",), 1)
    return config, renamed


class _ServerLines:
    """Lines by key path for one server, finding a renamed key where the file has it."""

    def __init__(self, locate: Locate, base: Path_, renamed: _Renamed) -> None:
        self.locate = locate
        self.base = base
        self.renamed = renamed

    def get(self, key_path: Path_) -> int | None:
        depth = len(self.base)
        if len(key_path) > depth and key_path[:depth] == self.base:
            key = key_path[depth]
            if isinstance(key, str) and key in self.renamed:
                theirs, offset = self.renamed[key]
                rest = key_path[depth + 1 :]
                if rest and isinstance(rest[0], int):
                    rest = (rest[0] + offset, *rest[1:])
                key_path = (*self.base, *theirs, *rest)
        return self.locate(key_path)


def _unreadable(
    result: ScanResult,
    shown: str,
    why: str,
    message: str,
    line: int | None = None,
    column: int | None = None,
) -> list[_Entry]:
    """A file that looks like an MCP config but is not understood: listed, never silent."""
    result.problems.append(Problem(shown, line, column, f"{message}; skipped"))
    result.unreadable[why] = result.unreadable.get(why, 0) + 1
    result.findings.append(
        Finding(
            id="config-unreadable",
            severity=SEVERITY["config-unreadable"],
            server="-",
            message=f"{message}; its servers are not in this inventory",
            location=SourceLocation(path=shown, line=line),
        )
    )
    return []


class _ServerReader:
    """Reads one server entry: its record (redacted) and its findings."""

    def __init__(
        self,
        path: str,
        client_format: ClientFormat,
        name: str,
        lines: _ServerLines,
        result: ScanResult,
        base: Path_,
    ) -> None:
        self.path = path
        self.client_format = client_format
        self.name = name
        self.lines = lines
        self.result = result
        self.base = base

    def line(self, *keys: str | int) -> int | None:
        return self.lines.get((*self.base, *keys)) or self.lines.get(self.base)

    def location(self, *keys: str | int) -> SourceLocation:
        return SourceLocation(path=self.path, line=self.line(*keys))

    def find(self, rule: str, message: str, *keys: str | int) -> None:
        self.result.findings.append(
            Finding(
                id=rule,
                severity=SEVERITY[rule],
                server=self.name,
                message=message,
                location=self.location(*keys),
            )
        )

    def read(self, config: dict[str, Any]) -> _Entry | None:
        url = config.get("url", config.get("serverUrl"))
        url_key = "url" if "url" in config else "serverUrl"
        command = config.get("command")
        env = _string_map(config.get("env"))
        headers = _string_map(config.get("headers"))
        raw_args = config.get("args")
        args = [_arg_text(a) for a in raw_args] if isinstance(raw_args, list) else []
        for name, value in sorted(env.items()):
            self._check_named("env", name, value, "env", name)
        for name, value in sorted(headers.items()):
            self._check_named("header", name, value, "headers", name)
        if isinstance(url, str):
            return self._remote(config, url, url_key, headers)
        if isinstance(command, str):
            return self._stdio(command, args)
        self.result.problems.append(
            Problem(self.path, self.line(), None, f"server '{self.name}' has no command or url")
        )
        return None

    def _check_named(self, what: str, name: str, value: str, *keys: str | int) -> None:
        if is_literal_secret(name, value):
            reference = f"${{env:{name}}}" if what == "env" else "${env:NAME}"
            self.find(
                "inline-secret",
                f"{what} {name} is a literal credential ({REDACTED}); use {reference} "
                "or ${input:...}",
                *keys,
            )

    def _remote(
        self, config: dict[str, Any], url: str, url_key: str, headers: dict[str, str]
    ) -> _Entry:
        parts = urlsplit(url)
        declared = "type" if "type" in config else "transport"
        sse = config.get(declared) == "sse" or parts.path.rstrip("/").endswith("/sse")
        transport = "sse" if sse else "http"
        if sse:
            self.find(
                "deprecated-transport",
                "HTTP+SSE transport, deprecated by the MCP specification; "
                "use streamable HTTP (type: http)",
                declared if config.get(declared) == "sse" else url_key,
            )
        shown_url, url_secrets = redact_url(url)
        for what in url_secrets:
            self.find(
                "inline-secret",
                f"url {what} is a literal credential ({REDACTED}); send a header "
                "from ${env:NAME} instead",
                url_key,
            )
        loopback = is_loopback(parts.hostname)
        if parts.scheme == "http" and not loopback:
            self.find(
                "plaintext-http",
                f"plain http:// to {parts.hostname}; use https://",
                url_key,
            )
        has_auth = (
            any(SECRET_NAME.search(h.replace("-", "_")) for h in headers)
            or bool(url_secrets)
            or any(k in config for k in ("auth", "oauth"))
        )
        if not has_auth and not loopback:
            self.find(
                "no-auth",
                "no credentials configured; unless it uses OAuth, anyone who reaches it can use it",
            )
        server = Server(
            name=self.name,
            transport=transport,
            url=shown_url,
            client=self.client_format.client,
            location=self.location(),
        )
        return _Entry(server, "url " + _url_identity(shown_url))

    def _stdio(self, command: str, args: list[str]) -> _Entry:
        shown_args = []
        for index, (shown, secret_in) in enumerate(scan_args(command, args)):
            shown_args.append(shown)
            if secret_in:
                self.find(
                    "inline-secret",
                    f"argument {index + 1} ({secret_in}) is a literal credential "
                    f"({REDACTED}); pass it in env from ${{env:NAME}}",
                    "args",
                    index,
                )
        launch = launched(command, args)
        identity = None
        package = None
        if launch is not None:
            package = redact_text(launch.package)[0]
            identity = f"package {launch.runner} {_package_name(launch.runner, package)}"
            if not launch.pinned:
                fix = "a digest (@sha256:...)" if launch.runner == "docker" else "an exact version"
                self.find(
                    "unpinned-package",
                    f"{launch.runner} runs {package} unpinned; pin {fix}",
                    "args",
                    launch.at,
                )
            self._launched_risks(launch, args)
        server = Server(
            name=self.name,
            transport="stdio",
            command=redact_text(command)[0],
            args=shown_args,
            package=package,
            client=self.client_format.client,
            location=self.location(),
        )
        return _Entry(server, identity)

    def _launched_risks(self, launch: Launch, args: list[str]) -> None:
        """What the launched package is given: a remote URL, a folder, host privileges."""
        name = _package_name(launch.runner, launch.package).rpartition("/")[2]
        image = _package_name(launch.runner, launch.package)
        after = list(enumerate(args))[launch.at + 1 :]
        if name in BRIDGES:
            for index, arg in after:
                url = arg.partition("=")[2] if arg.startswith("--") else arg
                parts = urlsplit(url)
                if parts.scheme == "http" and not is_loopback(parts.hostname):
                    self.find(
                        "plaintext-http",
                        f"{name} forwards over plain http:// to {parts.hostname}; use https://",
                        "args",
                        index,
                    )
        if name in FILESYSTEM_SERVERS or image in FILESYSTEM_SERVERS:
            for index, arg in after:
                if _BROAD_PATH.match(arg.strip()):
                    self.find(
                        "broad-filesystem",
                        f"filesystem server given {arg!r}: a whole disk or home folder, "
                        "with its keys and credentials; give the project folders only",
                        "args",
                        index,
                    )
        if launch.runner == "docker":
            for index, option, value in launch.options:
                why = _privilege(option, value)
                if why:
                    self.find(
                        "privileged-container",
                        f"docker runs {redact_text(launch.package)[0]} with {why}; "
                        "the container can take over the host",
                        "args",
                        index,
                    )


def _privilege(option: str, value: str | None) -> str | None:
    """What a docker run option gives the container of the host, or None."""
    value = (value or "").strip()
    if option == "--privileged":
        return "--privileged"
    if option in ("--network", "--net") and value == "host":
        return "the host's network (--network host)"
    if option in ("--pid", "--ipc", "--uts", "--userns") and value == "host":
        return f"the host's {option.lstrip('-')} namespace"
    if option == "--cap-add" and value.upper() in ("ALL", "SYS_ADMIN", "CAP_SYS_ADMIN"):
        return f"--cap-add {value}"
    if option in ("-v", "--volume", "--mount") and "docker.sock" in value:
        return "the Docker socket mounted"
    return None


def _arg_text(arg: Any) -> str:
    """An argument as a string; a nested object (not valid) becomes a placeholder."""
    if isinstance(arg, str):
        return arg
    return json.dumps(arg) if isinstance(arg, int | float | bool) or arg is None else "<object>"


def _string_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str | int | float)}


def _url_identity(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{host}{port}{parts.path.rstrip('/')}"


def _duplicates(entries: list[_Entry], result: ScanResult) -> None:
    groups: dict[str, list[Server]] = defaultdict(list)
    for entry in entries:
        if entry.identity is not None:
            groups[entry.identity].append(entry.server)
    for identity, servers in sorted(groups.items()):
        if len(servers) < 2:
            continue
        what, _, target = identity.partition(" ")
        if what == "package":
            target = target.partition(" ")[2]
        places = sorted(servers, key=_server_key)
        for server in places:
            others = [
                _place(o)
                for o in itertools.islice((o for o in places if o is not server), MAX_PLACES_SHOWN)
            ]
            if len(places) - 1 > MAX_PLACES_SHOWN:
                others.append(f"and {len(places) - 1 - MAX_PLACES_SHOWN} more")
            result.findings.append(
                Finding(
                    id="duplicate-server",
                    severity=SEVERITY["duplicate-server"],
                    server=server.name,
                    message=f"same {what} {target} also at {', '.join(others)}",
                    location=server.location,
                )
            )


def _place(server: Server) -> str:
    location = server.location or SourceLocation(path="?")
    return f"{location.path}:{location.line}"
