"""Session-3 round-2 retrieval signals: the year/period match and administrative abbreviations."""

from __future__ import annotations

import pytest

from assistant.glossary import Abbreviations, load_abbreviations, parse_abbreviations
from assistant.lexical import BEFORE_DOCUMENT, period_before, year_match, year_mentions
from assistant.retrieval import FusionConfig, Retriever

Y2021_2025 = frozenset(range(2021, 2026))


def test_year_mentions_reads_years_periods_with_or_without_spaces_and_dates():
    assert year_mentions("Tỷ trọng đến năm 2025, giai đoạn 2021 - 2025, 05 năm (2021-2025), 2026 – 2030") == [
        frozenset({2025}), Y2021_2025, Y2021_2025, frozenset(range(2026, 2031))]
    assert year_mentions("ban hành ngày 01/9/2021") == [frozenset({2021})]
    # Numbers that only look like years: thousands, codes, percentages.
    assert year_mentions("đạt 27.700 tỷ đồng, 2.025 lao động, số 2025/QĐ-UBND, tăng 2020%") == []
    # A span longer than MAX_PERIOD_YEARS is read as its two ends.
    assert year_mentions("1990-2030") == [frozenset({1990}), frozenset({2030})]


def test_year_mentions_reads_a_period_written_in_words():
    y2015_2020 = frozenset(range(2015, 2021))
    for text in ("Khoảng thời gian 2015 tới 2020", "từ năm 2015 đến năm 2020", "tu nam 2015 den nam 2020",
                 "from 2015 to 2020"):
        assert year_mentions(text) == [y2015_2020], text
    # A horizon after a period stays a year of its own.
    assert year_mentions("giai đoạn 2021 - 2025, định hướng đến năm 2030") == [Y2021_2025, frozenset({2030})]


def test_year_mentions_skips_baselines_and_price_bases_in_passages():
    text = "đạt trên 21.000 lao động, tăng 45% so với năm 2020, (tính theo giá so sánh 2010) vào năm 2025"
    assert year_mentions(text, skip_references=True) == [frozenset({2025})]
    assert year_mentions(text) == [frozenset({2020}), frozenset({2010}), frozenset({2025})]
    assert year_mentions("tăng 7-8% so với cùng kỳ năm 2021", skip_references=True) == []


def test_year_match_is_the_share_of_mentions_covering_an_asked_year():
    assert year_match(frozenset({2025}), [Y2021_2025, frozenset({2030})]) == 0.5
    assert year_match(frozenset({2023}), [Y2021_2025]) == 1.0  # a period covers its years
    assert year_match(frozenset({2030}), [Y2021_2025]) == 0.0
    assert year_match(frozenset({2025}), []) is None


def test_abbreviations_expand_both_ways_but_not_inside_codes():
    table = load_abbreviations()
    assert table.expand("Có mấy KCN và cụm CN?").vietnamese == ("khu công nghiệp", "công nghiệp")
    assert table.expand("Có mấy KCN và cụm CN?").matched == {"kcn", "cn"}
    assert table.expand("HDND tinh").vietnamese == ("Hội đồng nhân dân",)  # typed without diacritics
    assert table.expand("Ủy ban nhân dân tỉnh chỉ đạo").vietnamese == ("UBND",)
    assert table.expand("Nghị quyết 45-NQ/TU").vietnamese == ()
    assert table.expand("các cn ở đây").vietnamese == ()  # lowercase: not an abbreviation
    small = Abbreviations(parse_abbreviations(["# comment", "KT-XH\tkinh tế - xã hội"]))
    assert small.expand("phát triển KT-XH").vietnamese == ("kinh tế - xã hội",)
    with pytest.raises(ValueError):
        parse_abbreviations(["KCN khu công nghiệp"])


YEARS_DOC = """Mục tiêu phát triển công nghiệp

Đến năm 2025, tỷ trọng công nghiệp trong GRDP đạt 40%, tăng 5% so với năm 2020.

Đến năm 2030, tỷ trọng công nghiệp trong GRDP đạt 50%.

Phát triển khu công nghiệp gắn với bảo vệ môi trường.
"""

