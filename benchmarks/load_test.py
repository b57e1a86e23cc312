"""A bounded load test of the web app: store articles concurrently, then check none was lost.

Usage: python benchmarks/load_test.py [--requests 1000] [--concurrency 16] [--chars 5000]
           [--workers 1] [--url URL] [--token TOKEN]

Without ``--url`` it starts ``propscan serve`` (bundled model, a new SQLite store in a temporary
folder) on a free port and stops it afterwards. Each request stores a different article of about
``--chars`` characters (POST /api/articles); every tenth is a malformed one that must get a 4xx.
It prints the throughput, the status counts, errors (5xx, connection errors, a wrong status),
latency p50/p95/max, and the articles answered 201 that cannot be read back (lost). Exit status
1 when there are errors or losses.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

SENTENCES = (
    "The corrupt elites have once again ignored the brave patriots of our town.",
    "Everyone knows that the council is hiding the truth from hard-working families.",
    "Officials said the new bridge will open in the spring after a short delay.",
    "Residents queued outside the library on Saturday to read the published plans.",
    "A spokesman for the port authority declined to comment on the figures.",
    "Critics called the deal a disgraceful betrayal of everyone who lives here.",
    "The mayor said the town would hold a public meeting before any decision.",
)


def body(i: int, chars: int) -> dict[str, str]:
    """Article ``i``: a unique text of about ``chars`` characters (so it is stored, not
    deduplicated), in paragraphs of three sentences; or, every tenth, a malformed one."""
    if i % 10 == 9:
        return {"text": "  "}  # empty: must be 422
    paragraphs, length, k = [f"Report {i}"], 0, 0
    while length < chars:
        sentences = [SENTENCES[(i + k + j) % len(SENTENCES)] for j in range(3)]
        paragraph = f"{' '.join(sentences)} This is paragraph {k} of report {i}."
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
        k += 1
    return {"text": "\n\n".join(paragraphs)}


def start_server(port: int, folder: Path, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "propscan", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    command += ["--db", f"sqlite:///{folder / 'load.db'}"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/techniques", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start within 120 s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run(url: str, requests: int, concurrency: int, chars: int, headers: dict[str, str]) -> int:
    """Send the requests; print the report; return the exit status."""
    client = httpx.Client(base_url=url, headers=headers, timeout=120)
    statuses: Counter[str] = Counter()
    errors: list[str] = []
    latencies: list[float] = []
    stored: list[int] = []

    def one(i: int) -> None:
        began = time.perf_counter()
        try:
            response = client.post("/api/articles", json=body(i, chars))
        except httpx.HTTPError as error:
            errors.append(f"request {i}: {type(error).__name__}: {error}")
            return
        latencies.append(time.perf_counter() - began)
        statuses[str(response.status_code)] += 1
        expected = 422 if i % 10 == 9 else 201
        if response.status_code != expected and response.status_code != 503:
            errors.append(f"request {i}: {response.status_code} {response.text[:200]}")
        elif response.status_code == 201:
            stored.append(response.json()["id"])

    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    seconds = time.perf_counter() - began
    lost = [i for i in stored if client.get(f"/api/articles/{i}").status_code != 200]
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else 0.0
    print(
        f"{requests} requests of about {chars:,} characters, concurrency {concurrency}: "
        f"{seconds:.1f} s"
    )
    print(f"throughput: {len(stored) / seconds:.2f} analyses stored/s")
    print(f"statuses: {dict(sorted(statuses.items()))} (503: model busy, retry later)")
    if latencies:
        p50 = statistics.median(latencies)
        print(f"latency: p50 {p50:.3f} s, p95 {p95:.3f} s, max {latencies[-1]:.3f} s")
    print(f"errors: {len(errors)}; stored: {len(stored)}; lost: {len(lost)}")
    for error in errors[:10]:
        print(f"  {error}")
    return 1 if errors or lost else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--chars", type=int, default=5000, help="length of each article")
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--token", default=os.environ.get("PROPSCAN_TOKEN"))
    args = parser.parse_args()
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    if args.url:
        sys.exit(run(args.url, args.requests, args.concurrency, args.chars, headers))
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = start_server(port, Path(folder), args.workers)
        try:
            status = run(
                f"http://127.0.0.1:{port}", args.requests, args.concurrency, args.chars, headers
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    sys.exit(status)


if __name__ == "__main__":
    main()
