"""Session-2 retrieval signals: function words, sentence vectors, both sides of a comparison."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.fusion import promote_groups
from assistant.lexical import MIN_SENTENCE_CHARS, query_terms, split_sentences
from assistant.retrieval import FusionConfig, Retriever, SentenceVectors
from index.settings import Settings


def test_function_words_are_dropped_but_not_their_topic_homographs():
    terms = query_terms("Các cơ sở công nghiệp của tỉnh có quy mô thế nào?")
    assert not {"các", "của", "có", "cac", "cua"} & set(terms)
    # "có" folds to "co", which "cơ" (in "cơ sở") also folds to: the folded form stays.
    assert {"cơ", "co", "cơ+sở", "công_nghiệp", "quy_mô"} <= set(terms)
    unaccented = query_terms("cac co so cong nghiep cua tinh")
    assert "cac" not in unaccented and "cua" not in unaccented and "co" in unaccented


def test_promote_groups_puts_the_best_of_each_group_first():
    ranking = ["a1", "a2", "x", "b1", "a3", "b2"]
    group_of = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}
    assert promote_groups(ranking, group_of, ["B", "A"]) == ["a1", "b1", "a2", "x", "a3", "b2"]
    assert promote_groups(ranking, group_of, ["A", "C"]) == ranking
    assert promote_groups([], group_of, ["A"]) == []


def test_sentence_vectors_best_is_the_max_cosine_per_chunk():
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    vectors = SentenceVectors(matrix, np.array([0, 0, 2]), chunks=3)
    best = vectors.best(np.array([0.6, 0.8], dtype=np.float32))
    assert best[0] == pytest.approx(0.8) and best[2] == pytest.approx(1.0)
    assert best[1] == -np.inf  # chunk 1 has no sentence


LANG_SON = """Lạng Sơn phát triển cụm công nghiệp

Đến năm 2025, tỷ lệ lấp đầy các cụm công nghiệp của Lạng Sơn đạt trên 30%, thu hút thêm nhà đầu tư vào các cụm.

Lạng Sơn đẩy nhanh giải phóng mặt bằng cụm công nghiệp Hợp Thành và cụm công nghiệp Na Dương.

Tỷ lệ lấp đầy cụm công nghiệp Đồng Bành đạt 45% trong năm 2021, cao nhất trong các cụm công nghiệp.
"""

TUYEN_QUANG = """Tuyên Quang thu hút đầu tư

Tỷ lệ lấp đầy khu công nghiệp Long Bình An dự kiến đạt trên 60% vào năm 2025.

Tuyên Quang phát triển vùng nguyên liệu gỗ rừng trồng cho chế biến.
"""

MANIFEST = """
["lang-son.txt"]
title = "Lạng Sơn phát triển cụm công nghiệp"
province = "Lạng Sơn"
kind = "news"

["tuyen-quang.txt"]
title = "Tuyên Quang thu hút đầu tư"
province = "Tuyên Quang"
kind = "news"
"""


@pytest.fixture(scope="module")
def settings(index_small_corpus) -> Settings:
    """Two provinces' news, one chunk per paragraph."""
    return index_small_corpus("signals", {"lang-son.txt": LANG_SON, "tuyen-quang.txt": TUYEN_QUANG}, MANIFEST)


@pytest.fixture(scope="module")
def retriever(settings, embedder) -> Retriever:
    return Retriever(settings, embedder=embedder)


def test_comparison_puts_each_named_province_in_the_top(retriever):
    query = "tỷ lệ lấp đầy cụm công nghiệp của Lạng Sơn và tuyen quang"
    assert retriever.provinces_named(query) == ["Lạng Sơn", "Tuyên Quang"]
    hits = retriever.search(query, k=4)
    assert {h.province for h in hits[:2]} == {"Lạng Sơn", "Tuyên Quang"}
    assert hits[1].province == "Tuyên Quang" and hits[1].score < hits[2].score  # promoted
    assert "Long Bình An" in next(h for h in hits if h.province == "Tuyên Quang").text
    # One province named (and "Long Bình An" is not "Long An"): the plain score order.
    single = retriever.search("tỷ lệ lấp đầy khu công nghiệp Long Bình An", k=5)
    assert retriever.provinces_named("khu công nghiệp Long Bình An") == []
    assert [h.score for h in single] == sorted((h.score for h in single), reverse=True)


def test_sentence_vectors_are_embedded_once_and_cached(settings, embedder, retriever):
    from index.vectors import EmbeddingCache, model_id, text_hash
    from assistant.retrieval import _header

    retriever.warm_up()
    snap = retriever._snap
    expected = [
        f"{_header(meta)}\n\n{s}"
        for text, meta in zip(snap.texts, snap.metas)
        for s in split_sentences(text) if len(s) >= MIN_SENTENCE_CHARS
    ]
    cache = EmbeddingCache(settings.data_dir / "embeddings.sqlite")
    found = cache.get_many(model_id(embedder), [text_hash(t) for t in expected])
    assert len(found) == len(expected) == len(snap.sentence_vectors.get().owner)
    # A lexical-only retriever does not compute them at all.
    assert Retriever(settings, embedder=embedder, mode="lexical")._snap.sentence_vectors is None
    assert Retriever(settings, embedder=embedder, fusion=FusionConfig(sentence_dense_weight=0.0))._snap.sentence_vectors is None
