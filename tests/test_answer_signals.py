"""Question signals the extractive answerer uses to choose evidence or abstain (pure functions)."""

from assistant.evidence import (
    TermStats,
    coverage,
    fold,
    measured_item,
    names_answer,
    passage_years,
    proper_names,
    read_question,
    score_units,
    split_units,
)
from assistant.records import Hit


def test_english_how_many_names_the_measured_thing_in_vietnamese():
    assert measured_item(fold("How many tonnes of cement did Lang Son produce in 2021?")) == {"cement", "xi", "mang"}
    # Workers are what is counted: the "workers" figure kind asks for "<number> lao động".
    workers = "How many industrial workers does Tuyen Quang target by 2025?"
    assert measured_item(fold(workers)) == frozenset()
    assert read_question(workers).quantity == "workers"
    assert {"qua", "dao", "tao"} <= measured_item(fold("How many trained workers does Tuyen Quang target?"))
    assert measured_item(fold("What share of GRDP should industry account for?")) == frozenset()
    # "What is the planned area in hectares ...": a figure of a kind, without "how much".
    assert read_question("What is the planned area in hectares of the Hữu Lũng zone?").quantity == "area"


def test_vietnamese_how_many_keeps_its_measured_thing():
    assert measured_item(fold("Năm 2021 Lạng Sơn sản xuất được bao nhiêu tấn than sạch?")) == {"than", "sach"}
    # "khối" (cubic metres) and "viên" (bricks) are units, as "m3" is.
    assert measured_item(fold("Năm 2021 Lạng Sơn sản xuất được bao nhiêu khối nước máy?")) == {"nuoc"}
    assert measured_item(fold("Lạng Sơn làm ra bao nhiêu viên gạch?")) == {"gach"}


def test_questions_asking_for_a_name_or_an_investor():
    assert read_question("Doanh nghiệp nào là nhà đầu tư Nhà máy gang thép?").asks_name == "business"
    assert read_question("Which company invests in the steel plant?").asks_name == "business"
    assert read_question("Nhà máy điện sinh khối đó tên là gì?").asks_name == "name"
    assert read_question("Ai là nòng cốt trong đổi mới công nghệ?").asks_name is None


def test_proper_names_skip_places_and_sentence_initial_words():
    assert proper_names("xây dựng các Nhà máy thủy điện Sông Lô 9.") == ["Sông Lô 9"]
    assert proper_names("cụm công nghiệp Hợp Thành 1, huyện Cao Lộc") == ["Hợp Thành 1"]
    assert proper_names("Đồng thời, đề xuất bổ sung quy hoạch nhà máy điện sinh khối") == []


def test_a_business_question_needs_a_business_or_a_person_in_the_text():
    question = read_question("Doanh nghiệp nào là nhà đầu tư Nhà máy gang thép Tuyên Quang?")
    assert names_answer(question, "Công ty Cổ phần Xi măng Tân Quang là nhà đầu tư")
    assert not names_answer(question, "Hoàn thành Dự án mở rộng Nhà máy gang thép Tuyên Quang")
    assert not names_answer(question, "UBND tỉnh chỉ đạo các doanh nghiệp triển khai")


def test_a_name_question_ignores_administrative_bodies_and_names_it_gives():
    question = read_question("Nhà máy điện sinh khối mà Lạng Sơn đề xuất tên là gì?")
    assert not names_answer(question, "đề xuất UBND tỉnh trình Bộ Công Thương bổ sung quy hoạch nhà máy điện sinh khối")
    assert names_answer(question, "xây dựng Nhà máy điện sinh khối Hữu Lũng")


def test_coverage_ignores_terms_the_corpus_never_uses():
    stats = TermStats.from_texts(["sản lượng clinker đạt 410.000 tấn", "nước máy đạt 9.888.000 m3"])
    assert coverage({"clinker", "produce", "much"}, {"clinker", "tan"}, stats) == 1.0
    assert coverage({"clinker", "produce"}, {"nuoc", "may"}, stats) == 0.0


