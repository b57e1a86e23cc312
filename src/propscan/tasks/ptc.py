"""Read and write the Propaganda Techniques Corpus (PTC) format of SemEval-2020 Task 11.

Articles are ``articleID.txt`` files read as UTF-8 with newlines kept as they are, so that
character offsets match the label files. Label lines are tab-separated:
``ID<TAB>start<TAB>end`` (span identification) and ``ID<TAB>technique<TAB>start<TAB>end``
(technique classification and the full task); ``end`` is exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from propscan.article import Analysis, Article, Span
from propscan.errors import CorpusFormatError
from propscan.tasks.scoring import ParagraphLabel, SpanLabel, TechniqueLabel
from propscan.techniques import PTC2020, Taxonomy

_ARTICLE_NAME = re.compile(r"^article(\w+)$")


@dataclass(frozen=True)
class Corpus:
    """Articles with their gold technique spans (one entry per technique of a span) and, where
    the release has them, gold paragraph labels ``(article, line, technique)``."""

    articles: tuple[Article, ...]
    labels: tuple[TechniqueLabel, ...]
    paragraphs: tuple[ParagraphLabel, ...] = ()

    @cached_property
    def labels_by_article(self) -> dict[str, list[TechniqueLabel]]:
        """Gold labels grouped by article id (every article has an entry)."""
        grouped: dict[str, list[TechniqueLabel]] = {a.id: [] for a in self.articles}
        for label in self.labels:
            grouped[label[0]].append(label)
        return grouped

    def merged(self, other: Corpus) -> Corpus:
        """This corpus's articles and labels followed by ``other``'s (ids must not clash)."""
        clash = {a.id for a in self.articles} & {a.id for a in other.articles}
        if clash:
            raise ValueError(f"both corpora have articles {sorted(clash)[:3]}")
        return Corpus(
            self.articles + other.articles,
            self.labels + other.labels,
            self.paragraphs + other.paragraphs,
        )

    def subset(self, article_ids: Iterable[str]) -> Corpus:
        """The articles with these ids and their labels."""
        keep = set(article_ids)
        return Corpus(
            tuple(a for a in self.articles if a.id in keep),
            tuple(label for label in self.labels if label[0] in keep),
            tuple(label for label in self.paragraphs if label[0] in keep),
        )


def article_id(path: Path) -> str:
    """PTC id of a file: NNN for ``articleNNN.txt``, otherwise the file's stem."""
    match = _ARTICLE_NAME.match(path.stem)
    return match.group(1) if match else path.stem


