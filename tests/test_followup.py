"""Follow-up questions made standalone without an LLM: exact rewrites."""

from __future__ import annotations

import pytest

from assistant.followup import (
    asked_item,
    resolve_references,
    resolve_relative_periods,
    rewrite_followup,
)


def turns(*texts: str) -> list[dict]:
    roles = ["user", "assistant"]
    return [{"role": roles[i % 2], "content": t} for i, t in enumerate(texts)]


PREVIOUS = "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn đến năm 2025 là bao nhiêu?"


def test_new_province_replaces_the_previous_one():
    r = rewrite_followup("Còn Tuyên Quang thì sao?", turns(PREVIOUS, "13 - 14% [1]."))
    assert r.question == "Tỷ trọng công nghiệp trong GRDP của Tuyên Quang đến năm 2025 là bao nhiêu?"
    assert r.focus == "Tuyên Quang"
    assert r.rewritten


def test_province_typed_without_diacritics_keeps_the_users_spelling():
    r = rewrite_followup("con tuyen quang thi sao", turns(PREVIOUS, "13 - 14% [1]."))
    assert r.question == "Tỷ trọng công nghiệp trong GRDP của tuyen quang đến năm 2025 là bao nhiêu?"


def test_new_year_replaces_the_previous_one():
    r = rewrite_followup("năm 2030 thì sao?", turns(PREVIOUS, "13 - 14% [1]."))
    assert r.question == "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn đến năm 2030 là bao nhiêu?"


def test_new_topic_keeps_the_previous_context():
    r = rewrite_followup("Còn lao động thì sao?", turns("Mục tiêu tỷ trọng công nghiệp của Lạng Sơn đến 2025?", "…"))
    assert r.question == "Lao động (Mục tiêu tỷ trọng công nghiệp của Lạng Sơn đến 2025)?"
    assert r.focus == "lao động"


def test_pointing_back_carries_the_place_and_topic():
    r = rewrite_followup(
        "Nhà máy đó ở huyện nào?", turns("Tuyên Quang phấn đấu hoàn thành dự án mở rộng nhà máy nào?", "…")
    )
    assert r.question == "Nhà máy Tuyên Quang phấn đấu hoàn thành dự án mở rộng ở huyện nào?"


def test_english_follow_up():
    r = rewrite_followup("And its share of GRDP?", turns("What industrial output value does Tuyên Quang target for 2025?", "…"))
    assert r.question == "Its share of GRDP (What industrial output value does Tuyên Quang target for 2025)?"


def test_standalone_question_is_left_alone():
    q = "Tốc độ tăng trưởng công nghiệp bình quân của Long An đến năm 2030 là bao nhiêu?"
    r = rewrite_followup(q, turns(PREVIOUS, "…"))
    assert r.question == q
    assert not r.rewritten


def test_no_history_no_rewrite():
    r = rewrite_followup("Còn Tuyên Quang thì sao?", [])
    assert (r.question, r.rewritten) == ("Còn Tuyên Quang thì sao?", False)


def test_chained_follow_ups_resolve_in_order():
    history = turns(PREVIOUS, "13 - 14% [1].", "Còn Tuyên Quang thì sao?", "trên 24,7% [1].")
    r = rewrite_followup("năm 2030 thì sao?", history)
    assert r.question == "Tỷ trọng công nghiệp trong GRDP của Tuyên Quang đến năm 2030 là bao nhiêu?"


CLINKER = "Năm 2021 Lạng Sơn sản xuất được bao nhiêu clinker?"


def test_bare_noun_phrase_replaces_the_item_the_previous_question_asked_about():
    r = rewrite_followup("Còn đá các loại?", turns(CLINKER, "Clinker đạt 410.000 tấn [1]."))
    assert r.question == "Năm 2021 Lạng Sơn sản xuất được bao nhiêu đá các loại?"
    assert r.focus == "đá các loại"


