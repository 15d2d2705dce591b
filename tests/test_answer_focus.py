"""Which clause answers: a follow-up that points back keeps its referent in view, a year
alone is not the figure asked for, a growth question takes a rate, "năm ở" is not "nằm ở",
and lists written in parentheses or after "như" count as enumerations.

Pure checks first, then the real Assistant on a small indexed corpus (real embedder, real
Chroma in tmp).
"""

import pytest

from assistant.answer import Assistant
from assistant.evidence import fold, has_quantity, is_list_sentence, quantity_kind, question_cue
from assistant.followup import without_references

# --------------------------------------------------------------------------- pure checks


def test_references_to_earlier_turns_are_blanked_out():
    assert without_references("Sản phẩm này tăng bao nhiêu so với cùng kỳ?") == "tăng bao nhiêu so với cùng kỳ?"
    assert without_references("Khu này ưu tiên những ngành nào?") == "ưu tiên những ngành nào?"
    assert without_references("Việc đó làm khi nào?") == "làm khi nào?"
    assert without_references("Năm 2030 thì sao?") == "Năm 2030 thì sao?"


def test_a_year_alone_is_not_the_figure_a_how_much_question_asks_for():
    announcing = "Trong kế hoạch phát triển công nghiệp 2022 và các năm tiếp theo, tỉnh tập trung vật liệu xây dựng"
    assert not has_quantity("number", announcing)
    assert has_quantity("number", "nước máy 10.240.000 m3")
    assert has_quantity("number", "thành lập mới ít nhất một cụm công nghiệp")


@pytest.mark.parametrize("text", [
    "Ngày 01/9/2021, Tỉnh ủy Lạng Sơn đã ban hành Nghị quyết số 45-NQ/TU về phát triển công nghiệp",
    "theo Quyết định số 1617/QĐ-UBND của UBND tỉnh",
    "Nhà máy may xuất khẩu Seshin VN2, Nhà máy sản xuất hàng may mặc xuất khẩu MSA YB",
    "các dự án thủy điện như: Nhà máy Thủy điện Sông Lô 8B",
    "do ảnh hưởng của dịch Covid-19",
    "5- Ủy ban Kiểm tra Tỉnh ủy tham mưu cho Ban Thường vụ Tỉnh ủy",
    "(1)Tăng cường sự lãnh đạo, chỉ đạo của các cấp ủy đảng",
])
def test_a_day_a_document_number_a_name_or_an_item_number_is_not_a_figure(text):
    # "Nghị quyết 45 đặt ra mấy mảng việc chính?" is not answered by the day it was issued.
    assert not has_quantity("number", text)


@pytest.mark.parametrize("text", [
    "Nghị quyết đưa ra 6 nhóm nhiệm vụ chủ yếu", "4.090.000 m3 đá các loại", "đạt 13 - 14%",
    "diện tích 100ha", "5 cụm công nghiệp (khoảng 300 ha)",
])
def test_figures_next_to_such_digits_still_count(text):
    assert has_quantity("number", text)


def test_a_growth_question_asks_a_rate_unless_it_names_the_unit():
    assert quantity_kind(fold("Tuyên Quang muốn lượng điện sản xuất ra tăng mỗi năm ở mức nào?")) == "number"
    assert quantity_kind(fold("Sản lượng điện sản xuất tăng bao nhiêu kwh?")) == "energy"
    assert quantity_kind(fold("Năm 2021 điện sản xuất đạt bao nhiêu?")) == "energy"


def test_the_year_word_is_not_read_as_located_at():
    assert question_cue("Tuyên Quang muốn lượng điện tăng mỗi năm ở mức nào?") is None
    assert question_cue("Nhà máy gang thép nằm ở huyện nào?") == "where"
    assert question_cue("Vì sao đề án bị dừng?") == "why"


def test_force_and_gas_are_not_read_as_when():
    # Folded, "chủ lực nào" and "khí nào" would be "lúc nào" and "khi nào".
    assert question_cue("Khu này ưu tiên những ngành công nghiệp hỗ trợ chủ lực nào?") is None
    assert question_cue("Tỉnh huy động nguồn lực nào?") is None
    assert question_cue("Nhà máy dùng loại khí nào?") is None
    assert question_cue("Dự án hoàn thành lúc nào?") == "when"
    assert question_cue("du an hoan thanh luc nao") == "when"
    assert question_cue("Khi nào hoàn thành?") == "when"


def test_items_in_parentheses_or_after_nhu_are_an_enumeration():
    assert is_list_sentence("ưu tiên các ngành công nghiệp hỗ trợ chủ lực (dệt - may, da - giày, cơ khí chế tạo).")
    assert is_list_sentence("Long An ưu tiên các ngành chủ lực như dệt - may, da - giày, cơ khí chế tạo.")
    assert not is_list_sentence("Tỉnh cũng như các huyện, thành phố, thị xã cần chủ động.")
    assert not is_list_sentence("Phát triển công nghiệp hỗ trợ sản xuất nông nghiệp.")


# --------------------------------------------------------------------------- the assistant

LANG_SON = """Sản xuất công nghiệp Lạng Sơn năm 2021

Năm 2021, sản xuất các sản phẩm công nghiệp chủ yếu trên địa bàn tỉnh Lạng Sơn tăng khá. Trong đó, sản lượng điện thương phẩm đạt 890.000.000 kwh, tăng 4,1% so với cùng kỳ; gạch các loại đạt 244.000.000 viên, tăng 3,8%; đá các loại đạt 4.090.000 m3, tăng 6%.

Trong kế hoạch phát triển công nghiệp 2022 và các năm tiếp theo, tỉnh sẽ tập trung ưu tiên các sản phẩm công nghiệp chủ lực như: vật liệu xây dựng; điện; chế biến nông lâm sản. Năm 2022, các chỉ tiêu gồm: nước máy 10.240.000 m3; xi măng 950.000 tấn.
"""

MANIFEST = """
["lang-son.txt"]
title = "Sản xuất công nghiệp Lạng Sơn năm 2021"
issuer = "Sở Công Thương tỉnh Lạng Sơn"
date = "2022-01-10"
province = "Lạng Sơn"
kind = "news"
"""


@pytest.fixture(scope="module")
def assistant(index_small_corpus):
    return Assistant(index_small_corpus("focus", {"lang-son.txt": LANG_SON}, MANIFEST))


def test_a_follow_up_pointing_back_quotes_its_referents_clause(assistant):
    history = [
        {"role": "user", "content": "Năm 2021 Lạng Sơn sản xuất bao nhiêu gạch các loại?"},
        {"role": "assistant", "content": "Gạch các loại đạt 244.000.000 viên [1]."},
    ]
    answer = assistant.ask("Sản phẩm này tăng bao nhiêu so với cùng kỳ?", history=history)
    assert not answer.abstained
    assert answer.citations[0].quote == "gạch các loại đạt 244.000.000 viên, tăng 3,8%"


def test_a_how_much_question_quotes_the_figure_not_the_sentence_naming_the_year(assistant):
    answer = assistant.ask("How much tap water does Lang Son plan to produce in 2022?")
    assert not answer.abstained
    assert "10.240.000 m3" in answer.citations[0].quote