MANIFEST = """
["muc-tieu.txt"]
title = "Mục tiêu phát triển công nghiệp"
province = "Lạng Sơn"
kind = "resolution"
"""


@pytest.fixture(scope="module")
def settings(index_small_corpus):
    return index_small_corpus("years", {"muc-tieu.txt": YEARS_DOC}, MANIFEST)


def test_year_weight_adds_the_year_match_of_each_chunk(settings, embedder):
    query = "Tỷ trọng công nghiệp trong GRDP đến năm 2025 là bao nhiêu?"
    plain = {h.chunk_id: h.score for h in Retriever(
        settings, embedder=embedder, fusion=FusionConfig(year_weight=0.0)).search(query, k=5)}
    dated = Retriever(settings, embedder=embedder, fusion=FusionConfig(year_weight=0.1, year_neutral=1.0))
    hits = dated.search(query, k=5)
    assert len(hits) == len(plain)
    for hit in hits:
        share = year_match(frozenset({2025}), year_mentions(hit.text, skip_references=True))
        bonus = 0.1 * (1.0 if share is None else share)  # the header names no year
        assert hit.score == pytest.approx(plain[hit.chunk_id] + bonus)
    # A question naming no year gets no bonus at all.
    undated = "Tỷ trọng công nghiệp trong GRDP là bao nhiêu?"
    assert [h.score for h in dated.search(undated, k=5)] == pytest.approx(
        [h.score for h in Retriever(settings, embedder=embedder, fusion=FusionConfig(year_weight=0.0)).search(undated, k=5)])


def test_expanded_abbreviations_count_as_known_words(settings, embedder):
    query = "KCN bảo vệ môi trường"
    assert Retriever(settings, embedder=embedder).coverage(query) == 1.0
    without = Retriever(settings, embedder=embedder, fusion=FusionConfig(abbreviations=False))
    assert without.coverage(query) == pytest.approx(4 / 5)  # "kcn" is not in the corpus


TITLED_DOC = """Kế hoạch công nghiệp của tỉnh

Công nghiệp ưu tiên, mũi nhọn gồm công nghiệp chế biến và công nghiệp hỗ trợ.

Giai đoạn 2018-2025, giá trị sản xuất công nghiệp tăng 10%/năm.
"""

TITLED_MANIFEST = """
["ke-hoach.txt"]
title = "Kế hoạch công nghiệp giai đoạn 2018-2025"
province = "Long An"
kind = "news"
"""


def test_a_titles_period_does_not_count_against_a_chunk_about_a_later_year(index_small_corpus, embedder):
    settings = index_small_corpus("titled", {"ke-hoach.txt": TITLED_DOC}, TITLED_MANIFEST)
    query = "Những ngành công nghiệp ưu tiên, mũi nhọn đến năm 2030?"
    plain = {h.chunk_id: (h.score, h.text) for h in Retriever(
        settings, embedder=embedder, fusion=FusionConfig(year_weight=0.0)).search(query, k=5)}
    dated = Retriever(settings, embedder=embedder, fusion=FusionConfig(year_weight=0.1, year_neutral=1.0))
    for hit in dated.search(query, k=5):
        if "mũi nhọn" in hit.text:  # no year of its own; the title's 2018-2025 does not cover 2030
            assert hit.score == pytest.approx(plain[hit.chunk_id][0] + 0.1)
        elif "Giai đoạn 2018-2025" in hit.text:  # its own period is another horizon
            assert hit.score == pytest.approx(plain[hit.chunk_id][0])


def test_the_period_before_the_document_is_the_plan_period_before_its_own():
    assert BEFORE_DOCUMENT.search("Trong năm năm trước khi có nghị quyết, tỉnh thu hút bao nhiêu dự án?")
    assert BEFORE_DOCUMENT.search("What growth did industry reach before the resolution?")
    assert not BEFORE_DOCUMENT.search("Trước năm 2025 tỉnh thu hút bao nhiêu dự án?")
    title = "Nghị quyết về phát triển công nghiệp giai đoạn 2021 - 2025"
    assert period_before(year_mentions(title)) == frozenset(range(2015, 2021))
    assert period_before(year_mentions("Nghị quyết số 45-NQ/TU")) == frozenset()
