"""On one real run (hybrid retrieval over the bundled index), hit rate, MRR and nDCG agree
with ir_measures computed from qrels and a run built from the same retrieved passages."""

from __future__ import annotations

import ir_measures
import pytest
from ir_measures import RR, Qrel, ScoredDoc, Success, nDCG

from evals.configs import DESCRIPTIONS, Resources, RetrievalOnlyConfig
from evals.dataset import DEFAULT_DATASET, load_dataset
from evals.metrics import contains_any, fold_all
from evals.runner import run_config

QUESTIONS = 40  # enough for ranks 1..10 and misses to all occur; the test stays a few seconds


@pytest.fixture(scope="module")
def hybrid_run(bundled_index, embedder):
    from assistant.retrieval import Retriever

    res = Resources(bundled_index, embedder=embedder)
    items = [i for i in load_dataset(DEFAULT_DATASET, "test").items if i.gold_quotes][:QUESTIONS]
    retriever = Retriever(bundled_index, embedder=embedder, store=res.store, mode="hybrid")
    config = RetrievalOnlyConfig("hybrid", retriever, DESCRIPTIONS["hybrid"], all_passages=res.chunk_texts)
    run = run_config(config, items, progress=False)
    got = res.store.served(retriever.model).chunks.get(include=["documents"])
    return run, dict(zip(got["ids"], fold_all(got["documents"])))


def _qrels_and_run(run, chunks: dict[str, str]):
    qrels, scored = [], []
    for result in run.results:
        quotes = fold_all(result.item.gold_quotes)
        qrels += [Qrel(result.item.id, cid, 1) for cid, text in chunks.items() if contains_any(text, quotes)]
        # Scores from ranks: ir_measures re-sorts by score, and fused scores may tie.
        scored += [ScoredDoc(result.item.id, h.chunk_id, float(100 - h.rank)) for h in result.outcome.retrieved]
    return qrels, scored


def test_hit_rate_mrr_and_ndcg_agree_with_ir_measures(hybrid_run):
    run, chunks = hybrid_run
    qrels, scored = _qrels_and_run(run, chunks)
    judged = {q.query_id for q in qrels}
    # A question whose quote no single passage holds has no qrels; ir_measures skips it.
    scores = [r.scores for r in run.results if r.item.id in judged]
    assert len(scores) >= QUESTIONS - 2
    theirs = ir_measures.calc_aggregate([Success @ 1, Success @ 3, Success @ 5, Success @ 10, RR @ 10, nDCG @ 10],
                                        qrels, scored)
    ours = {
        "hit@1": sum(s.hit[0] for s in scores) / len(scores),
        "hit@3": sum(s.hit[1] for s in scores) / len(scores),
        "hit@5": sum(s.hit[2] for s in scores) / len(scores),
        "hit@10": sum(s.hit[3] for s in scores) / len(scores),
        "mrr@10": sum(s.rr for s in scores) / len(scores),
        "ndcg@10": sum(s.ndcg for s in scores) / len(scores),
    }
    assert ours["hit@1"] == pytest.approx(theirs[Success @ 1], abs=1e-9)
    assert ours["hit@3"] == pytest.approx(theirs[Success @ 3], abs=1e-9)
    assert ours["hit@5"] == pytest.approx(theirs[Success @ 5], abs=1e-9)
    assert ours["hit@10"] == pytest.approx(theirs[Success @ 10], abs=1e-9)
    assert ours["mrr@10"] == pytest.approx(theirs[RR @ 10], abs=1e-9)
    assert ours["ndcg@10"] == pytest.approx(theirs[nDCG @ 10], abs=1e-6)
    # The run is a real one: not everything first, not nothing found.
    assert 0.0 < ours["hit@1"] < 1.0 and ours["hit@10"] > ours["hit@1"]


def test_report_metrics_equal_the_per_question_means(hybrid_run):
    run, _ = hybrid_run
    ranked = [r.scores for r in run.results if r.scores.rr is not None]
    assert run.metrics["overall"]["mrr@10"] == pytest.approx(sum(s.rr for s in ranked) / len(ranked))
    assert run.metrics["overall"]["fact_accuracy"] is None  # retrieval-only configuration