def test_bare_noun_phrase_typed_as_a_sentence_is_lowercased_inside_the_question():
    r = rewrite_followup("Than sạch thì sao?", turns("Năm 2022 Lạng Sơn đặt mục tiêu sản xuất bao nhiêu xi măng?", "…"))
    assert r.question == "Năm 2022 Lạng Sơn đặt mục tiêu sản xuất bao nhiêu than sạch?"


def test_asked_item_after_bao_nhieu_and_before_nao():
    assert CLINKER[slice(*asked_item(CLINKER))] == "clinker"
    q = "Tuyên Quang cần đẩy nhanh những dự án thủy điện nào?"
    assert q[slice(*asked_item(q))] == "dự án thủy điện"
    q = "Hiện Lạng Sơn có bao nhiêu cụm công nghiệp đủ điều kiện về quy hoạch?"
    assert q[slice(*asked_item(q))] == "cụm công nghiệp"
    assert asked_item("Mục tiêu tỷ trọng công nghiệp của Lạng Sơn đến 2025?") is None


def test_reference_to_the_one_item_the_previous_answer_named():
    r = rewrite_followup(
        "Khu công nghiệp đó nằm ở đâu?",
        turns("Khu công nghiệp nào của Tuyên Quang được điều chỉnh mở rộng?", "Khu công nghiệp Long Bình An [1]."),
    )
    assert r.question == "Khu công nghiệp Long Bình An của Tuyên Quang nằm ở đâu?"


def test_plural_reference_takes_every_name_and_singular_one_needs_a_single_name():
    plants = "Nhà máy Thủy điện Sông Lô 8B, Nhà máy Thủy điện Sông Lô 7 và Nhà máy Thủy điện Yên Sơn [1]."
    assert resolve_references("Mấy nhà máy đó do ai đầu tư?", "…", plants) == (
        "Mấy nhà máy Thủy điện Sông Lô 8B, Thủy điện Sông Lô 7 và Thủy điện Yên Sơn do ai đầu tư?"
    )
    assert resolve_references("Nhà máy đó do ai đầu tư?", "…", plants) == "Nhà máy đó do ai đầu tư?"


def test_a_described_reference_takes_the_name_holding_its_words():
    plants = "Có Nhà máy bột giấy và giấy An Hòa, Nhà máy gang thép Tuyên Quang, Nhà máy may Seshin VN2 [1]."
    assert resolve_references("Nghị quyết mới yêu cầu gì với nhà máy gang thép đó?", "…", plants) == (
        "Nghị quyết mới yêu cầu gì với nhà máy gang thép Tuyên Quang?"
    )
    # No name holds the words: left as typed.
    q = "Nhà máy xi măng đó ở đâu?"
    assert resolve_references(q, "…", plants) == q


def test_excluded_items_are_not_spelled_out():
    plants = "Nhà máy Thủy điện Sông Lô 8B và Nhà máy Thủy điện Yên Sơn [1]."
    q = "Ngoài mấy nhà máy đó, còn đề xuất xây mới nhà máy nào?"
    assert resolve_references(q, "…", plants) == q


def test_tinh_nay_is_the_previous_questions_province():
    assert resolve_references("Tỉnh này có bao nhiêu cụm công nghiệp?", CLINKER, "…") == (
        "Tỉnh Lạng Sơn có bao nhiêu cụm công nghiệp?"
    )


def test_demonstrative_after_a_noun_carries_the_previous_question():
    r = rewrite_followup(
        "Kế hoạch năm 2022 cho sản phẩm này là bao nhiêu?",
        turns("Năm 2021 sản lượng nhựa thông của Lạng Sơn đạt bao nhiêu?", "12.000 tấn [1]."),
    )
    assert r.question == "Kế hoạch năm 2022 cho sản lượng nhựa thông của Lạng Sơn là bao nhiêu?"


def test_turn_with_its_own_predicate_inherits_only_the_place():
    r = rewrite_followup(
        "Đến năm 2030 chỉ số sản xuất công nghiệp tăng bao nhiêu?",
        turns("Long An phấn đấu tỷ trọng công nghiệp - xây dựng trong GRDP năm 2025 đạt bao nhiêu?", "60,5% [1]."),
    )
    assert r.question == "Đến năm 2030 chỉ số sản xuất công nghiệp của Long An tăng bao nhiêu?"
    assert r.focus == "Đến năm 2030 chỉ số sản xuất công nghiệp tăng bao nhiêu?"


