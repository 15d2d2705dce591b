"""Comparisons across periods, particular names, ranks ("lần thứ mấy"), the signer of a
document, and sentences that go on after an enumeration's ellipsis.

Pure checks first (question reading, sentence splitting), then the real Assistant on a
small indexed corpus (real embedder, real Chroma in tmp).
"""

from dataclasses import replace

import pytest

from assistant.answer import Assistant, asked_periods, question_parts
from assistant.evidence import (
    CorpusFacts,
    TermStats,
    Unit,
    asked_names,
    counted,
    asks_signer,
    has_quantity,
    lacks_name,
    names_answer,
    names_measured,
    names_subject,
    read_question,
    sentence_spans,
    split_units,
    subject_item,
    unknown_names,
)
from assistant.lexical import year_mentions
from assistant.records import Hit

ABSTAINED = "Các tài liệu hiện có không nêu"


# --------------------------------------------------------------------------- pure checks

def test_a_plant_is_not_how_many():
    # Folded, "máy" (machine) and "mấy" (how many) are the same word.
    assert read_question("Nhà máy gang thép được mở rộng ở đâu?").quantity is None
    assert read_question("nha may gang thep duoc mo rong o dau").quantity is None
    assert read_question("Có mấy nhà máy thủy điện được đề xuất?").quantity == "number"
    assert read_question("co may nha may thuy dien duoc de xuat").quantity == "number"


def test_a_rank_question_is_answered_by_a_roman_numeral():
    question = read_question("Nghị quyết phù hợp với Nghị quyết Đại hội Đảng bộ tỉnh lần thứ mấy?")
    assert question.quantity == "ordinal"
    assert has_quantity("ordinal", "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII, nhiệm kỳ 2020 - 2025")
    assert not has_quantity("ordinal", "Ngày 01/9/2021, Tỉnh ủy ban hành Nghị quyết số 45-NQ/TU")


# (question, the kind of figure it asks for), (kind, text, whether the text holds one).
QUANTITY_READINGS = [
    # "bao nhiêu năm" asks a duration; "bao nhiêu năm 2025" a figure of that year.
    ("Nhà đầu tư được miễn thuế bao nhiêu năm?", "duration"),
    ("nghi quyet thuc hien trong may nam", "duration"),
    ("Tỷ trọng công nghiệp đạt bao nhiêu năm 2025?", "percent"),
    # A sum in a foreign currency is not answered by one in đồng.
    ("Kim ngạch xuất khẩu năm 2025 đạt bao nhiêu triệu USD?", "foreign money"),
    ("How many million dollars of exports by 2025?", "foreign money"),
    ("Vốn đầu tư bao nhiêu tỷ đồng?", "money"),
]
QUANTITIES_HELD = [
    ("duration", "tăng bình quân 05 năm (2021 - 2025) trên 14%", True),
    ("duration", "còn 4 cụm công nghiệp chưa phù hợp", False),
    ("foreign money", "kim ngạch xuất khẩu đạt 120 triệu USD", True),
    ("foreign money", "Giá trị sản xuất công nghiệp đạt trên 27.700 tỷ đồng", False),
]


@pytest.mark.parametrize(("question", "kind"), QUANTITY_READINGS)
def test_the_kind_of_figure_a_question_asks(question, kind):
    assert read_question(question).quantity == kind


@pytest.mark.parametrize(("kind", "text", "held"), QUANTITIES_HELD)
def test_whether_a_text_holds_a_figure_of_the_kind(kind, text, held):
    assert has_quantity(kind, text) is held


def test_a_comparison_baseline_is_not_a_year_asked_about():
    question = read_question("Năm 2022 giá trị sản xuất công nghiệp tăng bao nhiêu so với năm 2021?")
    assert question.years == ("2022",)
    assert read_question("tang bao nhieu so voi cung ky nam 2021 trong nam 2022").years == ("2022",)
    # "nhiều hơn năm 2020 bao nhiêu": the same baseline, in other words.
    assert read_question("Tới 2025 số lao động là bao nhiêu và nhiều hơn năm 2020 bao nhiêu?").years == ("2025",)
    assert read_question("Năm 2022 sản lượng cao hơn năm 2021 bao nhiêu?").years == ("2022",)


