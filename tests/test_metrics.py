"""Metrics on hand-computed cases (pure functions, no index)."""

from __future__ import annotations

import pytest

from evals.metrics import (
    AnswerView,
    abstention_precision_recall,
    aggregate,
    aggregate_by_kind,
    facts_present,
    fold_all,
    hit_at,
    ndcg_at,
    numbers_in,
    percentile,
    quote_recall,
    reciprocal_rank,
    relevance,
    score_question,
    unsupported_numbers,
)

F, T = False, True


def test_hit_at_depths():
    rels = [F, F, T, F]
    assert [hit_at(rels, k) for k in (1, 2, 3, 10)] == [0.0, 0.0, 1.0, 1.0]
    assert hit_at([], 10) == 0.0


def test_reciprocal_rank_counts_only_the_first_relevant_within_k():
    assert reciprocal_rank([F, F, T, T]) == pytest.approx(1 / 3)
    assert reciprocal_rank([T]) == 1.0
    assert reciprocal_rank([F] * 5) == 0.0
    assert reciprocal_rank([F] * 10 + [T]) == 0.0  # rank 11 is outside MRR@10
    assert reciprocal_rank([F, T], k=1) == 0.0


def test_ndcg_binary_gains_log2_discount():
    # DCG = 1/log2(3) + 1/log2(5) = 1.06161; IDCG (2 relevant) = 1 + 1/log2(3) = 1.63093
    assert ndcg_at([F, T, F, T], k=10, n_relevant=2) == pytest.approx(0.650921, abs=1e-6)
    # Unknown total: only the retrieved relevant ones make the ideal ranking (same value here).
    assert ndcg_at([F, T, F, T], k=10) == pytest.approx(0.650921, abs=1e-6)
    # 3 relevant in the index, one retrieved at rank 3: (1/2) / (1 + 0.63093 + 0.5)
    assert ndcg_at([F, F, T], k=10, n_relevant=3) == pytest.approx(0.234639, abs=1e-6)
    assert ndcg_at([T, T], k=10, n_relevant=2) == 1.0
    assert ndcg_at([F, F], k=10, n_relevant=0) == 0.0


def test_relevance_folds_tone_placement_case_and_spaces():
    passages = fold_all(["Phát triển CÔNG NGHIỆP  hoá, hiện đại hoá.", "Thủy điện Tuyên Quang"])
    quotes = fold_all(["công nghiệp hóa", "thuỷ điện tuyên quang"])
    assert relevance(passages, quotes) == [T, T]
    assert relevance(passages, fold_all(["nông nghiệp"])) == [F, F]


def test_quote_recall_is_the_share_of_quotes_in_the_top_k():
    passages = ["a b c", "d e f", "g h"]
    assert quote_recall(passages, ["b c", "e f", "x"]) == pytest.approx(2 / 3)
    assert quote_recall(passages, ["g h"], k=2) == 0.0
    assert quote_recall(passages, []) == 0.0


def test_facts_present_needs_every_fact_after_folding():
    answer = "Tỷ trọng đạt 13 - 14% [1]; thuỷ điện giữ vai trò chính [2]."
    assert facts_present(answer, ["13 - 14%", "Thủy điện"])
    assert not facts_present(answer, ["13 - 14%", "15%"])
    assert not facts_present(answer, ["13-14%"])  # spacing inside a fact is part of it


def test_numbers_ignore_citation_markers_and_keep_separators():
    text = "Năm 2025 đạt 13 - 14% [1], [2][3] với 136.000 m3 (ngày 01/9/2021) [1, 2]."
    assert numbers_in(text) == ["2025", "13", "14", "136.000", "3", "01/9/2021"]


def test_unsupported_numbers_match_whole_numbers_only():
    sources = ["Đến năm 2025, có 10 cụm công nghiệp, diện tích 136.000 m2."]
    assert unsupported_numbers("Năm 2025 có 10 cụm [1].", sources) == []
    assert unsupported_numbers("Có 1 cụm, 000 ha, 15% [1].", sources) == ["1", "000", "15"]
    assert unsupported_numbers("136.000 m2 [1]", sources) == []
    assert unsupported_numbers("Năm 2030 [1]", []) == ["2030"]


