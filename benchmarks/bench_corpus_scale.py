"""The corpus at scale, on the real 5,995 AllSides articles (../shared/allsides-news).

Steps, each printing its figures (run them in order; nothing of the corpus enters the repo):

    B=benchmarks/bench_corpus_scale.py; FEED=/work/runs/allsides.jsonl
    PG=postgresql://propscan:propscan@127.0.0.1:5432/propscan_bench
    python $B feed ../shared/allsides-news/articles.jsonl $FEED
    python $B analyze $FEED --db sqlite:////work/runs/allsides.db
    python $B copy sqlite:////work/runs/allsides.db $PG
    python $B analyze $FEED --db $PG-part --limit 300
    python $B analyze $FEED --db sqlite:////tmp/ray.db --engine ray --limit 300
    python $B latency sqlite:////work/runs/allsides.db
    python $B latency $PG

``feed`` writes the articles as a propscan feed (``text``, ``id``, ``author``; ``bias_text`` and
``topic`` kept as fields). ``analyze`` runs ``propscan analyze FEED --db URL`` and reports
articles/s, the peak memory of the command (its largest process) and the store's size.
``copy`` writes every analysis of one store into another (the store's own write path, timed),
so that the PostgreSQL store holds the same analyses without analysing twice. ``latency``
times the corpus page and the stats, compare, distinctive and trends endpoints in-process
(FastAPI's TestClient; one warm-up, then ``--repeat`` runs) and prints p50/p95.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from propscan.corpus.store import Store


def feed(source: Path, out: Path) -> None:
    """The AllSides JSONL as a propscan feed."""
    n = 0
    with source.open(encoding="utf-8") as rows, out.open("w", encoding="utf-8") as written:
        for line in rows:
            row = json.loads(line)
            record = {
                "id": row["ID"],
                "text": row["content_original"],
                "title": row["title"],
                "source": row["source"],
                "url": row["url"],
                "date": row["date"],
                "author": row["authors"],
                "bias_text": row["bias_text"],
                "topic": row["topic"],
            }
            written.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} articles -> {out} ({out.stat().st_size / 1e6:.1f} MB)")


def analyze(feed_path: Path, db: str, engine: str, limit: int | None, workers: int) -> None:
    """``propscan analyze`` of the feed (or its first ``limit`` articles) into ``db``."""
    if limit:
        part = feed_path.with_name(f"{feed_path.stem}-{limit}.jsonl")
        with feed_path.open(encoding="utf-8") as rows:
            part.write_text(
                "".join(line for _, line in zip(range(limit), rows, strict=False)), encoding="utf-8"
            )
        feed_path = part
    n = sum(1 for _ in feed_path.open(encoding="utf-8"))
    command = [sys.executable, "-m", "propscan", "analyze", str(feed_path), "--db", db]
    command += ["--engine", engine, "--workers", str(workers)]
    began = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rate = n / seconds
    print(f"{n} articles in {seconds:.0f} s: {rate:.2f} articles/s ({engine}, {workers} workers)")
    print(f"peak memory of its largest process: {peak:.0f} MB")
    print(f"store: {_size(db)}")


def copy(source: str, target: str) -> None:
    """Every analysis of ``source`` written into ``target`` (100 at a time)."""
    began, n, batch = time.perf_counter(), 0, []
    with Store(source) as read, Store(target) as write:
        for stored in read.iter_articles():
            batch.append(stored.analysis)
            if len(batch) == 100:
                write.add_many(batch)
                n, batch = n + len(batch), []
        write.add_many(batch)
        n += len(batch)
    seconds = time.perf_counter() - began
    print(f"copied {n} analyses in {seconds:.0f} s ({n / seconds:.0f}/s); store: {_size(target)}")


ENDPOINTS = (
    "/corpus",
    "/corpus?where=bias_text=right",
    "/api/stats?by=technique",
    "/api/stats?by=source",
    "/api/stats?by=month",
    "/api/stats?by=bias_text",
    "/api/compare?a=bias_text=left&b=bias_text=right",
    "/api/compare?a=source=CNN%20(Web%20News)",
    "/api/trends?by=bias_text",
    "/api/trends?by=bias_text&of=Flag-Waving",
    "/compare?a=bias_text=left&b=bias_text=right",
    "/api/distinctive?a=bias_text=left&b=bias_text=right",
)


def latency(db: str, repeat: int) -> None:
    """p50 and p95 of each endpoint, in milliseconds."""
    from fastapi.testclient import TestClient

    from propscan.server import Settings, create_app

    with TestClient(create_app(Settings(db=db)), base_url="http://127.0.0.1") as client:
        print(f"{'endpoint':58} {'p50 ms':>8} {'p95 ms':>8}")
        for path in ENDPOINTS:
            assert client.get(path).status_code == 200, path
            times = []
            for _ in range(repeat):
                began = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - began) * 1000)
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"{path:58} {statistics.median(times):8.0f} {p95:8.0f}")


def _size(db: str) -> str:
    if db.startswith("sqlite:///"):
        path = Path(db.removeprefix("sqlite:///"))
        return f"{sum(p.stat().st_size for p in path.parent.glob(path.name + '*')) / 1e6:.0f} MB"
    engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        size = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one()
        articles = conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
    engine.dispose()
    return f"{size / 1e6:.0f} MB, {articles} articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    p = steps.add_parser("feed")
    p.add_argument("source", type=Path)
    p.add_argument("out", type=Path)
    p = steps.add_parser("analyze")
    p.add_argument("feed", type=Path)
    p.add_argument("--db", required=True)
    p.add_argument("--engine", choices=["local", "ray"], default="local")
    p.add_argument("--limit", type=int)
    p.add_argument("--workers", type=int, default=2)
    p = steps.add_parser("copy")
    p.add_argument("source")
    p.add_argument("target")
    p = steps.add_parser("latency")
    p.add_argument("db")
    p.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if args.step == "feed":
        feed(args.source, args.out)
    elif args.step == "analyze":
        analyze(args.feed, args.db, args.engine, args.limit, args.workers)
    elif args.step == "copy":
        copy(args.source, args.target)
    else:
        latency(args.db, args.repeat)


if __name__ == "__main__":
    main()
