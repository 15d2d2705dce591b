"""Everyday Vietnamese wordings through the synonym table: pure functions, then a real small
index (real embedder, real Chroma in tmp)."""

from __future__ import annotations

import pytest

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
