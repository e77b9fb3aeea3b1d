"""`python -m mcpscale` runs the command line."""

from .cli import main

main()
