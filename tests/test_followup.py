"""Follow-up questions made standalone without an LLM: exact rewrites."""

from __future__ import annotations

from assistant.followup import rewrite_followup


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
    assert r.question == "lao động (Mục tiêu tỷ trọng công nghiệp của Lạng Sơn đến 2025)?"
    assert r.focus == "lao động"


def test_pointing_back_carries_the_place_and_topic():
    r = rewrite_followup(
        "Nhà máy đó ở huyện nào?", turns("Tuyên Quang phấn đấu hoàn thành dự án mở rộng nhà máy nào?", "…")
    )
    assert r.question == "Nhà máy đó ở huyện nào (Tuyên Quang phấn đấu hoàn thành dự án mở rộng nhà máy)?"


def test_english_follow_up():
    r = rewrite_followup("And its share of GRDP?", turns("What industrial output value does Tuyên Quang target for 2025?", "…"))
    assert r.question == "its share of GRDP (What industrial output value does Tuyên Quang target for 2025)?"


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
