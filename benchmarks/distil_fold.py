"""Does the shipped small recipe gain from a teacher's labels on unlabelled news? One grouped fold.

A teacher trained on the training part of one grouped PTC fold (``teacher_fold.py``) labels a
random sample of the unlabelled AllSides articles (its own decodings: the spans and techniques
``propscan analyze`` would give). The small recipe then trains on the fold's gold articles plus
those teacher-labelled ones, and its held-out SI, TC and full-task F1 print beside each other,
computed as ``teacher_fold.py`` computes them, so the three compare::

    python benchmarks/distil_fold.py ../shared/ptc ../shared/allsides-news/articles.jsonl \\
        TEACHER_WORK/fold-0/model WORK_DIR [--articles 600] [--si-epochs 3] [--tc-epochs 4]

The teacher's labels are kept in ``WORK_DIR/teacher-labels.json``; an interrupted run resumes.
The AllSides articles were chosen to share no title and under 10% of their text with any PTC
article (its README), so no held-out article reaches the student through them.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import time
from pathlib import Path

from teacher_fold import scores_line  # this folder is on the path when run as a script

from propscan.article import Article
from propscan.model.bundle import read_model
from propscan.pipeline import analyze
from propscan.tasks.ptc import Corpus, read_corpus
from propscan.train.evaluation import evaluate
from propscan.train.transformer import TransformerConfig, default_encoder
from propscan.train.transformer_cv import run_fold

log = logging.getLogger("distil_fold")


def sample_articles(path: Path, count: int, seed: int = 0) -> list[Article]:
    """``count`` AllSides articles of PTC-like length (1,500 to 12,000 characters), at random."""
    articles = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = (record.get("content_original") or "").strip()
            if 1500 <= len(text) <= 12000:
                articles.append(Article(id=f"allsides-{record['ID']}", text=text))
    return random.Random(seed).sample(articles, min(count, len(articles)))


def teacher_labelled(articles: list[Article], teacher_dir: Path, saved: Path) -> Corpus:
    """The articles with the teacher's spans as their labels (read back from ``saved``)."""
    labels: dict[str, list[list[object]]] = {}
    if saved.exists():
        labels = json.loads(saved.read_text(encoding="utf-8"))
    todo = [a for a in articles if a.id not in labels]
    if todo:
        teacher = read_model(teacher_dir)
        started = time.monotonic()
        for done, article in enumerate(todo, 1):
            spans = analyze(article, teacher, language="en").spans
            labels[article.id] = [[s.technique, s.start, s.end] for s in spans]
            if done % 50 == 0 or done == len(todo):
                saved.write_text(json.dumps(labels), encoding="utf-8")
                rate = done / (time.monotonic() - started)
                log.info("teacher labelled %d/%d articles (%.2f/s)", done, len(todo), rate)
    rows = tuple(
        (a.id, str(technique), int(start), int(end))  # type: ignore[call-overload]
        for a in articles
        for technique, start, end in labels[a.id]
    )
    return Corpus(tuple(articles), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("allsides", type=Path, help="allsides-news/articles.jsonl")
    parser.add_argument("teacher", type=Path, help="the fold's teacher model folder")
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--si-epochs", type=float, default=3.0)
    parser.add_argument("--tc-epochs", type=float, default=4.0)
    parser.add_argument("--max-steps", type=int, help="cap each network's steps (smoke tests)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    args.work_dir.mkdir(parents=True, exist_ok=True)
    unlabelled = sample_articles(args.allsides, args.articles)
    pseudo = teacher_labelled(unlabelled, args.teacher, args.work_dir / "teacher-labels.json")
    print(f"teacher labels: {len(pseudo.labels)} spans on {len(pseudo.articles)} articles")
    config = TransformerConfig(
        si_epochs=args.si_epochs, tc_epochs=args.tc_epochs, max_steps=args.max_steps
    )
    test_part, predictions, decoding, _ = run_fold(
        read_corpus(args.corpus),
        args.work_dir,
        args.fold,
        encoder_dir=default_encoder(),
        config=config,
        pseudo=pseudo,
    )
    scores = evaluate(test_part, predictions)
    print(f"fold {args.fold}: {len(test_part.articles)} held-out articles, decodings {decoding}")
    print(scores_line(scores))


if __name__ == "__main__":
    main()