def test_the_periods_a_question_sets_side_by_side():
    periods = asked_periods("Tốc độ tăng giai đoạn 2021-2025 và 2026-2030 khác nhau thế nào?")
    assert [(p.label, p.years) for p in periods] == [
        ("Giai đoạn 2021-2025", ("2021", "2025")), ("Giai đoạn 2026-2030", ("2026", "2030"))]
    periods = asked_periods("Sản lượng năm 2021 so với chỉ tiêu năm 2022 chênh nhau thế nào?")
    assert [p.label for p in periods] == ["Năm 2021", "Năm 2022"]
    # A baseline is one period, not a second side.
    assert [p.label for p in asked_periods("Năm 2022 tăng bao nhiêu so với năm 2021?")] == ["Năm 2022"]


def test_each_side_of_a_comparison_measures_the_compared_thing():
    side = "Sản lượng nước máy của Lạng Sơn so với chỉ tiêu năm 2022 chênh nhau thế nào?"
    assert subject_item(side) == frozenset()  # no "là bao nhiêu": not a figure question
    # A side measures the whole noun phrase, up to a preposition, a year or the figure's status.
    assert subject_item(side, asked=False) == {"nước máy"}
    assert subject_item("So sánh sản lượng điện thương phẩm của Lạng Sơn với chỉ tiêu năm 2022.", asked=False) == {
        "điện thương phẩm"}
    assert subject_item("So sánh sản lượng điện thương phẩm thực tế năm 2021 với mục tiêu năm 2022.", asked=False) == {
        "điện thương phẩm"}
    assert subject_item("So sánh mục tiêu tỷ trọng công nghiệp chế biến, chế tạo trong GRDP năm 2030 của Long An và "
                        "Lạng Sơn.", asked=False) == {"chế biến"}  # "công nghiệp" is generic
    labour = replace(read_question("Lạng Sơn"), subject=subject_item(
        "So sánh tỷ lệ lao động qua đào tạo trong ngành công nghiệp đến năm 2025 của Tuyên Quang và Lạng Sơn.", asked=False))
    assert labour.subject == {"lao động qua đào tạo"}
    assert names_subject(labour, "trong đó lao động qua đào tạo chiếm trên 65%")
    assert not names_subject(labour, "số lao động hoạt động trong lĩnh vực công nghiệp đạt trên 21.000 lao động")
    # Two thirds of the words will do: the same growth rate in other words.
    growth = replace(labour, subject=frozenset({"tăng giá trị sản xuất bình quân"}))
    assert names_subject(growth, "Tốc độ tăng thêm bình quân giá trị ngành công nghiệp đạt từ 9 - 10%/năm")


def test_an_ellipsis_closing_an_enumeration_does_not_end_the_sentence():
    text = ("Các khu công nghiệp như Long Bình An, Thăng Quân,... cơ bản đáp ứng nhu cầu. "
            "Tỷ lệ lấp đầy đạt 60%... Đây là hạn chế.")
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        "Các khu công nghiệp như Long Bình An, Thăng Quân,... cơ bản đáp ứng nhu cầu.",
        "Tỷ lệ lấp đầy đạt 60%...",
        "Đây là hạn chế.",
    ]


def test_who_signed_questions():
    assert asks_signer("Ai ký Nghị quyết 45-NQ/TU?")
    assert asks_signer("nghi quyet do ai ky")
    assert asks_signer("Who signed the Tuyen Quang resolution?")
    assert not asks_signer("Ai chịu trách nhiệm báo cáo định kỳ?")
    assert not asks_signer("ai phu trach bao cao dinh ky")  # "kỳ" of "định kỳ", folded
    assert not asks_signer("Nghị quyết được ký ngày nào?")  # when, not who


def _unit(text: str, section: str = "") -> Unit:
    hit = Hit(chunk_id="c", doc_id="d", text=text, section=section, start=0, end=len(text), score=1.0, rank=1)
    return split_units(hit)[0]