def test_english_for_place_replaces_the_place_in_a_possessive():
    r = rewrite_followup("And for Tuyen Quang?", turns("What is Lang Son's target for industrial workers by 2025?", "…"))
    assert r.question == "What is Tuyen Quang's target for industrial workers by 2025?"


def test_trailing_particle_is_not_cut_from_a_word():
    r = rewrite_followup("Còn tỷ lệ thôn, bản có điện lưới quốc gia?", turns("Tuyên Quang đặt mục tiêu sản lượng điện tăng bao nhiêu?", "…"))
    assert r.question == "Tuyên Quang đặt mục tiêu tỷ lệ thôn, bản có điện lưới quốc gia là bao nhiêu?"


def test_chained_reference_uses_the_answer_to_the_follow_up():
    history = turns(
        "Tuyên Quang đề nghị nâng công suất nhà máy thủy điện nào?", "Nhà máy Thủy điện Tuyên Quang [1].",
        "Còn xây mới nhà máy nào?", "Nhà máy thủy điện Sông Lô 9 [1].",
    )
    r = rewrite_followup("Nhà máy đó ở huyện nào?", history)
    assert r.question == "Nhà máy thủy điện Sông Lô 9 của Tuyên Quang ở huyện nào?"


def test_new_predicate_expands_the_head_noun_of_the_previous_item():
    r = rewrite_followup("Còn xây mới nhà máy nào?", turns("Tuyên Quang đề nghị nâng công suất nhà máy thủy điện nào?", "…"))
    assert r.question == "Tuyên Quang đề nghị xây mới nhà máy thủy điện nào?"
    assert r.focus == "xây mới nhà máy nào"


def test_ordinal_keeps_its_noun_and_takes_the_place():
    r = rewrite_followup("Giải pháp thứ ba là gì?", turns("Long An có mấy giải pháp tái cơ cấu ngành công nghiệp?", "3 [1]."))
    assert r.question == "Giải pháp thứ ba của Long An là gì?"


def test_topic_then_count_replaces_the_item_modifier():
    r = rewrite_followup(
        "Còn giải pháp thì có mấy nhóm?", turns("Nghị quyết 45-NQ/TU của Lạng Sơn đưa ra bao nhiêu nhóm nhiệm vụ chủ yếu?", "6 [1].")
    )
    assert r.question == "Nghị quyết 45-NQ/TU của Lạng Sơn đưa ra bao nhiêu nhóm giải pháp?"


def test_plural_reference_becomes_the_item_with_the_previous_question_as_modifier():
    r = rewrite_followup(
        "Tổng vốn đầu tư của các dự án đó là bao nhiêu?",
        turns("Giai đoạn 2015 - 2020 Tuyên Quang thu hút được bao nhiêu dự án công nghiệp?", "37 dự án [1]."),
    )
    assert r.question == "Tổng vốn đầu tư của các dự án công nghiệp Tuyên Quang thu hút giai đoạn 2015 - 2020 là bao nhiêu?"


def test_trong_so_do_names_the_set():
    r = rewrite_followup(
        "Trong số đó có mấy cụm đủ điều kiện triển khai?",
        turns("Hiện Lạng Sơn có bao nhiêu cụm công nghiệp đủ điều kiện về quy hoạch để triển khai?", "15 [1]."),
    )
    assert r.question == (
        "Trong số cụm công nghiệp đủ điều kiện về quy hoạch để triển khai của Lạng Sơn, có mấy cụm đủ điều kiện triển khai?"
    )


def test_turn_without_subject_takes_the_previous_subject():
    r = rewrite_followup(
        "Tăng bình quân mỗi năm bao nhiêu?", turns("Giá trị sản xuất công nghiệp Tuyên Quang đến năm 2025 đạt bao nhiêu?", "…")
    )
    assert r.question == "Giá trị sản xuất công nghiệp Tuyên Quang đến năm 2025 tăng bình quân mỗi năm bao nhiêu?"


