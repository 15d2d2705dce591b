"""Everyday Vietnamese wordings through the synonym table: pure functions, then a real small
index (real embedder, real Chroma in tmp)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer import Assistant, unit_embed_text
from assistant.evidence import read_question
from assistant.glossary import Synonyms, load_synonyms, parse_synonyms
from assistant.retrieval import FusionConfig, Retriever
from index.settings import Settings


def test_parse_synonyms_folds_keys_merges_and_skips_comments():
    entries = parse_synonyms([
        "# comment",
        "",
        "đền bù|Đền Bù Giải Tỏa\tbồi thường|giải phóng mặt bằng",
        "đền bù\ttái định cư|bồi thường",
        "tỉ trọng\ttỉ trọng",  # a rendering equal to its key adds nothing
    ])
    assert entries == {
        "den bu": ("bồi thường", "giải phóng mặt bằng", "tái định cư"),
        "den bu giai toa": ("bồi thường", "giải phóng mặt bằng"),
    }
    with pytest.raises(ValueError, match="synonym line 1"):
        parse_synonyms(["đền bù bồi thường"])


def test_synonyms_match_whole_words_longest_first_with_or_without_diacritics():
    table = Synonyms({"den bu": ("bồi thường",), "den bu giai toa": ("giải phóng mặt bằng",), "von ngoai": ("FDI",)})
    assert table.expand("Tiền đền bù giải tỏa ra sao?").vietnamese == ("giải phóng mặt bằng",)
    assert table.expand("tien den bu the nao").vietnamese == ("bồi thường",)
    assert table.expand("Thu hút vốn ngoại, đền bù").vietnamese == ("FDI", "bồi thường")
    assert table.expand("vốn ngoạingữ").vietnamese == ()  # not inside a word
    assert Synonyms({}).expand("đền bù").vietnamese == ()


def test_bundled_table_maps_everyday_words_to_the_documents_wording():
    table = load_synonyms()
    assert len(table) > 500
    assert "FDI" in table.expand("Vốn ngoại vào tỉnh thế nào?").vietnamese
    assert "lao động" in table.expand("số người làm việc trong khu công nghiệp").vietnamese
    assert "bồi thường" in table.expand("den bu giai toa").vietnamese


LABOUR = """Lao động và đào tạo nghề

Tỷ lệ lao động qua đào tạo trong các khu công nghiệp đạt trên 65% vào năm 2025.

Tỉnh tập trung giải phóng mặt bằng, bồi thường, tái định cư để tạo quỹ đất sạch.
"""


@pytest.fixture(scope="module")
def settings(index_small_corpus) -> Settings:
    return index_small_corpus("synonyms", {"labour.txt": LABOUR})


def test_an_everyday_query_reaches_bm25_through_the_synonyms(settings, embedder):
    question = "Đền bù thế nào?"
    with_synonyms = Retriever(settings, embedder=embedder, mode="lexical").search(question, k=2)
    assert "bồi thường" in with_synonyms[0].text
    # Without the table no word of the question is in the passages: nothing is found.
    assert Retriever(settings, embedder=embedder, mode="lexical",
                     fusion=FusionConfig(synonym_weight=0)).search(question, k=2) == []


def test_a_question_is_reworded_phrase_by_phrase_in_the_documents_wording():
    table = Synonyms({"kho bai": ("trung tâm logistic",), "vung que": ("nông thôn",), "ty trong": ("tỉ trọng",)})
    assert table.reworded("Tỉnh có xây   một đầu mối kho bãi ở vùng quê không?") == \
        "Tỉnh có xây một đầu mối trung tâm logistic ở nông thôn không?"
    assert table.reworded("Tỷ trọng công nghiệp?") is None  # a spelling, not another wording
    assert table.reworded("Tỷ lệ lao động qua đào tạo?") is None


def test_the_dense_signals_also_read_the_reworded_question(settings, embedder):
    # "đền bù" is the everyday word; the passage writes "bồi thường". Each chunk keeps the
    # better of its similarities to the question and to the question in the documents' words.
    question = "Tỉnh lo chuyện đền bù ra sao?"
    reworded = load_synonyms().reworded(question)
    assert reworded and "bồi thường" in reworded
    retriever = Retriever(settings, embedder=embedder)
    hit = next(h for h in retriever.search(question, k=3) if "bồi thường" in h.text)
    dense = Retriever(settings, embedder=embedder, mode="dense")  # the plain dense baseline
    as_asked = next(h.dense_score for h in dense.search(question, k=3) if h.chunk_id == hit.chunk_id)
    as_reworded = next(h.dense_score for h in dense.search(reworded, k=3) if h.chunk_id == hit.chunk_id)
    assert as_reworded > as_asked
    assert hit.dense_score == pytest.approx(as_reworded, abs=1e-5)
    plain = Retriever(settings, embedder=embedder, fusion=FusionConfig(synonym_dense=False))
    plain_hit = next(h for h in plain.search(question, k=3) if h.chunk_id == hit.chunk_id)
    assert plain_hit.dense_score == pytest.approx(as_asked, abs=1e-5)


ENERGY = """Nghị quyết phát triển công nghiệp tỉnh Tuyên Quang

