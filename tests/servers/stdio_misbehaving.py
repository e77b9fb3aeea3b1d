"""stdio servers that misbehave the ways real ones do, for the probe's failure messages.

python tests/servers/stdio_misbehaving.py KIND
KIND: banner       prints a banner on stdout, then serves MCP properly
      banner-only  prints a banner on stdout, then never answers (it reads its stdin to the end)
      exit         writes to stderr (a credential among it) and exits with status 3
"""

from __future__ import annotations

import sys

BANNER = "Starting fixture server v1.0 on stdio ..."
SECRET = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e"


def main() -> None:
    kind = sys.argv[1]
    if kind == "exit":
        print(f"connecting upstream with Authorization: Bearer {SECRET}", file=sys.stderr)
        print("fatal: upstream refused the connection", file=sys.stderr)
        sys.exit(3)
    print(BANNER, flush=True)
    if kind == "banner-only":
        sys.stdin.read()
        return
    from stdio_server import server

    server.run("stdio")


if __name__ == "__main__":
    main()