def test_same_question_word_swaps_the_object():
    r = rewrite_followup(
        "Còn khu công nghiệp phi thuế quan thì ở đâu?",
        turns("Long An ưu tiên hình thành vùng công nghiệp tập trung công nghệ cao ở đâu?", "Bến Lức [1]."),
    )
    assert r.question == "Long An ưu tiên hình thành khu công nghiệp phi thuế quan ở đâu?"


def test_short_plan_question_takes_the_previous_item():
    r = rewrite_followup("Kế hoạch năm 2022 là bao nhiêu?", turns("Năm 2021 Lạng Sơn đạt bao nhiêu điện thương phẩm?", "…"))
    assert r.question == "Kế hoạch điện thương phẩm năm 2022 của Lạng Sơn là bao nhiêu?"


def test_english_what_about_year_substitutes_the_year():
    r = rewrite_followup("What about 2030?", turns(PREVIOUS, "13 - 14% [1]."))
    assert r.question == "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn đến năm 2030 là bao nhiêu?"


def test_a_turn_asking_a_question_of_its_own_takes_only_the_place():
    previous = turns("Long An định hình thành khu công nghiệp cảng ở đâu?", "Tại Cảng quốc tế Long An [1].")
    r = rewrite_followup("Còn công nghiệp phụ trợ, chế biến thì đặt ở khu vực nào?", previous)
    # Not "... (Long An định hình thành khu công nghiệp cảng ở đâu)": the port would win again.
    assert r.question == "Công nghiệp phụ trợ, chế biến của Long An thì đặt ở khu vực nào?"
    # Too few words of its own: the previous question still gives the context.
    assert rewrite_followup("Còn lao động thì sao?", previous).question != "Lao động của Long An thì sao?"


def test_the_kind_the_excluded_items_share_goes_with_the_noun_asked_about():
    hydro = turns("Tuyên Quang cần đẩy nhanh những dự án thủy điện nào?",
                  "Nhà máy Thủy điện Sông Lô 8B, Nhà máy Thủy điện Sông Lô 7 và Nhà máy Thủy điện Yên Sơn.")
    r = rewrite_followup("Ngoài mấy nhà máy đó, còn đề xuất xây mới nhà máy nào?", hydro)
    assert r.question == "Ngoài mấy nhà máy đó, Tuyên Quang còn đề xuất xây mới nhà máy thủy điện nào?"
    # Items of different kinds share nothing: the noun stays as asked.
    mixed = turns("Tuyên Quang có những nhà máy lớn nào?", "Nhà máy bột giấy và giấy An Hòa, Nhà máy gang thép Tuyên Quang.")
    r = rewrite_followup("Ngoài mấy nhà máy đó, còn đề xuất xây mới nhà máy nào?", mixed)
    assert r.question == "Ngoài mấy nhà máy đó, Tuyên Quang còn đề xuất xây mới nhà máy nào?"


def test_the_next_period_counts_from_the_previous_one():
    previous = "Lạng Sơn đặt mục tiêu tốc độ tăng giá trị ngành công nghiệp giai đoạn 2021-2025 là bao nhiêu?"
    expected = "Lạng Sơn đặt mục tiêu tốc độ tăng giá trị ngành công nghiệp giai đoạn 2026-2030 là bao nhiêu?"
    for turn in ("Giai đoạn tiếp theo thì sao?", "giai doan tiep theo thi sao", "Còn giai đoạn sau?"):
        assert rewrite_followup(turn, turns(previous, "9 - 10%/năm [1].")).question == expected
    earlier = rewrite_followup("Giai đoạn trước đó thì sao?", turns(previous, "9 - 10%/năm [1]."))
    assert earlier.question == expected.replace("2026-2030", "2016-2020")
    assert resolve_relative_periods("Năm sau thì sao?", "Năm 2021 Lạng Sơn sản xuất bao nhiêu clinker?") == "Năm 2022 thì sao?"
    # No year of that kind before: left as typed.
    assert resolve_relative_periods("Năm sau thì sao?", "Giai đoạn 2021-2025 Lạng Sơn tăng bao nhiêu?") == "Năm sau thì sao?"


