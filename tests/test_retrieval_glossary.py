"""English queries through the domain glossary: pure functions, then a real small index."""

from __future__ import annotations

import pytest

from assistant.glossary import Glossary, load_glossary, parse_glossary, stem
from assistant.retrieval import FusionConfig, Retriever
from index.settings import Settings


def test_stem_meets_inflected_forms():
    assert {stem(w) for w in ("supervise", "supervising", "supervised", "supervises")} == {"supervis"}
    assert stem("policies") == "policy" and stem("planned") == "plan" and stem("businesses") == "business"
    assert stem("People's") == stem("people") == "peopl" and stem("process") == "process" and stem("gas") == "gas"


def test_parse_glossary_merges_variants_and_skips_comments():
    entries = parse_glossary([
        "# comment",
        "",
        "industrial park|industrial parks\tkhu công nghiệp",
        "industry|industrial\tcông nghiệp",
        "park\tcông viên|khu",
        "park\tkhu",
    ])
    assert entries == {
        ("industrial", "park"): ("khu công nghiệp",),
        ("industry",): ("công nghiệp",),
        ("industrial",): ("công nghiệp",),
        ("park",): ("công viên", "khu"),
    }
    with pytest.raises(ValueError, match="line 1"):
        parse_glossary(["no tab here"])


def test_translate_prefers_the_longest_phrase():
    glossary = Glossary(parse_glossary([
        "industrial park\tkhu công nghiệp",
        "industrial\tcông nghiệp",
        "hydropower\tthủy điện",
        "output\tsản lượng",
    ]))
    gloss = glossary.translate("Hydropower output of industrial parks and industrial values?")
    assert gloss.vietnamese == ("thủy điện", "sản lượng", "khu công nghiệp", "công nghiệp")
    assert gloss.matched == frozenset({"hydropower", "output", "industrial", "parks"})
    # Only eligible words are translated, and a phrase needs all of its words eligible.
    partial = glossary.translate("industrial parks output", eligible=lambda w: w != "parks")
    assert partial.vietnamese == ("công nghiệp", "sản lượng")


def test_bundled_glossary_knows_the_domain():
    gloss = load_glossary().translate("the provincial People's Committee and the Party Standing Committee")
    assert "ủy ban nhân dân" in gloss.vietnamese and "ban thường vụ tỉnh ủy" in gloss.vietnamese
    assert "gross" in load_glossary().translate("share of gross regional product").matched


HYDRO = """Thủy điện và khai khoáng

Sản lượng thủy điện của tỉnh năm 2021 đạt 1.200 triệu kWh, tăng 8% so với năm trước.

Ngành khai khoáng gặp khó khăn do giá đá vôi giảm mạnh trong năm 2021.
"""

LABOUR = """Lao động và đào tạo nghề

Tỷ lệ lao động qua đào tạo trong các khu công nghiệp đạt trên 65% vào năm 2025.

Tỉnh mở thêm các lớp dạy nghề ngắn hạn cho thanh niên nông thôn.
"""


@pytest.fixture(scope="module")
def settings(index_small_corpus) -> Settings:
    """Two small documents, one chunk per paragraph."""
    return index_small_corpus("glossary", {"hydro.txt": HYDRO, "labour.txt": LABOUR})


QUESTION = "What was the hydropower output of the province in 2021?"


def test_english_query_reaches_bm25_only_through_the_glossary(settings, embedder):
    with_glossary = Retriever(settings, embedder=embedder, mode="lexical")
    hits = with_glossary.search(QUESTION, k=3)
    assert hits[0].doc_id == "hydro" and "Sản lượng thủy điện của tỉnh" in hits[0].text
    without = Retriever(settings, embedder=embedder, mode="lexical", fusion=FusionConfig(glossary=False))
    # Without the glossary only "2021" is a corpus word, and both hydro.txt passages have it.
    found = without.search(QUESTION, k=3)
    assert len(found) == 2 and {h.doc_id for h in found} == {"hydro"}
    assert found[0].lexical_score < hits[0].lexical_score


def test_glossary_raises_coverage_of_english_queries(settings, embedder):
    retriever = Retriever(settings, embedder=embedder)
    plain = Retriever(settings, embedder=embedder, fusion=FusionConfig(glossary=False))
    # content words: hydropower, output, province, 2021 -> 2021 known; the glossary adds three.
    assert plain.coverage(QUESTION) == pytest.approx(1 / 4)
    assert retriever.coverage(QUESTION) == pytest.approx(4 / 4)
    assert "Tỷ lệ lao động qua đào tạo" in retriever.search("trained workers in industrial parks", k=1)[0].text


def test_vietnamese_query_translates_only_unknown_english_words(settings, embedder):
    retriever = Retriever(settings, embedder=embedder, mode="lexical")
    # "hydropower" is not a corpus word: translated; the Vietnamese words are searched as typed.
    hits = retriever.search("sản lượng hydropower năm 2021", k=1)
    assert "Sản lượng thủy điện của tỉnh" in hits[0].text
