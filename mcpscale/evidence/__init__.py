"""Evidence from the MCP estate: config scan, live probe, the one redaction and loopback rule."""
