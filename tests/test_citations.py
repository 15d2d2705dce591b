"""Memo-style citations and the memo form of an answer: exact strings, no index needed."""

from __future__ import annotations

from assistant.citations import format_answer_for_memo, format_citation, vietnamese_date
from assistant.records import Answer, Citation

NQ45_TITLE = "Lạng Sơn ban hành Nghị quyết 45-NQ/TU về phát triển công nghiệp giai đoạn 2021-2025, định hướng đến năm 2030"


def citation(**changes) -> Citation:
    values = dict(
        n=1, chunk_id="c", doc_id="d", title="", number="", issuer="", date="", kind="resolution", section="",
        quote="tỷ trọng ngành công nghiệp trong tổng sản phẩm trên địa bàn đạt 13 - 14%", start=0, end=10,
        passage="", province="",
    )
    values.update(changes)
    return Citation(**values)


def test_resolution_with_number_date_issuer_and_section():
    c = citation(number="45-NQ/TU", date="2021-09-01", issuer="Ban Thường vụ Tỉnh ủy Lạng Sơn", section="II. Mục tiêu")
    assert format_citation(c) == (
        "Nghị quyết số 45-NQ/TU ngày 01/9/2021 của Ban Thường vụ Tỉnh ủy Lạng Sơn, mục II. Mục tiêu: "
        '"tỷ trọng ngành công nghiệp trong tổng sản phẩm trên địa bàn đạt 13 - 14%"'
    )


def test_news_item_reporting_a_resolution_cites_the_resolution_and_the_article():
    c = citation(kind="news", number="45-NQ/TU", date="2021-09-01", issuer="Ban Thường vụ Tỉnh ủy Lạng Sơn",
                 title=NQ45_TITLE, quote="đạt 13 - 14%")
    assert format_citation(c) == (
        f'Nghị quyết số 45-NQ/TU ngày 01/9/2021 của Ban Thường vụ Tỉnh ủy Lạng Sơn (theo bài tin "{NQ45_TITLE}"): '
        '"đạt 13 - 14%"'
    )


def test_resolution_without_number_and_with_year_only():
    # The Tuyên Quang resolution in the manifest has no number; its date records only the year.
    c = citation(issuer="Ban Thường vụ Tỉnh ủy Tuyên Quang", date="2021-01-01",
                 section="II- QUAN ĐIỂM, MỤC TIÊU > 2- Mục tiêu", quote="đạt trên 24,7%.")
    assert format_citation(c) == (
        'Nghị quyết năm 2021 của Ban Thường vụ Tỉnh ủy Tuyên Quang, mục II- QUAN ĐIỂM, MỤC TIÊU > 2- Mục tiêu: '
        '"đạt trên 24,7%."'
    )


def test_news_article_gives_title_source_and_date():
    c = citation(kind="news", title="Lạng Sơn dừng xây dựng Đề án", issuer="UBND tỉnh Lạng Sơn (nguồn tin)",
                 date="2022-04-19", quote="Ngày 19/4,\n UBND tỉnh   Lạng Sơn")
    assert format_citation(c) == 'Bài "Lạng Sơn dừng xây dựng Đề án" (UBND tỉnh Lạng Sơn), ngày 19/4/2022: "Ngày 19/4, UBND tỉnh Lạng Sơn"'


def test_news_article_with_year_only_and_section_equal_to_title():
    c = citation(kind="news", title="Long An tái cơ cấu ngành công nghiệp", section="Long An tái cơ cấu ngành công nghiệp",
                 issuer="Sở Công Thương tỉnh Long An (nguồn tin)", date="2021-01-01", quote="60,5%")
    assert format_citation(c) == 'Bài "Long An tái cơ cấu ngành công nghiệp" (Sở Công Thương tỉnh Long An), năm 2021: "60,5%"'


def test_missing_metadata_is_left_out_not_invented():
    assert format_citation(citation(kind="news", title="Tin ngắn", quote="x")) == 'Bài "Tin ngắn": "x"'
    assert format_citation(citation(kind="news", quote="x")) == 'Tài liệu: "x"'
    assert format_citation(citation(kind="resolution", quote="x")) == 'Nghị quyết: "x"'


def test_vietnamese_date():
    assert vietnamese_date("2021-09-01") == "01/9/2021"
    assert vietnamese_date("2022-12-25") == "25/12/2022"
    assert vietnamese_date("không rõ") == "không rõ"


def test_answer_for_memo_lists_numbered_sources():
    c1 = citation(n=1, number="45-NQ/TU", date="2021-09-01", issuer="Ban Thường vụ Tỉnh ủy Lạng Sơn", quote="đạt 13 - 14%")
    c2 = citation(n=2, issuer="Ban Thường vụ Tỉnh ủy Tuyên Quang", date="2021-01-01", quote="đạt trên 24,7%")
    answer = Answer(question="q", answer="Lạng Sơn: 13 - 14% [1]. Tuyên Quang: trên 24,7% [2].", abstained=False,
                    citations=[c1, c2])
    assert format_answer_for_memo(answer) == (
        "Lạng Sơn: 13 - 14% [1]. Tuyên Quang: trên 24,7% [2].\n\nNguồn:\n"
        '[1] Nghị quyết số 45-NQ/TU ngày 01/9/2021 của Ban Thường vụ Tỉnh ủy Lạng Sơn: "đạt 13 - 14%"\n'
        '[2] Nghị quyết năm 2021 của Ban Thường vụ Tỉnh ủy Tuyên Quang: "đạt trên 24,7%"'
    )


def test_abstained_answer_for_memo_is_its_text():
    answer = Answer(question="q", answer="Các tài liệu hiện có không nêu thông tin này.", abstained=True)
    assert format_answer_for_memo(answer) == "Các tài liệu hiện có không nêu thông tin này."