def test_a_sentence_in_the_documents_wording_of_the_question_is_credited():
    # "khai thác mỏ" is what a user types; the resolution writes "khai khoáng".
    texts = ["Duy trì hoạt động công nghiệp khai khoáng.", "Phát triển công nghiệp gắn với bảo vệ môi trường."]
    units = [u for i, t in enumerate(texts)
             for u in split_units(Hit(chunk_id=f"c{i}", doc_id="d", text=t, section="", start=0, end=len(t),
                                      score=1.0, rank=1))]
    question = read_question("Về khai thác mỏ, tỉnh chủ trương thế nào?")
    scored = {s.unit.text: s for s in score_units(question, units, [0.9, 0.9], TermStats.from_texts(texts))}
    worded = scored["Duy trì hoạt động công nghiệp khai khoáng."]
    assert worded.features["wording"] > 0 and worded.score > scored["Phát triển công nghiệp gắn với bảo vệ môi trường."].score
    # The credit orders units; thresholds and margins read the score without it.
    assert worded.plain == worded.score - worded.features["wording"]


def test_each_everyday_phrase_is_read_in_the_wording_the_sentence_uses():
    # "cú hích" and "vùng quê" are what a user types; the resolution writes "động lực" and
    # "nông thôn". Read in those words, the question covers the sentence nearly as well as
    # one written in them (before, the renderings were only added to the question's words).
    texts = ["Coi trọng và xác định hoạt động khuyến công là động lực mới cho phát triển công nghiệp nông thôn.",
             "Hoàn thành hạ tầng kỹ thuật và đưa vào hoạt động ít nhất 01 khu công nghiệp mới."]
    units = [u for i, t in enumerate(texts)
             for u in split_units(Hit(chunk_id=f"c{i}", doc_id="d", text=t, section="", start=0, end=len(t),
                                      score=1.0, rank=1))]
    stats = TermStats.from_texts(texts + ["Làng nghề ở vùng quê cần một cú hích mới."])
    scored = score_units(read_question("Tỉnh xem hoạt động nào là cú hích mới cho công nghiệp ở vùng quê?"),
                         units, [0.9, 0.9], stats)
    assert scored[0].unit.text.startswith("Coi trọng")
    assert scored[0].features["lexical"] + scored[0].features["wording"] > 0.8


def test_what_a_question_sets_aside_is_not_what_it_asks():
    question = read_question("Ngoài dạy nghề cho người dân trong tỉnh, Tuyên Quang còn tìm việc làm cho họ bằng cách nào?")
    assert "nghe" not in question.terms and "viec" in question.terms


def _cue_of(question_text: str, text: str) -> float:
    unit = split_units(Hit(chunk_id="c", doc_id="d", text=text, section="", start=0, end=len(text), score=1.0, rank=1))[0]
    scored = score_units(read_question(question_text), [unit], [0.9], TermStats.from_texts([text]))
    return scored[0].features["cue"]


def test_a_why_question_about_what_happened_wants_a_cause_not_a_purpose():
    purpose = "Hiện toàn tỉnh có 15 cụm công nghiệp đủ điều kiện về quy hoạch để triển khai thực hiện."
    cause = "Việc dừng đề án này là do chưa đảm bảo các điều kiện cần thiết."
    assert _cue_of("Vì sao Lạng Sơn dừng xây dựng đề án?", purpose) == 0.0
    assert _cue_of("Vì sao Lạng Sơn dừng xây dựng đề án?", cause) == 1.0
    assert _cue_of("Vì sao năm 2021 vài mặt hàng chính không về đích?",
                   "Thực tế cho thấy, các dự án công nghiệp mới xây dựng còn chậm.") == 1.0
    # What someone means to do is answered by its purpose.
    assert _cue_of("Vì sao Lạng Sơn muốn khuyến khích công nghiệp vừa và nhỏ?",
                   "Khuyến khích phát triển công nghiệp vừa và nhỏ để tận dụng nguồn nguyên liệu tại chỗ.") == 1.0


def test_a_unit_without_a_year_takes_its_passages():
    text = ("Tuy nhiên, dù có mức tăng trưởng sản lượng so với năm 2020, song một số sản phẩm vẫn chưa đạt "
            "kế hoạch. Thực tế cho thấy, các cơ sở sản xuất hầu hết quy mô còn nhỏ.")
    units = split_units(Hit(chunk_id="c", doc_id="d", text=text, section="", start=0, end=len(text), score=1.0, rank=1))
    last = next(u for u in units if "quy mô còn nhỏ" in u.text)
    # A report's baseline is the year before the one it reports on.
    assert passage_years(last) == {"2021"}
    targets = "Đến năm 2025, tỷ lệ lấp đầy đạt 60%. Các cụm công nghiệp được mở rộng."
    units = split_units(Hit(chunk_id="t", doc_id="d", text=targets, section="", start=0, end=len(targets),
                            score=1.0, rank=1))
    # A passage that names its year: a sentence without one is not about it.
    assert passage_years(units[-1]) == set()