Phát triển ngành điện đảm bảo tốc độ tăng trưởng sản lượng điện trên 12%/năm để phục vụ đắc lực cho phát triển kinh tế - xã hội nói chung, phát triển công nghiệp nói riêng; phấn đấu 100% thôn, bản có điện lưới quốc gia. Chú trọng phát triển và nâng cấp hệ thống lưới điện trong toàn tỉnh, nâng cao chất lượng phục vụ để tạo uy tín, độ tin cậy trong cung cấp, sử dụng điện, nhất là ở các khu vực có nhu cầu sử dụng điện năng lớn.

Phát triển ngành công nghiệp nước, đáp ứng nhu cầu sử dụng nước sạch theo tiêu chuẩn, nhất là khu vực thành phố, các thị trấn, huyện lỵ. Thực hiện chương trình nước sạch quốc gia, hỗ trợ cung cấp nước sạch cho khu vực nông thôn, vùng sâu, vùng xa, người nghèo.

Tỷ lệ lao động qua đào tạo trong các khu công nghiệp đạt trên 65% vào năm 2025.
"""


def test_the_answer_reads_its_clauses_against_the_reworded_question_too(index_small_corpus, embedder):
    # "kéo điện về làng xóm" is "điện lưới quốc gia" for "thôn, bản" in the resolution: each
    # clause keeps the better of its similarities to the question as asked and as reworded.
    settings = index_small_corpus("synonyms-answer", {"tuyen-quang.txt": ENERGY})
    assistant = Assistant(settings, retriever=Retriever(settings, embedder=embedder))
    question = "Về kéo điện về làng xóm, Tuyên Quang đặt chỉ tiêu thế nào?"
    reworded = assistant.retriever.reworded(question)
    assert reworded and "thôn, bản" in reworded and "điện lưới quốc gia" in reworded
    hits = assistant.retriever.search(question, k=4)
    as_asked = np.asarray(assistant.retriever.query_embedding(question), dtype=np.float32)
    as_reworded = np.asarray(assistant.retriever.query_embedding(reworded), dtype=np.float32)
    scored = assistant._score(read_question(question), hits, as_asked, assistant.corpus())
    target = next(s for s in scored if "100% thôn, bản" in s.unit.text)
    vector = assistant.vectors.get([unit_embed_text(target.unit)])[0]
    assert float(vector @ as_reworded) > float(vector @ as_asked)
    assert target.features["cos"] == pytest.approx(float(vector @ as_reworded), abs=1e-5)
    # English questions and the single-signal baselines are not reworded.
    assert assistant.retriever.reworded("How is electricity brought to villages?") is None
    assert Retriever(settings, embedder=embedder, mode="dense").reworded(question) is None
    assert Retriever(settings, embedder=embedder, fusion=FusionConfig(synonym_dense=False)).reworded(question) is None


def test_a_question_and_its_rewording_are_embedded_in_one_batch(settings, embedder):
    retriever = Retriever(settings, embedder=embedder)
    pair = ["Tỉnh lo chuyện đền bù ra sao?", "Tỉnh lo chuyện bồi thường ra sao?"]
    together = retriever.query_embeddings(pair)
    retriever.clear_query_cache()
    one_by_one = [embedder.get_query_embedding(q) for q in pair]
    for got, expected in zip(together, one_by_one):
        assert np.allclose(got, expected, atol=1e-5)
    # Cached per string: asking again returns the same vectors.
    assert retriever.query_embeddings(pair[:1])[0] == retriever.query_embeddings(pair[:1])[0]