def test_a_question_naming_a_particular_thing_needs_evidence_naming_it():
    facts = CorpusFacts.from_documents([(
        "Điều chỉnh mở rộng Khu công nghiệp Long Bình An. Tỷ lệ lấp đầy trung bình đạt trên 60%.", {}
    )])
    assert "long binh an" in facts.names
    text = "Tỷ lệ lấp đầy của Khu công nghiệp Long Bình An là bao nhiêu?"
    assert asked_names(text, facts) == ("long binh an",)
    question = replace(read_question(text), names=asked_names(text, facts))
    assert lacks_name(question, _unit("Tỷ lệ lấp đầy trung bình đạt trên 60%."))
    assert not lacks_name(question, _unit("Điều chỉnh mở rộng Khu công nghiệp Long Bình An."))
    # A name the corpus never writes is not required (the coverage checks deal with it).
    assert asked_names("Tỷ lệ lấp đầy của Khu công nghiệp Hòa Phú là bao nhiêu?", facts) == ()


# --------------------------------------------------------------------------- the assistant

TUYEN_QUANG = """Nghị quyết phát triển công nghiệp tỉnh Tuyên Quang

I- MỤC TIÊU

Giai đoạn 2021-2025: tốc độ tăng giá trị sản xuất công nghiệp bình quân đạt trên 14%/năm.

Giai đoạn 2026-2030: tốc độ tăng giá trị sản xuất công nghiệp bình quân đạt 12 - 13%/năm.

Tỷ lệ lấp đầy trung bình các khu công nghiệp đạt trên 60%. Điều chỉnh mở rộng Khu công nghiệp Long Bình An (thành phố Tuyên Quang).

Phát triển công nghiệp phù hợp với Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII, nhiệm kỳ 2020 - 2025.

Đề nghị bổ sung quy hoạch và đầu tư nâng công suất của Nhà máy Thủy điện Tuyên Quang; xây dựng các Nhà máy thủy điện Sông Lô 9.

Nơi nhận:

- Lưu Văn phòng Tỉnh ủy.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Châu Văn Lâm
"""

LANG_SON = """Lạng Sơn ban hành Nghị quyết về phát triển công nghiệp

Ngày 01/9/2021, Tỉnh ủy Lạng Sơn đã ban hành Nghị quyết số 45-NQ/TU về phát triển công nghiệp giai đoạn 2021-2025.

Nhà máy gang thép được đầu tư mở rộng tại huyện Hữu Lũng.
"""

LONG_AN = """Long An tái cơ cấu ngành công nghiệp

Long An ưu tiên phát triển công nghiệp hỗ trợ, công nghiệp chế biến.

3 giải pháp thực hiện tái cơ cấu ngành công nghiệp

Thứ nhất, triển khai thực hiện tốt chính sách ưu đãi đầu tư trên địa bàn tỉnh; tiếp cận và hỗ trợ doanh nghiệp tháo gỡ khó khăn.

Thứ hai, cơ cấu lại danh mục các ngành công nghiệp ưu tiên giai đoạn đến năm 2030.

Đề xuất nâng cấp phần mềm hệ thống cơ sở dữ liệu về công nghiệp - thương mại.

Thứ ba, triển khai thực hiện có hiệu quả quy chế quản lý cụm công nghiệp.
"""

MANIFEST = """
["tuyen-quang.txt"]
title = "Nghị quyết phát triển công nghiệp tỉnh Tuyên Quang"
issuer = "Ban Thường vụ Tỉnh ủy Tuyên Quang"
date = "2021-06-01"
province = "Tuyên Quang"
kind = "resolution"

["lang-son.txt"]
title = "Lạng Sơn ban hành Nghị quyết về phát triển công nghiệp"
number = "45-NQ/TU"
issuer = "Tỉnh ủy Lạng Sơn"
date = "2021-09-01"
province = "Lạng Sơn"
kind = "news"

["long-an.txt"]
title = "Long An tái cơ cấu ngành công nghiệp"
issuer = "Sở Công Thương tỉnh Long An"
date = "2022-01-01"
province = "Long An"
kind = "news"
"""


