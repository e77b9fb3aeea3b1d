"""A real MCP server over stdio, built with the SDK, for the probe's tests."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

server = MCPServer("probe-stdio-fixture", version="1.2.3")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@server.tool()
def echo(text: str) -> str:
    """Say it back."""
    return text


@server.resource("fixture://readme")
def readme() -> str:
    """A resource the probe can time with --resource."""
    return "hello"


if __name__ == "__main__":
    server.run("stdio")
