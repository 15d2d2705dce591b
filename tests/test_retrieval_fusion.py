"""Fusion and the lexical analyzer as pure functions, on plain lists and strings."""

from __future__ import annotations

import pytest

from assistant.fusion import max_scale, min_max, ranked, reciprocal_rank_fusion, weighted_fusion, z_score
from assistant.lexical import LexicalIndex, analyze, analyze_chunk, is_english, query_terms, split_sentences


def test_rrf_sums_reciprocal_ranks():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]], k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["d"] == pytest.approx(1 / 62)
    assert [key for key, _ in ranked(fused)] == ["b", "a", "d", "c"]


def test_normalizers():
    assert min_max({"a": 2.0, "b": 4.0, "c": 3.0}) == {"a": 0.0, "b": 1.0, "c": 0.5}
    assert min_max({"a": 5.0, "b": 5.0}) == {"a": 1.0, "b": 1.0}
    assert min_max({}) == {}
    assert max_scale({"a": 2.0, "b": 4.0}) == {"a": 0.5, "b": 1.0}
    assert max_scale({"a": 0.0}) == {"a": 0.0}
    z = z_score({"a": 1.0, "b": 3.0})
    assert z == {"a": pytest.approx(-1.0), "b": pytest.approx(1.0)}


def test_weighted_fusion_missing_ids_get_the_signal_floor():
    dense = {"a": 0.9, "b": 0.7, "c": 0.5}
    lexical = {"b": 10.0, "d": 4.0}
    fused = weighted_fusion([dense, lexical], [0.5, 0.5], normalize="minmax")
    assert fused == {
        "a": pytest.approx(0.5),  # dense 1.0, lexical missing -> 0.0
        "b": pytest.approx(0.75),  # dense 0.5, lexical 1.0
        "c": pytest.approx(0.0),
        "d": pytest.approx(0.0),  # dense missing -> 0.0, lexical min -> 0.0
    }
    assert [key for key, _ in ranked(fused)] == ["b", "a", "c", "d"]


def test_weighted_fusion_zero_weight_ignores_signal():
    fused = weighted_fusion([{"a": 1.0, "b": 2.0}, {"a": 9.0}], [1.0, 0.0])
    assert fused == {"a": 0.0, "b": 1.0}
    with pytest.raises(ValueError):
        weighted_fusion([{"a": 1.0}], [0.5, 0.5])


def test_ties_are_broken_by_id():
    assert ranked({"b": 1.0, "a": 1.0, "c": 2.0}) == [("c", 2.0), ("a", 1.0), ("b", 1.0)]


def test_analyzer_folds_and_keeps_codes_whole():
    terms = analyze("Nghị quyết số 45-NQ/TU ngày 01/9/2021: tỷ trọng đạt 13 - 14%, trên 21.000 lao động")
    for term in ("nghị", "nghi", "45-nq/tu", "01/9/2021", "01/09/2021", "13-14%", "21.000", "21000",
                 "tỉ+trọng", "ti+trong", "lao_động", "lao_dong"):
        assert term in terms, term
    # The clause boundary at ":" stops bigrams.
    assert "2021+tỷ" not in terms


def test_final_y_and_i_spellings_meet():
    # The corpus writes both "tỷ trọng" and "tỉ trọng"; "quý" keeps its y (a glide before it).
    assert set(analyze("tỷ trọng kỹ thuật")) == set(analyze("tỉ trọng kĩ thuật"))
    assert "quý" in analyze("quý I") and "ti+trong" in analyze("ty trong")


def test_query_terms_drop_question_words_only():
    terms = query_terms("Tỷ trọng công nghiệp của Lạng Sơn là bao nhiêu?")
    assert "bao" not in terms and "nhiêu" not in terms
    assert {"tỉ", "ti", "lạng_sơn", "lang_son", "lang+son"} <= set(terms)
    # "bao" spelled out with its diacritics is a topic word ("bảo vệ") and stays.
    assert "bảo" in query_terms("bảo vệ môi trường")
    unaccented = query_terms("ty trong cong nghiep bao nhieu")
    assert "bao" not in unaccented and "cong+nghiep" in unaccented


def test_english_queries_drop_function_words():
    assert is_english("What share of GRDP does industry account for in Lang Son?")
    assert not is_english("tỷ trọng công nghiệp của Lạng Sơn")
    terms = query_terms("What share of GRDP does industry account for in Long An?")
    assert {"grdp", "long", "an", "long+an"} <= set(terms)
    assert not {"what", "of", "does", "in"} & set(terms)


def test_sentence_split_keeps_every_sentence():
    text = "Mục tiêu: đạt 13 - 14%; tăng 45%.\nGiải pháp chính. Đào tạo nghề!"
    assert split_sentences(text) == ["Mục tiêu: đạt 13 - 14%;", "tăng 45%.", "Giải pháp chính.", "Đào tạo nghề!"]


def test_best_sentence_score_prefers_terms_in_one_sentence():
    together = analyze_chunk("Tin", "Thu hút vốn đầu tư nước ngoài còn hạn chế. Hạ tầng giao thông được nâng cấp.")
    scattered = analyze_chunk("Tin", "Thu hút vốn trong nước tăng. Hạ tầng nước ngoài đầu tư còn hạn chế.")
    index = LexicalIndex([together, scattered, analyze_chunk("Tin", "Đào tạo nghề cho lao động nông thôn.")])
    result = index.score(query_terms("vốn đầu tư nước ngoài"))
    assert result.sentence_scores[0] > result.sentence_scores[1] > 0
    assert result.scores[2] == 0 and result.sentence_scores[2] == 0
    assert "đầu_tư" in result.matched_terms
    empty = index.score(query_terms("工业"))
    assert not empty.scores.any() and not empty.sentence_scores.any() and empty.matched_terms == ()