def test_abstention_precision_recall():
    # abstained on q1 (unanswerable), q2 (answerable); answered q3 (unanswerable), q4 (answerable)
    assert abstention_precision_recall([T, T, F, F], [T, F, T, F]) == (0.5, 0.5)
    assert abstention_precision_recall([F, F], [T, F]) == (None, 0.0)
    assert abstention_precision_recall([T], [F]) == (0.0, None)


def test_percentile_interpolates_like_numpy():
    values = [40.0, 10.0, 30.0, 20.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)  # rank 2.85: 30 + 0.85 * 10
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None


def _three_questions():
    gold = ["tỷ trọng công nghiệp đạt 13 - 14%"]
    good = score_question(
        "factoid", True, gold, ["13 - 14%"],
        ["khác", "Tỷ trọng công nghiệp đạt 13 - 14% năm 2025."], 100.0,
        AnswerView("Đạt 13 - 14% [1].", False, ("Tỷ trọng công nghiệp đạt 13 - 14% năm 2025.",)),
        n_relevant=1,
    )
    wrong = score_question(
        "factoid", True, gold, ["13 - 14%"], ["khác", "cũng khác"], 300.0,
        AnswerView("Đạt 20% vào năm 2030 [1].", False, ("cũng khác, năm 2030",)), n_relevant=1,
    )
    refused = score_question("unanswerable", False, [], [], ["khác"], 200.0, AnswerView("Không có.", True))
    return good, wrong, refused


def test_score_question_per_question_fields():
    good, wrong, refused = _three_questions()
    assert (good.first_relevant, good.hit, good.rr, good.recall) == (2, (0.0, 1.0, 1.0, 1.0), 0.5, 1.0)
    assert good.ndcg == pytest.approx(0.630930, abs=1e-6)  # 1/log2(3) over an ideal of 1
    assert (good.fact_correct, good.citation_supported, good.unsupported, good.answer_chars) == (T, T, (), 17)
    assert (wrong.first_relevant, wrong.rr, wrong.fact_correct, wrong.citation_supported) == (None, 0.0, F, F)
    assert wrong.unsupported == ("20",)  # 2030 is in the cited passage, 20 is not
    assert refused.hit is None and refused.fact_correct is None and refused.abstained is True
    assert refused.answer_chars is None  # abstentions do not count in answer length


def test_aggregate_over_hand_scored_questions():
    m = aggregate(list(_three_questions()))
    assert (m["questions"], m["with_gold"]) == (3, 2)
    assert (m["hit@1"], m["hit@3"], m["hit@10"]) == (0.0, 0.5, 0.5)
    assert m["mrr@10"] == 0.25 and m["recall@10"] == 0.5
    assert m["fact_accuracy"] == 0.5 and m["citation_support"] == 0.5
    assert m["unsupported_number_rate"] == 0.5 and m["unsupported_numbers"] == 1
    assert (m["abstention_precision"], m["abstention_recall"]) == (1.0, 1.0)
    assert m["answer_chars_median"] == 21.0  # median of 17 and 25 characters
    assert m["false_abstention_rate"] == 0.0  # both answerable questions were answered
    assert m["passage_chars_mean"] == pytest.approx((23.5 + 6.5 + 4) / 3)  # per question, then averaged
    assert m["latency_p50_ms"] == 200.0 and m["latency_p95_ms"] == pytest.approx(290.0)


def test_abstaining_on_an_answerable_question_is_a_wrong_fact():
    s = score_question("factoid", True, ["x y"], ["x"], ["x y"], 1.0, AnswerView("Không tìm thấy.", True))
    assert s.fact_correct is False and s.citation_supported is None
    assert aggregate([s])["fact_accuracy"] == 0.0
    assert aggregate([s])["false_abstention_rate"] == 1.0


def test_retrieval_only_runs_have_no_answer_metrics():
    s = score_question("factoid", True, ["x y"], ["x"], ["x y"], 1.0, answer=None)
    m = aggregate([s])
    assert m["hit@1"] == 1.0
    assert [m[k] for k in ("fact_accuracy", "citation_support", "abstention_precision", "abstention_recall")] == [None] * 4


def test_aggregate_by_kind_splits_and_keeps_overall():
    result = aggregate_by_kind(list(_three_questions()))
    assert sorted(result["by_kind"]) == ["factoid", "unanswerable"]
    assert result["by_kind"]["factoid"]["mrr@10"] == 0.25
    assert result["by_kind"]["unanswerable"]["hit@1"] is None
    assert result["overall"]["questions"] == 3
