"""mcpscale: readiness assessment and roadmap planning for enterprise MCP."""

__version__ = "0.1.0"
