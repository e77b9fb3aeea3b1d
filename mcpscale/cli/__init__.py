"""The `mcpscale` command line: parse arguments, call the core, print. No logic lives here.

app.py assembles the commands of one module per group; errors.py holds the one error policy;
options.py the shared options and choices; output.py where output goes."""

from mcpscale.cli.app import app, main

__all__ = ["app", "main"]