@pytest.fixture(scope="module")
def assistant(index_small_corpus):
    settings = index_small_corpus(
        "periods", {"tuyen-quang.txt": TUYEN_QUANG, "lang-son.txt": LANG_SON, "long-an.txt": LONG_AN}, MANIFEST
    )
    return Assistant(settings)


def test_two_periods_are_answered_side_by_side(assistant):
    answer = assistant.ask(
        "Tốc độ tăng giá trị sản xuất công nghiệp bình quân của Tuyên Quang giai đoạn 2021-2025 và 2026-2030 khác nhau thế nào?"
    )
    assert not answer.abstained
    lines = answer.answer.splitlines()
    assert lines[0] == "So sánh theo các tài liệu:"
    assert lines[1].startswith("- Giai đoạn 2021-2025:") and "trên 14%/năm" in lines[1] and "[1]" in lines[1]
    assert lines[2].startswith("- Giai đoạn 2026-2030:") and "12 - 13%/năm" in lines[2] and "[2]" in lines[2]
    assert [c.quote for c in answer.citations] == [
        "Giai đoạn 2021-2025: tốc độ tăng giá trị sản xuất công nghiệp bình quân đạt trên 14%/năm.",
        "Giai đoạn 2026-2030: tốc độ tăng giá trị sản xuất công nghiệp bình quân đạt 12 - 13%/năm.",
    ]


def test_a_figure_of_a_named_park_is_not_taken_from_the_average(assistant):
    answer = assistant.ask("Tỷ lệ lấp đầy của Khu công nghiệp Long Bình An là bao nhiêu phần trăm?")
    assert answer.abstained
    assert answer.answer.startswith("Các tài liệu hiện có không nêu thông tin được hỏi về Long Bình An.")
    answered = assistant.ask("Tỷ lệ lấp đầy trung bình các khu công nghiệp Tuyên Quang là bao nhiêu?")
    assert not answered.abstained and "trên 60%" in answered.answer


def test_the_signer_comes_from_the_signature_block(assistant):
    answer = assistant.ask("Ai ký nghị quyết phát triển công nghiệp của Tuyên Quang?")
    assert not answer.abstained
    assert answer.answer.endswith("(T/M BAN THƯỜNG VỤ, BÍ THƯ) “Châu Văn Lâm” [1].")
    assert answer.citations[0].quote == "Châu Văn Lâm" and answer.citations[0].section == "Người ký"
    # The period names the document; the signature block names no year.
    dated = assistant.ask("Ai ký nghị quyết phát triển công nghiệp của Tuyên Quang giai đoạn 2021 - 2025?")
    assert not dated.abstained and dated.citations[0].quote == "Châu Văn Lâm"


def test_no_signature_block_no_signer(assistant):
    answer = assistant.ask("Ai là người ký ban hành Nghị quyết 45-NQ/TU của Tỉnh ủy Lạng Sơn?")
    assert answer.abstained
    assert answer.answer.startswith("Các tài liệu hiện có không nêu người ký văn bản này.")


def test_a_rank_question_quotes_the_rank(assistant):
    answer = assistant.ask("Nghị quyết Tuyên Quang yêu cầu phát triển công nghiệp phù hợp với Nghị quyết Đại hội Đảng bộ tỉnh lần thứ mấy?")
    assert not answer.abstained and "lần thứ XVII" in answer.answer


def test_a_plant_question_is_not_a_figure_question(assistant):
    answer = assistant.ask("Nhà máy gang thép của Lạng Sơn được mở rộng ở đâu?")
    assert not answer.abstained
    assert answer.citations[0].quote == "Nhà máy gang thép được đầu tư mở rộng tại huyện Hữu Lũng."


def test_items_written_out_in_words_are_gathered_in_order(assistant):
    answer = assistant.ask("Ba giải pháp thực hiện tái cơ cấu ngành công nghiệp của Long An là gì?")
    assert not answer.abstained
    # The first clause of each item, in order; the paragraph between items is not one.
    assert [c.quote for c in answer.citations] == [
        "Thứ nhất, triển khai thực hiện tốt chính sách ưu đãi đầu tư trên địa bàn tỉnh",
        "Thứ hai, cơ cấu lại danh mục các ngành công nghiệp ưu tiên giai đoạn đến năm 2030.",
        "Thứ ba, triển khai thực hiện có hiệu quả quy chế quản lý cụm công nghiệp.",
    ]
    assert read_question("Ba giải pháp thực hiện tái cơ cấu ngành công nghiệp là gì?").is_list