# (turn, previous question, previous answer, expected standalone question)
REWRITES = [
    # A described thing ("đề xuất đó") points back to the previous question, not to a name.
    ("Đề xuất đó được trình lên cơ quan nào?",
     "Năm 2021 Sở Công Thương Lạng Sơn đề xuất bổ sung quy hoạch những dự án điện nào?",
     "“đề xuất UBND tỉnh trình Bộ Công Thương bổ sung quy hoạch 01 dự án nhà máy điện sinh khối” [1].",
     "Đề xuất bổ sung quy hoạch dự án điện của Lạng Sơn được trình lên cơ quan nào?"),
    ("Chính sách đó do ai ban hành?", "Long An có chính sách ưu đãi đầu tư nào?", "…",
     "Chính sách ưu đãi đầu tư của Long An do ai ban hành?"),
    # "Why" asks about the previous statement.
    ("Tại sao vậy?", "Ngành công nghiệp Tuyên Quang còn những hạn chế gì?", "…",
     "Vì sao ngành công nghiệp Tuyên Quang còn những hạn chế?"),
    ("Why?", "Why did Lang Son stop the scheme?", "…", "Why did Lang Son stop the scheme?"),
    # An English question of its own keeps only the place.
    ("And how many new industrial clusters?",
     "Tuyên Quang phấn đấu tỷ lệ lấp đầy khu, cụm công nghiệp đến 2025 là bao nhiêu?", "trên 60% [1].",
     "How many new industrial clusters (Tuyên Quang)?"),
    # "Cái thứ N" is the N-th of the items asked about.
    ("Thế cái thứ hai?", "Long An có mấy giải pháp tái cơ cấu ngành công nghiệp?", "3 [1].",
     "Giải pháp thứ hai tái cơ cấu ngành công nghiệp của Long An là gì?"),
    ("Còn cái thứ ba?", "Nghị quyết 45 của Lạng Sơn đưa ra bao nhiêu nhóm nhiệm vụ?", "6 [1].",
     "Nhóm nhiệm vụ thứ ba của Lạng Sơn là gì?"),
    # A document number stays with its province; a bare "tỉnh" is named.
    ("Còn Tuyên Quang thì sao?", "Theo Nghị quyết 45 của Lạng Sơn, tỷ trọng công nghiệp đến 2025 là bao nhiêu?", "…",
     "Theo Nghị quyết của Tuyên Quang, tỷ trọng công nghiệp đến 2025 là bao nhiêu?"),
    ("Vậy giờ tỉnh làm theo văn bản nào?",
     "Vì sao UBND tỉnh Lạng Sơn dừng xây dựng Đề án phát triển công nghiệp?", "…",
     "Giờ tỉnh Lạng Sơn làm theo văn bản nào?"),
    # "X thì <verb> thế nào": the question word is the new turn's own, not a "thì sao" frame;
    # the place carries over, not the previous topic or period.
    ("Còn nguồn lực thì huy động thế nào?", "Quan điểm của nghị quyết Tuyên Quang ưu tiên phát triển những ngành nào?",
     "…", "Nguồn lực của Tuyên Quang thì huy động thế nào?"),
    ("Còn dự án vi phạm thì xử lý ra sao?",
     "Về cải cách hành chính, Tuyên Quang đặt mục tiêu gì cho dịch vụ công trực tuyến?", "…",
     "Dự án vi phạm của Tuyên Quang thì xử lý ra sao?"),
    ("Còn khu, cụm công nghiệp thì chỉ tiêu thế nào?",
     "Đến 2025 Lạng Sơn có bao nhiêu lao động công nghiệp theo Nghị quyết 45?", "…",
     "Khu, cụm công nghiệp của Lạng Sơn thì chỉ tiêu thế nào theo Nghị quyết 45?"),
    # A single year replacing a period takes the right word before it, and the other way round.
    ("Thế còn đến 2025?",
     "Tốc độ tăng giá trị sản xuất công nghiệp của Tuyên Quang giai đoạn 2015-2020 là bao nhiêu?", "…",
     "Tốc độ tăng giá trị sản xuất công nghiệp của Tuyên Quang đến năm 2025 là bao nhiêu?"),
    ("Còn giai đoạn 2026-2030?", "Tỷ trọng công nghiệp Lạng Sơn đến năm 2025 là bao nhiêu?", "…",
     "Tỷ trọng công nghiệp Lạng Sơn giai đoạn 2026-2030 là bao nhiêu?"),
    ("Còn năm 2030 thì sao?", "Tỷ trọng công nghiệp Lạng Sơn năm 2025 là bao nhiêu?", "…",
     "Tỷ trọng công nghiệp Lạng Sơn năm 2030 là bao nhiêu?"),
    # A bare "bao nhiêu" asks about the same thing as before.
    ("Thế năm 2022 đặt mục tiêu bao nhiêu?", "Năm 2021 Lạng Sơn sản xuất được bao nhiêu đá các loại?", "…",
     "Năm 2022 Lạng Sơn đặt mục tiêu bao nhiêu đá các loại?"),
    # The previous question's "Vì sao" does not carry over into the context.
    ("Vậy sau đó cơ quan nào lo phần việc công nghiệp này?",
     "Vì sao Lạng Sơn dừng xây dựng Đề án phát triển công nghiệp, tiểu thủ công nghiệp?", "…",
     ("Sau đó cơ quan nào lo phần việc công nghiệp này (Lạng Sơn dừng xây dựng Đề án phát triển công nghiệp, "
      "tiểu thủ công nghiệp)?")),
    # The swapped phrase ends at its verb ("khiến"): the rest of the question stays.
    ("Còn nguyên nhân khách quan thì sao?",
     "Nguyên nhân chủ yếu khiến công nghiệp Tuyên Quang chưa phát triển tương xứng tiềm năng là gì?", "…",
     "Nguyên nhân khách quan khiến công nghiệp Tuyên Quang chưa phát triển tương xứng tiềm năng là gì?"),
]


