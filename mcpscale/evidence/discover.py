"""Where each MCP client keeps its config on Linux, macOS and Windows: `scan --discover`."""

from __future__ import annotations

import sys
from pathlib import Path

# Per-user places, relative to the home folder; a folder is scanned for the formats it holds.
# Every OS's places are looked at: an offline copy of a home (--home) may come from any of them.
USER_PLACES: tuple[str, ...] = (
    ".claude.json",
    ".mcp.json",
    ".cursor/mcp.json",
    ".codeium/windsurf/mcp_config.json",
    ".gemini/settings.json",
    ".gemini/antigravity/mcp_config.json",
    ".roo/mcp.json",
    ".kiro/settings/mcp.json",
    ".amazonq/mcp.json",
    ".aws/amazonq/mcp.json",
    ".continue/config.yaml",
    ".continue/mcpServers",
    ".config/goose/config.yaml",
    ".config/zed/settings.json",
    ".codex/config.toml",
    ".config/opencode/opencode.json",
    ".config/opencode/opencode.jsonc",
    # Linux
    ".config/Claude/claude_desktop_config.json",
    ".config/Code/User",
    ".config/Code - Insiders/User",
    # macOS
    "Library/Application Support/Claude/claude_desktop_config.json",
    "Library/Application Support/Code/User",
    "Library/Application Support/Code - Insiders/User",
    # Windows (%APPDATA% is AppData/Roaming)
    "AppData/Roaming/Claude/claude_desktop_config.json",
    "AppData/Roaming/Code/User",
    "AppData/Roaming/Code - Insiders/User",
    "AppData/Roaming/Block/goose/config/config.yaml",
    "AppData/Roaming/Zed/settings.json",
)

# System-wide places, by sys.platform prefix; looked at only for the live machine.
SYSTEM_PLACES: dict[str, tuple[str, ...]] = {
    "linux": ("/etc/claude-code/managed-mcp.json",),
    "darwin": ("/Library/Application Support/ClaudeCode/managed-mcp.json",),
    "win32": ("C:/ProgramData/ClaudeCode/managed-mcp.json",),
}


def standard_locations(home: Path | None = None, platform: str = sys.platform) -> list[Path]:
    """The standard config places that exist: under `home` (default: this user's), and the
    system-wide ones of this OS unless `home` is an offline copy."""
    places = [(home or Path.home()) / place for place in USER_PLACES]
    if home is None:
        system = next((p for key, p in SYSTEM_PLACES.items() if platform.startswith(key)), ())
        places.extend(Path(place) for place in system)
    return [place for place in places if place.exists() or place.is_symlink()]