def test_a_name_answer_shares_a_rare_word_pair_of_the_thing_asked_about():
    stats = TermStats.from_texts([
        "Hình thành khu công nghiệp phi thuế quan cửa khẩu Long An (Kiến Tường).",
        "Hình thành khu công nghiệp tập trung tại Cảng quốc tế Long An (Cần Giuộc, Cần Đước).",
        "Phấn đấu thành lập một khu công nghiệp chuyên thu hút đầu tư các ngành công nghiệp hỗ trợ.",
        "Các khu công nghiệp, cụm công nghiệp của tỉnh.",
    ])
    question = read_question("Khu công nghiệp chuyên về công nghiệp hỗ trợ mà Long An muốn thành lập có tên là gì?")
    port = "Hình thành khu công nghiệp tập trung tại Cảng quốc tế Long An (Cần Giuộc, Cần Đước)"
    assert names_answer(question, port)  # without statistics "khu công" of any park is enough
    assert not names_answer(question, port, stats)


def test_people_who_work_in_industry_are_workers_not_a_measured_thing():
    question = read_question("Năm 2025 có bao nhiêu người làm công nghiệp?")
    assert question.quantity == "workers"
    assert question.measured == frozenset()  # "làm" is not what is counted


def test_a_signer_question_ranks_the_signature_block_first(assistant):
    question = "Nghị quyết phát triển công nghiệp của Tuyên Quang thì ai ký?"
    hits = assistant.retriever.search(question, k=5)
    assert hits[0].section == "Người ký" and "Châu Văn Lâm" in hits[0].text
    plain = {h.chunk_id: h.score for h in assistant.retriever.search("Nghị quyết phát triển công nghiệp của Tuyên Quang", k=20)}
    assert plain  # the same words without "ai ký" get no bonus
    assert hits[0].score - plain[hits[0].chunk_id] >= 0.15


def test_a_dollar_figure_the_documents_do_not_give_abstains(assistant):
    answer = assistant.ask("Tuyên Quang đặt mục tiêu kim ngạch xuất khẩu hàng công nghiệp năm 2025 đạt bao nhiêu triệu USD?")
    assert answer.abstained


def test_after_a_year_means_the_next_plan_period():
    assert year_mentions("Sau năm 2025, Lạng Sơn kêu gọi đầu tư nhà máy nào?") == [frozenset(range(2026, 2031))]
    assert year_mentions("What will Lang Son build after 2025?") == [frozenset(range(2026, 2031))]
    # The year itself is not what the answer must be about.
    assert read_question("Sau năm 2025, Lạng Sơn kêu gọi đầu tư nhà máy nào?").years == ()
    assert read_question("Đến năm 2025, Lạng Sơn kêu gọi đầu tư nhà máy nào?").years == ("2025",)


def test_a_park_or_plant_the_documents_never_name_is_unknown():
    facts = CorpusFacts.from_documents([(
        "Điều chỉnh mở rộng Khu công nghiệp Long Bình An. Nhà máy Thủy điện Sông Lô 8B.", {"title": "Nghị quyết"}
    )])
    assert unknown_names("Tỷ lệ lấp đầy của Khu công nghiệp Hòa Phú là bao nhiêu?", facts) == ["Hòa Phú"]
    assert unknown_names("Nhà máy xi măng Đồng Bành có công suất bao nhiêu?", facts) == ["Đồng Bành"]
    assert unknown_names("khu cong nghiep Hoa Phu o dau", facts) == ["Hoa Phu"]
    # Named in the documents, or not a name at all: nothing unknown.
    assert unknown_names("Khu công nghiệp Long Bình An rộng bao nhiêu?", facts) == []
    assert unknown_names("Nhà máy thủy điện Sông Lô 8B ở đâu?", facts) == []
    assert unknown_names("Nhà máy thủy điện nào được nâng công suất?", facts) == []
    assert unknown_names("Dự án trọng điểm của tỉnh là gì?", facts) == []


