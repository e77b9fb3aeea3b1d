"""The `mcpscale` command line: parse arguments, call the core, print. No logic lives here.

registry.py names every command and the module that defines it (one module per group); app.py
builds the root that imports a command's module only when it is used; errors.py holds the one
error policy; options.py the shared options and choices; output.py where output goes."""

from mcpscale.cli.app import app, main

__all__ = ["app", "main"]
