"""The MCP client configuration formats, as data: where each client keeps its server map."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class ClientFormat(NamedTuple):
    """One client's config file: where it lives (path suffix) and which key maps servers."""

    client: str
    path: str
    servers_key: str


# A new client format is one entry here.
CLIENT_FORMATS: tuple[ClientFormat, ...] = (
    ClientFormat("claude-code", ".mcp.json", "mcpServers"),
    ClientFormat("claude-desktop", "claude_desktop_config.json", "mcpServers"),
    ClientFormat("cursor", ".cursor/mcp.json", "mcpServers"),
    ClientFormat("vscode", ".vscode/mcp.json", "servers"),
    ClientFormat("windsurf", "mcp_config.json", "mcpServers"),
)


def client_format_for(parts: Sequence[str]) -> ClientFormat | None:
    """The client format a file is, from the last parts of its path."""
    for client_format in CLIENT_FORMATS:
        suffix = tuple(client_format.path.split("/"))
        if tuple(parts[-len(suffix) :]) == suffix:
            return client_format
    return None
