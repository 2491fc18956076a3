"""1,000 signed lead posts from 20 concurrent clients to a real ``prospector serve``.

Run: ``python -m tests.bench.bench_intake [POSTS] [CLIENTS]``. A serve process on
127.0.0.1 over a fresh SQLite team database takes POSTS signed posts (Standard
Webhooks), each a new lead, from CLIENTS threads each keeping its connection
open; then a tenth of them again, with their webhook-ids (a sender's retries).
Checked: every post answered 201, none lost (one contact per lead), none
duplicated (the retries get the first answer and add nothing). Printed: the
latency p50/p99 and the throughput, beside the same posts to a bare endpoint of
the same stack (one Starlette route answering 201, on uvicorn) measured in the
same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from prospector.foundations.db import open_database
from tests import backend
from tests.intake_server import ROOT, ServeProcess, signed


def requests(count: int) -> list[tuple[bytes, dict[str, str]]]:
    """``count`` signed posts, each a new lead with a phone of its own."""
    return [
        signed(
            {"first": f"Lead{i}", "last": "Bench", "company": f"Company {i}",
             "phone": f"+1 212 {200 + i // 10_000} {i % 10_000:04d}", "source": "web form",
             "email": f"lead{i}@company{i}.example"},
            webhook_id=f"bench-{i}",
        )
        for i in range(count)
    ]  # fmt: skip


def blast(url: str, posts: list, clients: int) -> tuple[list[float], list[httpx.Response], float]:
    """Send ``posts`` from ``clients`` threads (one kept-open connection each): the
    latencies (s), the answers in order, and the wall time."""
    shares = [list(range(start, len(posts), clients)) for start in range(clients)]
    latencies = [0.0] * len(posts)
    answers: list[httpx.Response | None] = [None] * len(posts)

    def client(indexes: list[int]) -> None:
        with httpx.Client(timeout=60) as http:
            for index in indexes:
                data, headers = posts[index]
                started = time.perf_counter()
                answers[index] = http.post(url, content=data, headers=headers)
                latencies[index] = time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, shares))
    wall = time.perf_counter() - started
    assert all(answer is not None for answer in answers)
    return latencies, answers, wall  # type: ignore[return-value]


def figures(name: str, latencies: list[float], wall: float) -> str:
    cuts = statistics.quantiles(latencies, n=100)
    return (
        f"{name:<28} p50 {cuts[49] * 1000:7.1f} ms  p99 {cuts[98] * 1000:7.1f} ms"
        f"  {len(latencies) / wall:7.0f} posts/s"
    )


def main(count: int = 1000, clients: int = 20) -> None:
    posts = requests(count)
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "team.db"
        open_database(db_path).close()
        bare = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.bare_endpoint"],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        server = ServeProcess(db_path)
        try:
            assert bare.stdout is not None
            bare_url = bare.stdout.readline().split()[-1]
            blast(bare_url, posts[:50], clients)  # warm-up: connections, first imports
            bare_latencies, bare_answers, bare_wall = blast(bare_url, posts, clients)
            assert {answer.status_code for answer in bare_answers} == {201}
            # Warm-up of the same size: leads refused (400), so none is added.
            refused = [signed({"phone": "12345"}) for _ in range(50)]
            blast(f"{server.url}/leads", refused, clients)
            latencies, answers, wall = blast(f"{server.url}/leads", posts, clients)
            statuses = {answer.status_code for answer in answers}
            assert statuses == {201}, statuses
            ids = [answer.json()["leads"][0]["contact_id"] for answer in answers]
            retried = list(range(0, count, 10))
            _, again, _ = blast(f"{server.url}/leads", [posts[i] for i in retried], clients)
        finally:
            server.stop()
            bare.terminate()
            bare.wait(20)
        contacts = backend.scalar(db_path, "SELECT count(*) FROM contacts")
        distinct = backend.scalar(db_path, "SELECT count(DISTINCT phone) FROM contacts")
    lost = count - len(set(ids))
    repeated_same = all(
        answer.content == answers[index].content
        for answer, index in zip(again, retried, strict=True)
    )
    print(f"{count} signed posts from {clients} clients to prospector serve (SQLite)")
    print(figures("prospector serve POST /leads", latencies, wall))
    print(figures("bare Starlette route (201)", bare_latencies, bare_wall))
    print(
        f"contacts after: {contacts} ({distinct} distinct phones) for {count} leads;"
        f" lost {lost}; {len(retried)} retried webhook-ids answered as the first time:"
        f" {repeated_same}"
    )
    assert contacts == distinct == count and lost == 0 and repeated_same


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
