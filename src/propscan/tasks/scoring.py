"""Scorers for SemEval-2020 Task 11 (Propaganda Techniques Corpus) and for subtask 3 of
SemEval-2023 Task 3 (persuasion techniques per paragraph).

Definitions follow the official scorers by G. Da San Martino, read in the copies kept in
``aschern/semeval2020_task11`` (``tools/task-SI_scorer.py``, ``tools/task-TC_scorer.py``,
``tools/src/annotations.py``, ``tools/src/article_annotations.py``) and, for the full task,
the NLP4IF-2019 FLC scorer in ``shehel/BERT_propaganda_detection``
(``tools/task-FLC_scorer.py``); SemEval-2020 itself only ran SI and TC.

A span ``(start, end)`` is the set of character indices ``start .. end - 1``.

SI (``score_si``), as in ``compute_score_pr`` with ``prop_vs_non_propaganda=True``:
overlapping spans of one article are merged, gold and predicted alike (the official scorer
always merges gold; it merges predictions only with ``-m`` and rejects the file otherwise).
Spans merge only when they share an index, so touching spans ``[a, b)`` and ``[b, c)`` stay
apart. Then ``P = sum_{s,t} |s & t| / |s| / #predicted`` and
``R = sum_{s,t} |s & t| / |t| / #gold`` over pairs from the same article, counted after
merging; ``F1`` is their harmonic mean. Gold articles without predictions add to the recall
denominator only; predicted articles without gold add to the precision denominator only
(the official scorer crashes on those).

TC (``score_tc``), as in ``compute_TC_score``: the labels at one ``(article, start, end)``
are matched order-independently, so a span carrying several labels scores the size of the
multiset intersection of predicted and gold labels (the official ``align_annotations``
computes the same by reordering). ``P = correct / #predicted``, ``R = correct / #gold`` and
``F1`` is their harmonic mean (micro average). The official scorer refuses predictions
whose spans differ from the gold ones, where ``P = R = F1`` is accuracy; here a label at a
span with no gold counts as wrong (precision denominator only), and gold labels with no
prediction as missed (recall denominator only). Per technique: the usual one-vs-rest
P/R/F1, as ``sklearn.metrics.f1_score(average=None)`` gives.

Full task (``score_full``), as in the FLC scorer: like SI, but a pair ``(s, t)`` counts only
when the techniques agree, and overlapping spans are merged per technique (spans of different
techniques are never merged). Per technique, the same sums restricted to that technique;
here the official scorer reuses the precision numerator for recall, which reads as a bug, so
the recall numerator is used instead.

Deviations and uncertain readings: the official ``compute_prec_rec_f1`` returns ``F1 = 1``
when there are neither predictions nor gold; this module returns zeros there, and ``0`` for
P (R) whenever there are no predictions (gold), which is what the official code does too.
``per_technique`` holds only techniques seen in gold or predictions, not the full list.
Spans with ``start < 0`` or ``end <= start`` raise ``ValueError`` (the official scorers
reject them). The references above are third-party copies of the official code, not the
upstream distribution itself.

Paragraphs (``score_paragraphs``), as subtask 3 of SemEval-2023 Task 3 scores them: an article's
paragraphs are its non-empty lines (lines of the text split on ``"\\n"``, numbered from 1, that
hold more than white space), and a label is an ``(article, line, technique)`` triple, each
counted once. Micro P/R/F1 count the triples predicted and gold alike over all of them; macro-F1
(``Report.macro_f1``) is the mean of the per-technique F1 over the techniques present in gold
or predictions. The official scorer (``scorer-subtask-3.py``, seen in third-party copies)
binarises the lines over the whole list of 23 techniques, so its macro-F1 also averages in a 0
for every technique absent from both; it scores only the lines of the gold file.
``paragraph_rows`` derives line labels from spans as the release does: a line takes the
techniques of the spans that touch it, i.e. cover one of its characters or one of the newlines
around it; on the 371 English training articles this reproduces the gold paragraph file exactly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

SpanLabel = tuple[str, int, int]
TechniqueLabel = tuple[str, str, int, int]
ParagraphLabel = tuple[str, int, str]
"""``(article, line, technique)``: a technique found in a paragraph (1-based line number)."""
Span = tuple[int, int]
_K = TypeVar("_K", bound=Hashable)


@dataclass(frozen=True)
class PRF:
    """Precision, recall, F1 and the number of predicted and gold items they count."""

    precision: float
    recall: float
    f1: float
    predicted: int
    gold: int


@dataclass(frozen=True)
class Report:
    """Overall scores and, for TC and the full task, scores per technique."""

    overall: PRF
    per_technique: dict[str, PRF]

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the techniques in ``per_technique`` (those in gold or predictions)."""
        scores = [prf.f1 for prf in self.per_technique.values()]
        return sum(scores) / len(scores) if scores else 0.0


def _check_span(start: int, end: int) -> None:
    """Reject spans the official scorers reject: negative offsets or empty spans."""
    if start < 0 or end <= start:
        raise ValueError(f"invalid span [{start}, {end}): need 0 <= start < end")


def _prf(prec_num: float, predicted: int, rec_num: float, gold: int) -> PRF:
    """Build a PRF; a zero denominator gives 0, and F1 is 0 unless P and R are positive."""
    precision = prec_num / predicted if predicted else 0.0
    recall = rec_num / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return PRF(precision, recall, f1, predicted, gold)


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Union of spans sharing at least one index, sorted; touching spans are not merged."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        _check_span(start, end)
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _merged_groups(items: Iterable[tuple[_K, int, int]]) -> dict[_K, list[Span]]:
    """Group spans by key and merge the overlapping spans of each group."""
    groups: defaultdict[_K, list[Span]] = defaultdict(list)
    for key, start, end in items:
        groups[key].append((start, end))
    return {key: merge_spans(spans) for key, spans in groups.items()}