@pytest.mark.parametrize(("turn", "previous", "answer", "expected"), REWRITES)
def test_rewrites(turn, previous, answer, expected):
    assert rewrite_followup(turn, turns(previous, answer)).question == expected


def test_a_kind_the_turn_names_itself_is_not_replaced_by_the_previous_one():
    # "dự án điện nào" names its kind: no "dự án thủy điện điện".
    r = rewrite_followup("Thế giai đoạn 2026-2030 thì dự án điện nào?",
                         turns("Giai đoạn 2021-2025 Lạng Sơn phải hoàn thành dự án thủy điện nào?", "x [1]."))
    assert "thủy điện điện" not in r.question
    assert "dự án điện nào" in r.question and "Lạng Sơn" in r.question


def test_the_body_a_who_question_was_answered_with_is_what_co_quan_do_means():
    r = rewrite_followup("Cơ quan đó còn phải làm gì nữa?", turns(
        "Ai chủ trì xây dựng kế hoạch học tập nghị quyết Tuyên Quang?",
        "Theo Nghị quyết của Ban Thường vụ Tỉnh ủy Tuyên Quang: “4- Ban Tuyên giáo Tỉnh ủy chủ trì xây dựng kế "
        "hoạch và tổ chức học tập” [1]."))
    # The body in the quote, not the one in the attribution ("Theo Nghị quyết của Ban Thường vụ ...").
    assert r.question.startswith("Ban Tuyên giáo Tỉnh ủy")


def test_the_document_a_question_named_goes_only_with_its_province():
    previous = "Đến 2025 Lạng Sơn có bao nhiêu lao động công nghiệp theo Nghị quyết 45?"
    # Another province's question is not asked of Lạng Sơn's resolution.
    other = rewrite_followup("Còn Tuyên Quang thì sao?", turns(previous, "Trên 21.000 lao động [1]."))
    assert other.question == "Đến 2025 Tuyên Quang có bao nhiêu lao động công nghiệp theo Nghị quyết?"