def test_a_question_about_an_unknown_park_abstains_and_says_why(assistant):
    answer = assistant.ask("Tỷ lệ lấp đầy của Khu công nghiệp Hòa Phú là bao nhiêu?")
    assert answer.abstained
    assert answer.answer.startswith("Các tài liệu hiện có không nhắc đến Hòa Phú.")


def test_a_measured_thing_of_several_words_needs_two_of_them():
    question = read_question("Lạng Sơn có bao nhiêu khu kinh tế cửa khẩu?")
    assert question.measured_words == ("khu", "kinh", "te")
    assert not names_measured(question, {"khu", "cong", "nghiep", "1"})  # any "khu" is not the asked one
    assert names_measured(question, {"khu", "kinh", "te", "cua", "khau"})
    assert names_measured(read_question("Có bao nhiêu cụm xưởng đủ điều kiện?"), {"cum", "cong", "nghiep"})
    # "đến năm 2030" is not part of what is counted.
    assert read_question("Long An có bao nhiêu khu công nghiệp đến năm 2030?").measured_words == ("khu",)
    # An everyday word counts in the documents' wording too (synonym table).
    papers = read_question("Bao nhiêu phần giấy tờ được xử lý qua mạng?")
    assert names_measured(papers, {"thu", "tuc", "hanh", "chinh"})
    english = read_question("How much tap water did Lang Son produce in 2021?")
    assert names_measured(english, {"nuoc", "may", "dat"})  # a rendering is enough in English


def test_a_price_question_measures_what_is_priced():
    assert read_question("Giá điện tại các khu công nghiệp Long An là bao nhiêu?").subject == {"điện"}
    assert read_question("Giá thuê đất khu công nghiệp là bao nhiêu?").subject == {"thuê"}


def test_a_passage_opening_theo_do_keeps_the_previous_sentence_as_context():
    text = "Theo đó, xây dựng công nghiệp ưu tiên, mũi nhọn như: công nghiệp chế biến, công nghiệp hỗ trợ."
    hit = Hit(chunk_id="c", doc_id="d", text=text, section="", start=100, end=100 + len(text), score=1.0, rank=1)
    before = "UBND tỉnh ban hành Kế hoạch thực hiện Đề án Tái cơ cấu giai đoạn đến năm 2030."
    assert split_units(hit)[0].context == ""
    assert split_units(hit, before)[0].context == before


CONTINUED = """Long An tái cơ cấu công nghiệp

UBND tỉnh ban hành Kế hoạch thực hiện Đề án Tái cơ cấu ngành công thương tỉnh Long An giai đoạn đến năm 2030, trong đó đề ra mục tiêu cụ thể.

Theo đó, xây dựng nền công nghiệp vững mạnh, công nghiệp ưu tiên, mũi nhọn như: Công nghiệp công nghệ cao, công nghiệp chế biến, công nghiệp năng lượng sạch.

Giai đoạn 2018-2025, chỉ số sản xuất công nghiệp tăng bình quân 10%/năm.
"""


def test_a_passage_opening_theo_do_answers_for_the_year_of_the_sentence_before(index_small_corpus):
    settings = index_small_corpus("continued", {"long-an.txt": CONTINUED}, """
["long-an.txt"]
title = "Long An tái cơ cấu công nghiệp giai đoạn 2018-2025"
province = "Long An"
kind = "news"
""")
    answer = Assistant(settings).ask("Long An xác định những ngành công nghiệp ưu tiên, mũi nhọn nào đến năm 2030?")
    assert not answer.abstained
    assert "năng lượng sạch" in answer.answer
    assert answer.citations[0].quote.startswith("Theo đó")