def _overlap_sums(predicted: list[Span], gold: list[Span]) -> tuple[float, float]:
    """Return sum |s & t| / |s| and sum |s & t| / |t| over predicted s and gold t."""
    prec_num = rec_num = 0.0
    for p_start, p_end in predicted:
        for g_start, g_end in gold:
            common = min(p_end, g_end) - max(p_start, g_start)
            if common > 0:
                prec_num += common / (p_end - p_start)
                rec_num += common / (g_end - g_start)
    return prec_num, rec_num


def _count(groups: dict[_K, list[Span]]) -> int:
    """Number of spans over all groups."""
    return sum(len(spans) for spans in groups.values())


def score_si(gold: Iterable[SpanLabel], predicted: Iterable[SpanLabel]) -> Report:
    """Span identification: partial-overlap P/R/F1 over merged spans, technique-blind."""
    gold_groups = _merged_groups(gold)
    pred_groups = _merged_groups(predicted)
    prec_num = rec_num = 0.0
    for article, spans in pred_groups.items():
        p, r = _overlap_sums(spans, gold_groups.get(article, []))
        prec_num += p
        rec_num += r
    overall = _prf(prec_num, _count(pred_groups), rec_num, _count(gold_groups))
    return Report(overall, {})


def score_tc(gold: Iterable[TechniqueLabel], predicted: Iterable[TechniqueLabel]) -> Report:
    """Technique classification: micro P/R/F1 of labels matched per identical span."""
    gold_at: defaultdict[SpanLabel, Counter[str]] = defaultdict(Counter)
    pred_at: defaultdict[SpanLabel, Counter[str]] = defaultdict(Counter)
    gold_n: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    for table, totals, labels in ((gold_at, gold_n, gold), (pred_at, pred_n, predicted)):
        for article, technique, start, end in labels:
            _check_span(start, end)
            table[(article, start, end)][technique] += 1
            totals[technique] += 1
    correct: Counter[str] = Counter()
    for key, techniques in pred_at.items():
        correct += techniques & gold_at.get(key, Counter())
    per_technique = {
        t: _prf(correct[t], pred_n[t], correct[t], gold_n[t]) for t in sorted(gold_n | pred_n)
    }
    total = correct.total()
    overall = _prf(total, pred_n.total(), total, gold_n.total())
    return Report(overall, per_technique)


def score_full(gold: Iterable[TechniqueLabel], predicted: Iterable[TechniqueLabel]) -> Report:
    """Full task: SI-style partial overlap, credited only where the techniques agree."""
    gold_groups = _merged_groups(((a, t), s, e) for a, t, s, e in gold)
    pred_groups = _merged_groups(((a, t), s, e) for a, t, s, e in predicted)
    prec_num: defaultdict[str, float] = defaultdict(float)
    rec_num: defaultdict[str, float] = defaultdict(float)
    pred_n: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    for (_, technique), spans in gold_groups.items():
        gold_n[technique] += len(spans)
    for key, spans in pred_groups.items():
        technique = key[1]
        pred_n[technique] += len(spans)
        p, r = _overlap_sums(spans, gold_groups.get(key, []))
        prec_num[technique] += p
        rec_num[technique] += r
    per_technique = {
        t: _prf(prec_num[t], pred_n[t], rec_num[t], gold_n[t]) for t in sorted(gold_n | pred_n)
    }
    overall = _prf(sum(prec_num.values()), pred_n.total(), sum(rec_num.values()), gold_n.total())
    return Report(overall, per_technique)


def paragraph_rows(text: str, spans: Iterable[tuple[str, int, int]]) -> list[tuple[int, list[str]]]:
    """Every non-empty line of ``text`` as ``(line number, sorted techniques)``, from spans
    ``(technique, start, end)``: a line takes the techniques of the spans that touch it."""
    spans = list(spans)
    rows = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        if line.strip():
            techniques = {t for t, s, e in spans if s <= end and e >= start}
            rows.append((number, sorted(techniques)))
        start = end + 1
    return rows


def paragraph_labels(
    texts: Mapping[str, str], labels: Iterable[TechniqueLabel]
) -> list[ParagraphLabel]:
    """Span labels of articles (texts by article id) as ``(article, line, technique)`` triples."""
    by_article: defaultdict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for article, technique, start, end in labels:
        by_article[article].append((technique, start, end))
    return [
        (article, number, technique)
        for article, spans in by_article.items()
        for number, techniques in paragraph_rows(texts[article], spans)
        for technique in techniques
    ]


def score_paragraphs(gold: Iterable[ParagraphLabel], predicted: Iterable[ParagraphLabel]) -> Report:
    """Subtask 3 of SemEval-2023 Task 3: micro P/R/F1 over (article, line, technique) triples,
    per-technique P/R/F1, and ``macro_f1`` their mean."""
    gold_set, pred_set = set(gold), set(predicted)
    gold_n = Counter(t for _, _, t in gold_set)
    pred_n = Counter(t for _, _, t in pred_set)
    correct = Counter(t for _, _, t in gold_set & pred_set)
    per_technique = {
        t: _prf(correct[t], pred_n[t], correct[t], gold_n[t]) for t in sorted(gold_n | pred_n)
    }
    overall = _prf(correct.total(), len(pred_set), correct.total(), len(gold_set))
    return Report(overall, per_technique)
