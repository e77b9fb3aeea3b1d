"""`python -m mcpscale` runs the command line."""

from mcpscale.cli import main

main()
