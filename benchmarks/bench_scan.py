"""Time `evidence scan` over a large estate: 2,000 repositories, 10,000 configured servers.

Run: PYTHONPATH=. python benchmarks/bench_scan.py [--repos N] [--repeat R]

Generates N repositories (each: a `.mcp.json` of five servers, two of them unpinned npx
packages shared by every repository, and ten ordinary source files in nested folders) in a
temporary folder, then times scan_paths over it, best of R runs.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from mcpscale.evidence.scan import scan_paths


def generate(folder: Path, repos: int) -> None:
    for index in range(repos):
        repo = folder / f"repo{index:05d}"
        source = repo / "src" / "pkg"
        source.mkdir(parents=True)
        for number in range(10):
            (source / f"module{number}.py").write_text("x = 1\n")
        servers = {
            f"server{k}": (
                {"command": "npx", "args": ["-y", f"@org/server-{k}"]}
                if k % 2
                else {
                    "url": f"https://mcp{k}.example/mcp",
                    "headers": {"Authorization": "Bearer ${env:TOKEN}"},
                }
            )
            for k in range(5)
        }
        (repo / ".mcp.json").write_text(json.dumps({"mcpServers": servers}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repos", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), args.repos)
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = scan_paths([Path(folder)])
            timings.append(time.perf_counter() - start)
        print(
            f"{args.repos} repositories, {result.files} config files, {len(result.servers)} "
            f"servers, {len(result.findings)} findings: best {min(timings):.2f} s "
            f"of {args.repeat}"
        )


if __name__ == "__main__":
    main()
