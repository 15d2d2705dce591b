"""Retrieval and answer metrics as pure functions over plain lists (no I/O, no index).

Relevance is by quote, not by chunk id, so the set survives any change of chunking: a
retrieved passage is relevant when, after `fold_for_match` (tone placement, case, spaces),
it contains one of the question's gold quotes. Retrieval metrics use binary relevance and
follow the usual TREC definitions (they agree with ir_measures' Success@k, RR@10, nDCG@10;
see tests/test_metrics_ir_measures.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from statistics import median
from typing import Iterable, Sequence

from index.normalize import fold_for_match

K = 10  # depth of every ranked metric: what an answer can draw on
HIT_DEPTHS = (1, 3, 5, 10)

# "136.000", "01/9/2021", "13,5": separators inside a number keep it one token.
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
# Citation markers "[1]", "[1, 2]", "[1][3]" are not claims.
_MARKER = re.compile(r"\[\d+(?:\s*[,;–-]\s*\d+)*\]")


# --------------------------------------------------------------------------- relevance
def fold_all(texts: Iterable[str]) -> list[str]:
    """`fold_for_match` of each text (quotes, facts, passages)."""
    return [fold_for_match(t) for t in texts]


def contains_any(folded_text: str, folded_quotes: Sequence[str]) -> bool:
    """Whether a folded passage contains one of the folded quotes."""
    return any(q and q in folded_text for q in folded_quotes)


def relevance(folded_passages: Sequence[str], folded_quotes: Sequence[str]) -> list[bool]:
    """Binary relevance of each ranked passage (both sides already folded)."""
    return [contains_any(p, folded_quotes) for p in folded_passages]


# --------------------------------------------------------------------------- retrieval
def first_relevant_rank(rels: Sequence[bool], k: int = K) -> int | None:
    """1-based rank of the first relevant passage within the top k, or None."""
    for rank, rel in enumerate(rels[:k], start=1):
        if rel:
            return rank
    return None


def hit_at(rels: Sequence[bool], k: int) -> float:
    """1.0 when a relevant passage is in the top k, else 0.0."""
    return 1.0 if any(rels[:k]) else 0.0


def reciprocal_rank(rels: Sequence[bool], k: int = K) -> float:
    """1 / rank of the first relevant passage within the top k (0.0 when none)."""
    rank = first_relevant_rank(rels, k)
    return 0.0 if rank is None else 1.0 / rank


def ndcg_at(rels: Sequence[bool], k: int = K, n_relevant: int | None = None) -> float:
    """nDCG@k with binary gains and the log2(rank + 1) discount.

    Args:
        rels: relevance of the ranked passages.
        k: depth.
        n_relevant: how many relevant passages exist in the whole index (the ideal ranking
            puts min(k, n_relevant) of them first). None: only those retrieved are known.
    """
    top = rels[:k]
    dcg = sum(1.0 / math.log2(rank + 1) for rank, rel in enumerate(top, start=1) if rel)
    known = max(n_relevant or 0, sum(1 for r in top if r))
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(k, known) + 1))
    return dcg / ideal if ideal else 0.0


def quote_recall(folded_passages: Sequence[str], folded_quotes: Sequence[str], k: int = K) -> float:
    """Fraction of the gold quotes contained in at least one of the top k passages."""
    if not folded_quotes:
        return 0.0
    top = folded_passages[:k]
    found = sum(1 for q in folded_quotes if any(q in p for p in top))
    return found / len(folded_quotes)


# --------------------------------------------------------------------------- answers
def facts_present(answer: str, facts: Sequence[str]) -> bool:
    """Whether every answer fact occurs in the answer text (after folding)."""
    text = fold_for_match(answer)
    return all(fold_for_match(f) in text for f in facts)


def numbers_in(text: str) -> list[str]:
    """The numbers an answer states, citation markers "[n]" excluded."""
    return _NUMBER.findall(_MARKER.sub(" ", text))


def _occurs(number: str, source: str) -> bool:
    # Whole numbers only: "1" is not in "10", "000" is not in "136.000".
    pattern = rf"(?<!\d)(?<!\d[.,/]){re.escape(number)}(?!\d)(?![.,/]\d)"
    return re.search(pattern, source) is not None


def unsupported_numbers(answer: str, sources: Sequence[str]) -> list[str]:
    """Numbers of the answer that none of its sources (cited passages) contains.

    Args:
        answer: the answer text.
        sources: the texts the answer cites (passages, and the cited documents' metadata).
    """
    return [n for n in numbers_in(answer) if not any(_occurs(n, s) for s in sources)]


def abstention_precision_recall(
    abstained: Sequence[bool], unanswerable: Sequence[bool]
) -> tuple[float | None, float | None]:
    """Precision and recall of abstaining, the positive class being "unanswerable".

    Returns:
        (precision, recall); None where the denominator is zero (never abstained, or no
        unanswerable question).
    """
    both = sum(1 for a, u in zip(abstained, unanswerable) if a and u)
    n_abstained = sum(1 for a in abstained if a)
    n_unanswerable = sum(1 for u in unanswerable if u)
    precision = both / n_abstained if n_abstained else None
    recall = both / n_unanswerable if n_unanswerable else None
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


# --------------------------------------------------------------------------- per question
@dataclass(frozen=True)
class QuestionScores:
    """Every metric of one question; None where it does not apply."""

    kind: str
    answerable: bool
    latency_ms: float
    # Retrieval (questions with gold quotes only).
    first_relevant: int | None = None
    hit: tuple[float, ...] | None = None  # at HIT_DEPTHS
    rr: float | None = None
    ndcg: float | None = None
    recall: float | None = None
    # Answer (configurations that answer only).
    answered: bool = False  # an answer was produced (config answers), abstained or not
    abstained: bool | None = None
    fact_correct: bool | None = None
    citation_supported: bool | None = None
    unsupported: tuple[str, ...] | None = None
    answer_chars: int | None = None
    passage_chars: float | None = None  # mean length of the top-k passages (longer finds quotes easier)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AnswerView:
    """What scoring needs from an answer: its text, abstention and cited sources."""

    text: str
    abstained: bool
    cited_passages: tuple[str, ...] = ()
    cited_metadata: tuple[str, ...] = ()  # number, date, section of cited documents


def score_question(
    kind: str,
    answerable: bool,
    gold_quotes: Sequence[str],
    answer_facts: Sequence[str],
    retrieved: Sequence[str],
    latency_ms: float,
    answer: AnswerView | None = None,
    n_relevant: int | None = None,
) -> QuestionScores:
    """All metrics of one question.

    Args:
        kind: the question's kind (for breakdowns).
        answerable: whether the corpus answers it.
        gold_quotes: verbatim source spans (not folded).
        answer_facts: strings a correct answer contains (not folded).
        retrieved: ranked passage texts (not folded).
        latency_ms: time to answer (or to search, for retrieval-only configurations).
        answer: the answer, or None when the configuration does not answer.
        n_relevant: relevant passages in the whole index, for nDCG's ideal ranking.
    """
    fields: dict = {}
    if retrieved:
        fields["passage_chars"] = sum(len(t) for t in retrieved[:K]) / len(retrieved[:K])
    quotes = [q for q in fold_all(gold_quotes) if q]
    if quotes:
        passages = fold_all(retrieved[:K])
        rels = relevance(passages, quotes)
        fields.update(
            first_relevant=first_relevant_rank(rels),
            hit=tuple(hit_at(rels, k) for k in HIT_DEPTHS),
            rr=reciprocal_rank(rels),
            ndcg=ndcg_at(rels, K, n_relevant),
            recall=quote_recall(passages, quotes),
        )
    if answer is not None:
        fields.update(answered=True, abstained=answer.abstained)
        if answerable:
            fields["fact_correct"] = (not answer.abstained) and facts_present(answer.text, answer_facts)
        if not answer.abstained:
            fields["answer_chars"] = len(answer.text)
            fields["unsupported"] = tuple(unsupported_numbers(answer.text, answer.cited_passages + answer.cited_metadata))
            if answerable and quotes:
                cited = fold_all(answer.cited_passages)
                fields["citation_supported"] = any(contains_any(p, quotes) for p in cited)
    return QuestionScores(kind=kind, answerable=answerable, latency_ms=latency_ms, **fields)


# --------------------------------------------------------------------------- aggregation
RETRIEVAL_METRICS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10", "recall@10")
ANSWER_METRICS = (
    "fact_accuracy", "citation_support", "unsupported_number_rate", "unsupported_numbers",
    "abstention_precision", "abstention_recall", "false_abstention_rate", "answer_chars_median",
)
OTHER_METRICS = ("passage_chars_mean", "latency_p50_ms", "latency_p95_ms")
ALL_METRICS = RETRIEVAL_METRICS + ANSWER_METRICS + OTHER_METRICS
# Metrics where lower is better (their gate bounds belong under [maximum]).
LOWER_IS_BETTER = frozenset({
    "unsupported_number_rate", "unsupported_numbers", "false_abstention_rate", "latency_p50_ms", "latency_p95_ms",
})


def aggregate(scores: Sequence[QuestionScores]) -> dict[str, float | int | None]:
    """Overall metrics of a set of questions; None where no question qualifies.

    Retrieval metrics average over questions with gold quotes; fact accuracy over answerable
    questions (an abstention counts as wrong); citation support and numbers over answers
    given (not abstentions); abstention over every answered question; false abstentions over
    answerable questions.
    """
    ranked = [s for s in scores if s.hit is not None]
    out: dict[str, float | int | None] = {"questions": len(scores), "with_gold": len(ranked)}
    for i, depth in enumerate(HIT_DEPTHS):
        out[f"hit@{depth}"] = mean([s.hit[i] for s in ranked])
    out["mrr@10"] = mean([s.rr for s in ranked])
    out["ndcg@10"] = mean([s.ndcg for s in ranked])
    out["recall@10"] = mean([s.recall for s in ranked])

    answered = [s for s in scores if s.answered]
    facts = [s.fact_correct for s in answered if s.fact_correct is not None]
    out["fact_accuracy"] = mean([1.0 if f else 0.0 for f in facts])
    support = [s.citation_supported for s in answered if s.citation_supported is not None]
    out["citation_support"] = mean([1.0 if c else 0.0 for c in support])
    given = [s for s in answered if s.unsupported is not None]
    out["unsupported_number_rate"] = mean([1.0 if s.unsupported else 0.0 for s in given])
    out["unsupported_numbers"] = sum(len(s.unsupported) for s in given) if given else None
    precision, recall = abstention_precision_recall(
        [bool(s.abstained) for s in answered], [not s.answerable for s in answered]
    )
    out["abstention_precision"] = precision
    out["abstention_recall"] = recall
    # The other side of abstaining: answerable questions left unanswered.
    out["false_abstention_rate"] = mean([1.0 if s.abstained else 0.0 for s in answered if s.answerable])
    lengths = [s.answer_chars for s in given if s.answer_chars is not None]
    out["answer_chars_median"] = median(lengths) if lengths else None
    out["passage_chars_mean"] = mean([s.passage_chars for s in scores if s.passage_chars is not None])
    latencies = [s.latency_ms for s in scores]
    out["latency_p50_ms"] = percentile(latencies, 50)
    out["latency_p95_ms"] = percentile(latencies, 95)
    return out


def aggregate_by_kind(scores: Sequence[QuestionScores]) -> dict[str, dict]:
    """`{"overall": aggregate(all), "by_kind": {kind: aggregate(kind's questions)}}`."""
    kinds = sorted({s.kind for s in scores})
    return {
        "overall": aggregate(scores),
        "by_kind": {kind: aggregate([s for s in scores if s.kind == kind]) for kind in kinds},
    }