def read_text(path: Path) -> str:
    """An article file's text, exactly as the PTC offsets count it."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise CorpusFormatError(f"{path}: PTC articles must be UTF-8 text") from None


def read_articles(folder: Path) -> list[Article]:
    """Every ``*.txt`` article of a folder, sorted by id."""
    if not folder.is_dir():
        raise CorpusFormatError(f"{folder} is not a folder of PTC articles")
    articles = []
    for path in sorted(folder.glob("*.txt")):
        text = read_text(path)
        title = text.split("\n", 1)[0].strip() or None
        articles.append(Article(id=article_id(path), text=text, title=title))
    return articles


def read_technique_labels(path: Path, taxonomy: Taxonomy = PTC2020) -> list[TechniqueLabel]:
    """``ID<TAB>technique<TAB>start<TAB>end`` lines, techniques of ``taxonomy``."""
    labels = []
    for number, fields in label_fields(path):
        if len(fields) != 4:
            raise CorpusFormatError(f"{path}:{number}: expected 4 tab-separated fields")
        ident, technique, start, end = fields
        if technique not in taxonomy.techniques:
            raise CorpusFormatError(f"{path}:{number}: unknown technique {technique!r}")
        labels.append((ident, technique, *_offsets(path, number, start, end)))
    return labels


def read_template(path: Path) -> list[SpanLabel]:
    """Spans of a TC template: ``ID<TAB>?<TAB>start<TAB>end`` or ``ID<TAB>start<TAB>end`` lines."""
    spans = []
    for number, fields in label_fields(path):
        if len(fields) == 4:
            fields = [fields[0], fields[2], fields[3]]
        if len(fields) != 3:
            raise CorpusFormatError(f"{path}:{number}: expected 3 or 4 tab-separated fields")
        spans.append((fields[0], *_offsets(path, number, fields[1], fields[2])))
    return spans


def find_corpus(corpus_dir: Path) -> tuple[Path, Path]:
    """The articles folder and technique label file of a PTC release folder."""
    folders = sorted(p for p in corpus_dir.glob("*articles") if p.is_dir())
    label_files = sorted(corpus_dir.glob("*task-flc-tc.labels"))
    if len(folders) != 1 or len(label_files) != 1:
        raise CorpusFormatError(
            f"{corpus_dir} should hold one '*-articles' folder and one '*-task-flc-tc.labels' "
            f"file (found {len(folders)} and {len(label_files)})"
        )
    return folders[0], label_files[0]


def read_corpus(corpus_dir: Path) -> Corpus:
    """A PTC release folder (e.g. ``train-articles/`` + ``train-task-flc-tc.labels``)."""
    folder, label_file = find_corpus(corpus_dir)
    articles = read_articles(folder)
    labels = read_technique_labels(label_file)
    check_spans(label_file, articles, labels)
    return Corpus(tuple(articles), tuple(labels))


def check_spans(
    label_file: Path, articles: Sequence[Article], labels: Sequence[TechniqueLabel]
) -> None:
    """Raise CorpusFormatError for a label outside its article."""
    lengths = {a.id: len(a.text) for a in articles}
    for ident, _, start, end in labels:
        if ident not in lengths or end > lengths[ident]:
            raise CorpusFormatError(
                f"{label_file}: span {ident} {start}-{end} is not in an article"
            )


def read_corpora(corpus_dirs: Sequence[Path]) -> Corpus:
    """Several PTC release folders as one corpus; an article id in two of them is refused."""
    seen: dict[str, Path] = {}
    articles: list[Article] = []
    labels: list[TechniqueLabel] = []
    for folder in corpus_dirs:
        corpus = read_corpus(folder)
        for article in corpus.articles:
            if article.id in seen:
                raise CorpusFormatError(
                    f"article {article.id} is in both {seen[article.id]} and {folder}"
                )
            seen[article.id] = folder
        articles.extend(corpus.articles)
        labels.extend(corpus.labels)
    return Corpus(tuple(articles), tuple(labels))


def write_release(analyses: Iterable[Analysis], folder: Path, split: str = "train") -> int:
    """Write analyses as a PTC release folder that ``read_corpus`` reads: ``SPLIT-articles/``
    with ``articleID.txt`` files (text as it is, offsets intact), the technique label file
    ``SPLIT-task-flc-tc.labels`` and the span file ``SPLIT-task-si.labels``. Returns how many
    articles it wrote; article ids must suit file names (letters, digits, underscores)."""
    articles = folder / f"{split}-articles"
    articles.mkdir(parents=True, exist_ok=True)
    n = 0
    with (
        (folder / f"{split}-task-flc-tc.labels").open("w", encoding="utf-8") as tc,
        (folder / f"{split}-task-si.labels").open("w", encoding="utf-8") as si,
    ):
        for analysis in analyses:
            ident = analysis.article.id
            if not _ARTICLE_NAME.match(f"article{ident}"):
                raise CorpusFormatError(f"article id {ident!r} cannot name a PTC article file")
            path = articles / f"article{ident}.txt"
            with path.open("w", encoding="utf-8", newline="") as out:
                out.write(analysis.article.text)
            tc.writelines(line + "\n" for line in technique_lines(ident, analysis.spans))
            spans = ((s.start, s.end) for s in analysis.spans)
            si.writelines(line + "\n" for line in span_lines(ident, spans))
            n += 1
    return n


def span_lines(article: str, spans: Iterable[tuple[int, int]]) -> Iterator[str]:
    """``ID<TAB>start<TAB>end`` lines, one per distinct ``(start, end)``."""
    seen: set[tuple[int, int]] = set()
    for start, end in spans:
        if (start, end) not in seen:
            seen.add((start, end))
            yield f"{article}\t{start}\t{end}"


def technique_lines(article: str, spans: Iterable[Span]) -> Iterator[str]:
    """``ID<TAB>technique<TAB>start<TAB>end`` lines, one per span and technique."""
    for span in spans:
        yield f"{article}\t{span.technique}\t{span.start}\t{span.end}"


def label_fields(path: Path) -> Iterator[tuple[int, list[str]]]:
    if not path.is_file():
        raise CorpusFormatError(f"{path}: no such label file")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            yield number, line.rstrip("\r\n").split("\t")


def _offsets(path: Path, number: int, start: str, end: str) -> tuple[int, int]:
    try:
        first, last = int(start), int(end)
    except ValueError:
        raise CorpusFormatError(f"{path}:{number}: offsets must be integers") from None
    if not 0 <= first <= last:
        raise CorpusFormatError(f"{path}:{number}: bad span {first}-{last}")
    return first, last
