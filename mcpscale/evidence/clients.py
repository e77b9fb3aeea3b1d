"""The MCP client config formats, as data: which files each client reads, where its servers are.

A new client is one ClientFormat entry. `paths` are path suffixes matched part by part (a part
may be a glob, `*.yaml`); the first format that matches a file wins, so a specific suffix
(`.gemini/antigravity/mcp_config.json`) comes before a general one. `servers_at` are key paths
from the document's root to a server map (or list); `*` matches any key (a project's path).
"""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import Literal, NamedTuple

Syntax = Literal["jsonc", "yaml", "toml"]


class ClientFormat(NamedTuple):
    """One client's config file: where it lives, its syntax, where its servers are."""

    client: str
    paths: tuple[str, ...]
    servers_at: tuple[tuple[str, ...], ...] = (("mcpServers",),)
    syntax: Syntax = "jsonc"
    # "map": {name: server}; "list": [{name: ..., ...}] (Continue)
    shape: Literal["map", "list"] = "map"
    # True: the file exists only to hold MCP servers, so a file without a server map is not
    # understood; False: a general settings file, where no server map means no servers.
    dedicated: bool = True
    # this client's key -> the key the scan reads (Gemini's httpUrl is a url)
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> str:
        return self.paths[0]

    @property
    def servers_key(self) -> str:
        return ".".join(self.servers_at[0])


_URL_ALIASES = (("serverUrl", "url"),)

# A new client format is one entry here.
CLIENT_FORMATS: tuple[ClientFormat, ...] = (
    ClientFormat("claude-code", (".mcp.json",), aliases=_URL_ALIASES),
    ClientFormat(
        "claude-code",
        (".claude.json",),
        (("mcpServers",), ("projects", "*", "mcpServers")),
        dedicated=False,
    ),
    ClientFormat("claude-code", ("managed-mcp.json",)),
    ClientFormat("claude-desktop", ("claude_desktop_config.json",), dedicated=False),
    ClientFormat("cursor", (".cursor/mcp.json",), aliases=_URL_ALIASES),
    ClientFormat("vscode", (".vscode/mcp.json",), (("servers",),)),
    ClientFormat(
        "vscode",
        (
            "Code/User/mcp.json",
            "Code - Insiders/User/mcp.json",
            "Code/User/profiles/*/mcp.json",
        ),
        (("servers",),),
    ),
    ClientFormat(
        "vscode",
        (
            "Code/User/settings.json",
            "Code - Insiders/User/settings.json",
            "Code/User/profiles/*/settings.json",
            ".vscode/settings.json",
        ),
        (("mcp", "servers"),),
        dedicated=False,
    ),
    ClientFormat("antigravity", (".gemini/antigravity/mcp_config.json",), aliases=_URL_ALIASES),
    ClientFormat("windsurf", (".codeium/windsurf/mcp_config.json",), aliases=_URL_ALIASES),
    ClientFormat(
        "gemini-cli",
        (".gemini/settings.json",),
        dedicated=False,
        aliases=(("httpUrl", "url"),),
    ),
    ClientFormat("cline", ("cline_mcp_settings.json",), aliases=_URL_ALIASES),
    ClientFormat(
        "roo",
        (".roo/mcp.json", "rooveterinaryinc.roo-cline/settings/mcp_settings.json"),
        aliases=_URL_ALIASES,
    ),
    ClientFormat("kiro", (".kiro/settings/mcp.json",)),
    ClientFormat("amazon-q", (".amazonq/mcp.json", ".aws/amazonq/mcp.json")),
    ClientFormat(
        "continue",
        (".continue/config.yaml",),
        syntax="yaml",
        shape="list",
        dedicated=False,
    ),
    ClientFormat(
        "continue",
        (".continue/mcpServers/*.yaml", ".continue/mcpServers/*.yml"),
        syntax="yaml",
        shape="list",
    ),
    ClientFormat(
        "goose",
        (".config/goose/config.yaml", "goose/config/config.yaml"),
        (("extensions",),),
        syntax="yaml",
        dedicated=False,
        aliases=(("cmd", "command"), ("uri", "url"), ("envs", "env")),
    ),
    ClientFormat(
        "zed",
        (".config/zed/settings.json", "Zed/settings.json", ".zed/settings.json"),
        (("context_servers",),),
        dedicated=False,
    ),
    ClientFormat(
        "codex",
        (".codex/config.toml",),
        (("mcp_servers",),),
        syntax="toml",
        dedicated=False,
        aliases=(("http_headers", "headers"), ("bearer_token_env_var", "auth")),
    ),
    ClientFormat(
        "opencode",
        ("opencode.json", "opencode.jsonc"),
        (("mcp",),),
        dedicated=False,
        aliases=(("environment", "env"),),
    ),
)

# How many trailing path parts the longest pattern needs.
TAIL_PARTS = max(len(p.split("/")) for f in CLIENT_FORMATS for p in f.paths)


def client_format_for(parts: Sequence[str]) -> ClientFormat | None:
    """The client format a file is, from the last parts of its path."""
    for client_format in CLIENT_FORMATS:
        for pattern in client_format.paths:
            suffix = pattern.split("/")
            if len(parts) >= len(suffix) and all(
                fnmatchcase(part, want)
                for part, want in zip(parts[-len(suffix) :], suffix, strict=True)
            ):
                return client_format
    return None


def known_paths() -> str:
    """The file names a scan knows, for a message."""
    return ", ".join(dict.fromkeys(p for f in CLIENT_FORMATS for p in f.paths))
