"""Session-3 retrieval signals: answer-type matching and clause-level dense units."""

from __future__ import annotations

import pytest

from assistant.lexical import asked_types, holds_type, split_clauses
from assistant.retrieval import FusionConfig, Retriever


def test_asked_types_reads_vietnamese_unaccented_and_english_question_words():
    assert asked_types("Tỷ trọng công nghiệp năm 2025 là bao nhiêu?") == {"quantity"}
    assert asked_types("co bao nhieu cum cong nghiep") == {"quantity"}
    assert asked_types("How many workers will Tuyen Quang train?") == {"quantity"}
    assert asked_types("Khi nào hoàn thành quy hoạch?") == {"time"}
    assert asked_types("Cơ quan nào chủ trì triển khai nghị quyết?") == {"agency"}
    assert asked_types("Who leads the implementation?") == {"agency"}
    # Topic words that merely contain a question word's letters ask for nothing.
    assert asked_types("Lạng Sơn phát triển điện gió ra sao?") == frozenset()
    assert asked_types("Bao bì và máy móc") == frozenset()
    assert asked_types("cong nghiep det may Long An") == frozenset()  # unaccented "may" is not "mấy"


def test_holds_type_finds_figures_dates_and_agencies():
    assert holds_type("tỷ lệ lấp đầy đạt trên 30%", "quantity")
    assert holds_type("tương đương trên 138.700 lao động", "quantity")
    assert not holds_type("phát triển công nghiệp hỗ trợ", "quantity")
    assert holds_type("hoàn thành trong năm 2025", "time")
    assert holds_type("ban hành ngày 01/9/2021", "time")
    assert not holds_type("từng bước nâng cao chất lượng", "time")
    assert holds_type("Ban Tuyên giáo Tỉnh ủy chủ trì", "agency")
    assert holds_type("giao UBND tỉnh tổ chức thực hiện", "agency")
    assert not holds_type("ban hành cơ chế mới", "agency")  # "ban" of "ban hành": lowercase


def test_split_clauses_cuts_at_colons_and_semicolons_and_optionally_commas():
    sentence = ("Mục tiêu đến năm 2025: tỷ lệ lấp đầy các cụm công nghiệp đạt trên 30%; "
                "thu hút thêm 20 dự án đầu tư vào các khu, cụm công nghiệp; dệt - may.")
    assert split_clauses(sentence) == [
        "tỷ lệ lấp đầy các cụm công nghiệp đạt trên 30%;",
        "thu hút thêm 20 dự án đầu tư vào các khu, cụm công nghiệp;",
    ]  # "Mục tiêu đến năm 2025:" and "dệt - may." are shorter than MIN_CLAUSE_CHARS
    assert split_clauses("Một câu không có dấu chấm phẩy nào cả, chỉ có dấu phẩy.") == []
    assert split_clauses("Một câu không có dấu chấm phẩy nào cả, chỉ có dấu phẩy ở giữa câu dài này.", commas=True) == [
        "Một câu không có dấu chấm phẩy nào cả,", "chỉ có dấu phẩy ở giữa câu dài này."]


LIST_DOC = """Nhiệm vụ phát triển công nghiệp

Các nhiệm vụ chủ yếu gồm: hoàn thiện quy hoạch các khu, cụm công nghiệp và hạ tầng kỹ thuật; thực hiện nghiêm các quy định về bảo hộ quyền sở hữu trí tuệ; đào tạo nghề cho lao động địa phương.

Tỷ lệ lấp đầy các cụm công nghiệp đạt trên 30% vào năm 2025.
"""

MANIFEST = """
["nhiem-vu.txt"]
title = "Nhiệm vụ phát triển công nghiệp"
province = "Lạng Sơn"
kind = "resolution"
"""


@pytest.fixture(scope="module")
def settings(index_small_corpus):
    return index_small_corpus("answer-type", {"nhiem-vu.txt": LIST_DOC}, MANIFEST)


def test_clause_units_are_added_to_the_sentence_vectors(settings, embedder):
    with_clauses = Retriever(settings, embedder=embedder, fusion=FusionConfig(clause_units="colon"))
    sentences_only = Retriever(settings, embedder=embedder)  # the default: no clause units
    n_with = len(with_clauses._snap.sentence_vectors.get().owner)
    n_without = len(sentences_only._snap.sentence_vectors.get().owner)
    # split_sentences already cuts at ";"; of the first piece, "Các nhiệm vụ chủ yếu gồm:" is
    # shorter than MIN_CLAUSE_CHARS and "hoàn thiện quy hoạch ... hạ tầng kỹ thuật;" is added.
    assert n_with - n_without == 1


def test_answer_type_weight_adds_to_chunks_that_hold_the_asked_type(settings, embedder):
    query = "Tỷ lệ lấp đầy các cụm công nghiệp là bao nhiêu?"
    plain = {h.chunk_id: h.score for h in Retriever(
        settings, embedder=embedder, fusion=FusionConfig(answer_type_weight=0.0)).search(query, k=5)}
    typed = Retriever(settings, embedder=embedder, fusion=FusionConfig(answer_type_weight=0.04)).search(query, k=5)
    for hit in typed:
        bonus = 0.04 if holds_type(hit.text, "quantity") else 0.0
        assert hit.score == pytest.approx(plain[hit.chunk_id] + bonus)
    assert "30%" in typed[0].text
