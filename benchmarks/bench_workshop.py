"""The live workshop under a full room: 40 participants answer at once; how long until the
facilitator's screen shows each answer, and how much memory the server holds.

Run: PYTHONPATH=. python benchmarks/bench_workshop.py [--participants N] [--rounds R]

Starts the real `mcpscale workshop --web` on loopback, seats N simulated participants over
HTTP (join page, seat, signed cookie), listens as the facilitator's page does (server-sent
events, then the state fragment), and in each round has every participant vote at the same
moment, then reveals and moves on to the next question. An answer's latency runs from its
POST leaving the participant to the facilitator's fragment first showing that person as
answered. The floor is the same burst of requests from every device for a static file: what
loopback HTTP and the stack cost, with no vote.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CHOICE = re.compile(r'name="choice" value="([^"]+)"')
DONE = re.compile(r'<li class="done">✓ ([^<]+?)(?: <small>|</li>)')


def free_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return int(listener.getsockname()[1])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def seat(base: str, join_url: str, name: str) -> tuple[httpx2.AsyncClient, str]:
    client = httpx2.AsyncClient(base_url=base, timeout=30)
    page = await client.get(join_url)
    csrf = CSRF.search(page.text)
    assert csrf, page.text[:300]
    joined = await client.post(join_url, data={"seat": name, "csrf": csrf.group(1)})
    assert joined.status_code in (200, 303), joined.text
    return client, csrf.group(1)


async def run(participants: int, rounds: int) -> None:
    names = [f"Participant {n:02d}" for n in range(participants)]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mcpscale",
                "workshop",
                "--web",
                "--respondents",
                ",".join(f"{n}:Engineer" for n in names),
                "--output-dir",
                folder,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],  # fmt: skip
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            urls = dict(server.stdout.readline().strip().split(": ", 1) for _ in range(2))
            facilitator = urls["facilitator"].removeprefix(base)
            join = urls["join"].removeprefix(base)
            clients = [await seat(base, join, name) for name in names]
            idle_rss = rss_mib(server.pid)
            watcher = httpx2.AsyncClient(base_url=base, timeout=30)
            floor = await burst_floor(clients)
            latencies: list[float] = []
            for round_number in range(rounds):
                latencies += await one_round(clients, names, watcher, facilitator, round_number)
                if round_number + 1 < rounds:
                    csrf = clients[0][1]
                    for action in ("reveal", "next"):  # the room moves on to the next question
                        moved = await watcher.post(
                            f"{facilitator}/{action}", headers={"X-CSRF-Token": csrf}
                        )
                        assert moved.status_code == 204, moved.text
            busy_rss = rss_mib(server.pid)
            for client, _ in clients:
                await client.aclose()
            await watcher.aclose()
        finally:
            server.terminate()
            server.wait(timeout=10)
    floor_p95 = p95(floor)
    print(
        f"{participants} participants x {rounds} rounds, every vote at once:\n"
        f"  answer -> facilitator's screen: p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {p95(latencies):.0f} ms, max {max(latencies):.0f} ms (goal: p95 under 300 ms)\n"
        f"  floor (the same 40 devices at once fetching a static file): p95 {floor_p95:.1f} ms; "
        f"p95 / floor = {p95(latencies) / floor_p95:.1f}x\n"
        f"  server memory (RSS): {idle_rss:.0f} MiB seated, {busy_rss:.0f} MiB after voting"
    )


async def burst_floor(clients: list[tuple[httpx2.AsyncClient, str]]) -> list[float]:
    """What loopback HTTP, the server's stack and this client cost for a burst of requests
    from every device at once, with no vote, file or page behind them: five bursts."""
    timings: list[float] = []

    async def fetch(client: httpx2.AsyncClient) -> None:
        start = time.perf_counter()
        reply = await client.get("/static/workshop.css")
        assert reply.status_code == 200
        timings.append((time.perf_counter() - start) * 1000)

    for _ in range(5):
        await asyncio.gather(*(fetch(client) for client, _ in clients))
    return timings


async def one_round(
    clients: list[tuple[httpx2.AsyncClient, str]],
    names: list[str],
    watcher: httpx2.AsyncClient,
    facilitator: str,
    round_number: int,
) -> list[float]:
    """Every participant votes at once; when did the facilitator's fragment show each?"""
    page = await clients[0][0].get("/seat")
    choices = CHOICE.findall(page.text)
    sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    ready = asyncio.Event()

    changed = asyncio.Event()

    async def listen() -> None:
        """The event stream, as the page's script reads it: each event marks the page stale."""
        async with watcher.stream("GET", f"{facilitator}/events") as events:
            ready.set()
            async for line in events.aiter_lines():
                if line.startswith("data:"):
                    changed.set()

    async def watch() -> None:
        """As the page does: one fetch at a time; events during a fetch make one more."""
        while len(seen) < len(names):
            await changed.wait()
            changed.clear()
            state = await watcher.get(f"{facilitator}/state")
            now = time.perf_counter()
            for name in DONE.findall(state.text):
                if name in sent and name not in seen:
                    seen[name] = now

    async def vote(index: int) -> None:
        client, csrf = clients[index]
        choice = choices[(index + round_number) % len(choices)]
        sent[names[index]] = time.perf_counter()
        reply = await client.post(
            "/seat/vote", data={"choice": choice}, headers={"X-CSRF-Token": csrf}
        )
        assert reply.status_code == 204, reply.text

    listening = asyncio.create_task(listen())
    await ready.wait()
    await asyncio.sleep(0.2)  # the stream's first event (the current version) is past
    changed.clear()
    watching = asyncio.create_task(watch())
    started = time.perf_counter()
    await asyncio.gather(*(vote(index) for index in range(len(clients))))
    answered_ms = (time.perf_counter() - started) * 1000
    print(f"  round {round_number + 1}: {len(clients)} votes answered in {answered_ms:.0f} ms")
    await asyncio.wait_for(watching, timeout=60)
    listening.cancel()
    return [(seen[name] - sent[name]) * 1000 for name in names]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.participants, args.rounds))


if __name__ == "__main__":
    main()
