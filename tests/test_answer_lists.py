"""List answers gather the items a sentence announces (pure functions, plus the bundled
corpus end to end), and "vì vậy" is not read as a reason."""

from __future__ import annotations

import re

import pytest

from assistant.answer import Assistant, piece_with_items
from assistant.evidence import ANSWER_CUES, is_list_sentence, split_units
from assistant.records import Hit
from assistant.retrieval import Retriever

TQ = "tuyen-quang-nq-phat-trien-cong-nghiep-2021-2025"


def _hit(text: str, start: int = 100) -> Hit:
    return Hit(chunk_id="c1", doc_id="d1", text=text, section="", start=start, end=start + len(text),
               score=1.0, rank=1)


def test_a_sentence_ending_with_a_colon_takes_the_next_sentence_as_its_items():
    hit = _hit("Tỉnh hỗ trợ các vùng nguyên liệu mới như:\n\nNuôi trồng thủy sản, trồng dược liệu. Câu khác.")
    header = split_units(hit)[0]
    piece = piece_with_items(header)
    assert piece.shown == "Tỉnh hỗ trợ các vùng nguyên liệu mới như:\n\nNuôi trồng thủy sản, trồng dược liệu."
    assert (piece.quote_start, piece.quote_end) == (100, 100 + len(piece.shown))
    assert hit.text[piece.quote_start - 100:piece.quote_end - 100] == piece.shown


def test_a_heading_sentence_takes_the_enumeration_that_carries_it_on():
    hit = _hit("Sản xuất năm 2021 vẫn tăng. Trong đó, điện đạt 890 kwh; clinker đạt 410 tấn; đá đạt 4 m3. Hết.")
    piece = piece_with_items(split_units(hit)[0])
    assert piece.shown == "Sản xuất năm 2021 vẫn tăng. Trong đó, điện đạt 890 kwh; clinker đạt 410 tấn; đá đạt 4 m3."


@pytest.mark.parametrize("text", [
    "Sản xuất năm 2021 vẫn tăng. Tỉnh tiếp tục đầu tư hạ tầng.",  # next sentence does not enumerate
    "Sản xuất năm 2021 vẫn tăng. Điện đạt 890 kwh; clinker đạt 410 tấn; đá đạt 4 m3.",  # nor carry it on
    "Sản xuất năm 2021 vẫn tăng.",  # nothing follows
])
def test_no_items_are_added_when_the_next_sentence_does_not_give_them(text):
    assert piece_with_items(split_units(_hit(text))[0]) is None


def test_therefore_is_not_a_reason_cue():
    why = ANSWER_CUES["why"][1]
    assert re.search(why, "vì vậy, tỉnh tăng cường chỉ đạo") is None
    assert re.search(why, "vì thế, tỉnh tăng cường chỉ đạo") is None
    assert re.search(why, "việc dừng đề án là do chưa đủ điều kiện") is not None
    assert re.search(why, "dừng vì chưa đủ điều kiện") is not None


def test_short_items_joined_by_commas_and_va_are_a_list():
    assert is_list_sentence("Nghiên cứu phát triển các nguồn điện từ rác thải đô thị, chất thải rắn và sinh khối.")
    assert not is_list_sentence("Phát triển công nghiệp gắn với bảo vệ môi trường và khai thác tài nguyên.")
    assert not is_list_sentence("Ngày 01/9/2021, Tỉnh ủy Lạng Sơn đã ban hành Nghị quyết số 45-NQ/TU.")


def test_businesses_can_answer_who():
    who = ANSWER_CUES["who"][1]
    assert re.search(who, "xác định doanh nghiệp là lực lượng quan trọng, là trung tâm") is not None
    assert re.search(who, "sở công thương chủ trì") is not None  # matched on lowercased text
    assert re.search(who, "phát triển chiều sâu") is None


def test_a_body_answers_who_and_the_words_for_any_body_do_not():
    who = ANSWER_CUES["who"][1]
    assert re.search(who, "đảng đoàn hội đồng nhân dân tỉnh chỉ đạo hội đồng nhân dân tỉnh nghiên cứu") is not None
    assert re.search(who, "hội đồng nhân dân tỉnh nghiên cứu, đề xuất ban hành cơ chế") is not None
    # "cơ quan, đơn vị" names no one: it is what "which body" asks, not an answer to it.
    assert re.search(who, "xác định rõ trách nhiệm của cơ quan, đơn vị và chính quyền địa phương") is None


@pytest.fixture(scope="module")
def assistant(bundled_index, embedder) -> Assistant:
    return Assistant(bundled_index, retriever=Retriever(bundled_index, embedder=embedder))


def test_list_answer_gives_the_items_announced_after_a_colon(assistant):
    answer = assistant.ask("Tuyên Quang hỗ trợ phát triển những vùng nguyên liệu mới có lợi thế nào?")
    assert not answer.abstained
    assert "Nuôi trồng thủy sản, trồng dược liệu, sản xuất vật liệu xây dựng" in answer.answer
    cited = [c for c in answer.citations if "Nuôi trồng thủy sản" in c.quote]
    assert [c.doc_id for c in cited] == [TQ]
    text, _ = assistant.retriever.document(TQ)
    assert text[cited[0].start:cited[0].end] == cited[0].quote


def test_list_answer_gives_the_enumeration_after_its_heading(assistant):
    answer = assistant.ask("Những sản phẩm công nghiệp chủ yếu nào của Lạng Sơn vẫn tăng trưởng trong năm 2021?")
    assert not answer.abstained
    for item in ("điện thương phẩm đạt 890.000.000 kwh", "clinker đạt 410.000 tấn", "nhựa thông"):
        assert item in answer.answer