def test_a_question_asking_two_things_is_split_in_two():
    assert question_parts(
        "How many groups of main tasks and how many groups of solutions does Resolution 45-NQ/TU set out?"
    ) == ["How many groups of main tasks does Resolution 45-NQ/TU set out?",
          "how many groups of solutions does Resolution 45-NQ/TU set out?"]
    assert question_parts("Năm 2025 Tuyên Quang có bao nhiêu lao động, và bao nhiêu phần trăm đã qua đào tạo?") == [
        "Năm 2025 Tuyên Quang có bao nhiêu lao động?", "Năm 2025 Tuyên Quang có bao nhiêu phần trăm đã qua đào tạo?"]
    # One ask with a complement, or "và" inside the thing asked about: one question.
    assert question_parts("Long An hình thành những khu công nghiệp nào và ở đâu?") == []
    assert question_parts("Tỷ trọng công nghiệp và dịch vụ là bao nhiêu?") == []


def test_each_part_of_a_two_part_question_is_answered_and_cited(assistant):
    answer = assistant.ask("Tuyên Quang đặt tốc độ tăng giá trị sản xuất công nghiệp bao nhiêu cho giai đoạn 2021-2025 "
                           "và bao nhiêu cho giai đoạn 2026-2030?")
    assert not answer.abstained
    assert "trên 14%/năm" in answer.answer and "12 - 13%/năm" in answer.answer
    assert len(answer.citations) == 2


def test_besides_those_plants_leaves_out_the_plants_just_named(assistant):
    history = [
        {"role": "user", "content": "Tuyên Quang đề nghị nâng công suất nhà máy nào?"},
        {"role": "assistant", "content": "“Đề nghị đầu tư nâng công suất của Nhà máy Thủy điện Tuyên Quang” [1]."},
    ]
    answer = assistant.ask("Ngoài nhà máy đó, còn đề xuất xây mới nhà máy nào?", history)
    assert not answer.abstained
    assert "Thủy điện Tuyên Quang" not in " ".join(c.quote for c in answer.citations)


def test_english_baselines_and_counted_people():
    # "over 2020" is the baseline of the increase, not a year the answer must be about.
    question = read_question("How many industrial workers by 2025, and how big an increase over 2020 is that?")
    assert question.years == ("2025",)
    # "people" is what is counted (a worker question), not a thing the passage must name.
    people = read_question("How many people should be working in industry in Tuyen Quang by 2025?")
    assert (people.quantity, people.measured) == ("workers", frozenset())


def test_an_opening_may_before_a_list_question_is_not_how_many():
    # "Mấy huyện phía Bắc ... những ngành nào": "the few districts", the list is asked.
    question = read_question("Mấy huyện phía Bắc của Tuyên Quang được ưu tiên những ngành nào?")
    assert (question.quantity, question.is_list) == (None, True)
    assert read_question("Mấy cụm công nghiệp đủ điều kiện triển khai?").quantity == "number"


def test_a_count_the_question_gives_names_which_things_it_asks_about():
    q = read_question("4 cụm công nghiệp chưa phù hợp với quy định của Lạng Sơn nằm ở những huyện nào?")
    assert q.counts == (("4", "cum cong nghiep"),)
    assert counted(q, "Tuy nhiên, còn 4 cụm công nghiệp có trong Quy hoạch, chưa phù hợp với các quy định")
    assert not counted(q, "Trong đó, có 3 cụm công nghiệp đủ điều kiện triển khai gồm: ...")  # other clusters
    # An enumeration need not write its length; leading zeros do not count.
    listed = read_question("Tuyên Quang thành lập mới 3 khu công nghiệp nào?")
    assert counted(listed, "thành lập mới: Khu công nghiệp Nam Sơn Dương, Khu công nghiệp Tam Đa và Khu công nghiệp Nhữ Khê")
    assert counted(read_question("5 cụm công nghiệp mới ở đâu?"), "thành lập mới ít nhất 05 cụm công nghiệp")
    # Items of a list, years, shares and document numbers are no count of things.
    assert read_question("3 giải pháp tái cơ cấu của Long An gồm những gì?").counts == ()
    assert read_question("Nghị quyết 45 đặt tỷ trọng 13 - 14% năm 2025 cho 2 khu công nghiệp?").counts == (("2", "khu cong nghiep"),)

