"""``propscan evaluate`` of a model in the SemEval-2023 taxonomy, language by language, on the
articles of each language it was not trained on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from propscan.cli.common import errors_as_exit, stderr, stdout_console
from propscan.cli.tables import technique_table
from propscan.errors import InputError
from propscan.model.bundle import Model, load_model
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import Report, paragraph_labels, score_paragraphs
from propscan.tasks.semeval2023 import merged, read_any_semeval2023
from propscan.techniques import SEMEVAL2023
from propscan.train.evaluation import Evaluation, Predictions, evaluate, hold_out, predict


@dataclass(frozen=True)
class LanguageResult:
    """Held-out scores of one language."""

    language: str
    articles: int
    spans: Evaluation
    paragraphs: Report
    corpus: Corpus
    predictions: Predictions


def is_per_language(model: Model) -> bool:
    """Whether ``model`` names SemEval-2023 techniques itself (the multilingual model)."""
    return model.taxonomy == "semeval2023"


def evaluate_languages(corpus_dir: Path, model_dir: Path | None, all_articles: bool) -> None:
    """Print span F1, TC F1, full-task F1 (23 labels) and paragraph micro-F1 per language of
    ``corpus_dir`` (a SemEval-2023 release, the multilingual one or the English one), each on
    the fold of its articles the model held out (``--hold-out-fold``), or on every article."""
    with errors_as_exit():
        model = load_model(model_dir)
        if not is_per_language(model):
            raise InputError(
                f"{model.name} names PTC-2020 techniques: score it with --taxonomy semeval2023 "
                "on the English release, or give a multilingual model with --model"
            )
        held_out = (model.manifest or {}).get("held_out") or {}
        if not all_articles and not held_out.get("per_language"):
            raise InputError(
                f"{model.name} was trained on every article, so none is left to score it on: "
                "train one with --hold-out-fold, or give --all-articles for articles it never saw"
            )
        results = []
        for language, corpus in read_any_semeval2023(corpus_dir).items():
            test = corpus
            if not all_articles:
                seed = int(held_out.get("seed", 0))
                _, test = hold_out(corpus, held_out["fold"], held_out["folds"], seed)
            test = unseen_part(model, language, test)
            with stderr.status(f"{language}: analysing {len(test.articles)} articles…"):
                results.append(score_language(model, language, test))
    console = stdout_console()
    part = "every article" if all_articles else f"fold {held_out.get('fold')} held out"
    console.print(f"{model.name} (SemEval-2023 taxonomy), {part}, by language", highlight=False)
    console.print(language_table(results))
    every = pooled(results)
    console.print(technique_table(every.tc, every.full, SEMEVAL2023.labels))


def unseen_part(model: Model, language: str, test: Corpus) -> Corpus:
    """``test`` without the articles whose text the model trained on (a release can hold the
    same text under two ids, as the memes do); an error when none is left."""
    seen = {a.id for a in test.articles if model.trained_on(a.text)}
    if len(seen) == len(test.articles):
        raise InputError(
            f"{language}: every article to score was among the model's training articles: "
            "no held-out score can be given"
        )
    if seen:
        stderr.print(
            f"warning: {language}: {len(seen)} of {len(test.articles)} articles to score have "
            "the text of a training article (the release holds it twice); they are left out",
            highlight=False,
        )
    return test.subset({a.id for a in test.articles} - seen)


def score_language(model: Model, language: str, test: Corpus) -> LanguageResult:
    """The model's held-out scores on one language's articles (spans named in 2023 labels;
    paragraphs: each line a predicted span touches gets its technique)."""
    predictions = predict(model, test, "semeval2023", language=language)
    texts = {a.id: a.text for a in test.articles}
    union = paragraph_labels(texts, predictions.full)
    return LanguageResult(
        language,
        len(test.articles),
        evaluate(test, predictions),
        score_paragraphs(test.paragraphs, union),
        test,
        predictions,
    )


def pooled(results: list[LanguageResult]) -> Evaluation:
    """The scores of every language's predictions together (per technique over languages)."""
    corpus = merged({r.language: r.corpus for r in results})
    predictions = Predictions(
        [p for r in results for p in r.predictions.spans],
        [p for r in results for p in r.predictions.techniques_on_gold],
        [p for r in results for p in r.predictions.full],
    )
    return evaluate(corpus, predictions)


def language_table(results: list[LanguageResult]) -> Table:
    """One row per language: spans, techniques on gold spans, full task, paragraphs."""
    table = Table(title="held-out scores by language (F1)")
    for column in (
        "language",
        "articles",
        "spans P",
        "spans R",
        "spans F1",
        "TC",
        "full task",
        "paragraphs micro",
        "paragraphs macro",
    ):
        table.add_column(column, justify="left" if column == "language" else "right")
    for r in results:
        si = r.spans.si.overall
        table.add_row(
            r.language,
            str(r.articles),
            f"{si.precision:.3f}",
            f"{si.recall:.3f}",
            f"{si.f1:.3f}",
            f"{r.spans.tc.overall.f1:.3f}",
            f"{r.spans.full.overall.f1:.3f}",
            f"{r.paragraphs.overall.f1:.3f}",
            f"{r.paragraphs.macro_f1:.3f}",
        )
    return table
