"""Running a configuration over the questions and scoring what it returned."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from typing import Sequence

from evals.configs import Configuration, Outcome
from evals.dataset import EvalItem
from evals.metrics import AnswerView, QuestionScores, aggregate_by_kind, contains_any, fold_all, score_question

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QuestionResult:
    """One question, what the configuration did with it, and its scores."""

    item: EvalItem
    outcome: Outcome
    scores: QuestionScores
    relevant_in_index: int = 0  # passages of the whole index holding a gold quote (nDCG's ideal)


@dataclass(frozen=True)
class RunResult:
    """One configuration over one set of questions."""

    config: dict  # what was run (Configuration.describe() plus dataset and settings)
    results: tuple[QuestionResult, ...]
    metrics: dict  # {"overall": {...}, "by_kind": {kind: {...}}}
    seconds: float

    @property
    def name(self) -> str:
        return str(self.config.get("name", ""))

    @property
    def errors(self) -> list[QuestionResult]:
        return [r for r in self.results if r.outcome.error]


def answer_view(outcome: Outcome, answers: bool) -> AnswerView | None:
    """What scoring needs from an outcome's answer (None for retrieval-only configurations).

    A question that raised in an answering configuration counts as an abstention: the user
    got no answer.
    """
    if not answers:
        return None
    answer = outcome.answer
    if answer is None:
        return AnswerView(text="", abstained=True)
    metadata = tuple(
        " ".join(x for x in (c.number, c.date, c.section, c.title) if x) for c in answer.citations
    )
    return AnswerView(
        text=answer.answer, abstained=answer.abstained,
        cited_passages=tuple(c.passage or c.quote for c in answer.citations), cited_metadata=metadata,
    )


def relevant_counts(items: Sequence[EvalItem], passages: Sequence[str]) -> dict[str, int]:
    """Per question id: how many passages of the whole index contain one of its gold quotes."""
    folded = fold_all(passages)
    counts = {}
    for item in items:
        quotes = [q for q in fold_all(item.gold_quotes) if q]
        counts[item.id] = sum(1 for p in folded if contains_any(p, quotes)) if quotes else 0
    return counts


def run_config(
    config: Configuration, items: Sequence[EvalItem], info: dict | None = None, progress: bool = True
) -> RunResult:
    """Run every question through a configuration and score it.

    Args:
        config: a prepared configuration (evals.configs.make_config).
        items: the questions.
        info: extra facts for the report's `config` (dataset, split, settings).
        progress: draw a tqdm bar on stderr.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    n_relevant = relevant_counts(items, config.passages())
    results = []
    bar = tqdm(items, desc=f"eval {config.name}", unit="câu", file=sys.stderr, disable=not progress,
               mininterval=0.5 if sys.stderr.isatty() else 5.0)
    for item in bar:
        try:
            outcome = config.run(item)
        except Exception as exc:  # one broken question must not lose a whole run; reported
            log.exception("question %s failed in %s", item.id, config.name)
            outcome = Outcome((), None, 0.0, item.question, f"{type(exc).__name__}: {exc}")
        scores = score_question(
            item.kind, item.answerable, item.gold_quotes, item.answer_facts,
            [h.text for h in outcome.retrieved], outcome.latency_ms,
            answer_view(outcome, config.answers), n_relevant.get(item.id),
        )
        results.append(QuestionResult(item, outcome, scores, n_relevant.get(item.id, 0)))
    metrics = aggregate_by_kind([r.scores for r in results])
    return RunResult({**config.describe(), **(info or {})}, tuple(results), metrics, time.perf_counter() - started)
