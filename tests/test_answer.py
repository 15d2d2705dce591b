"""The extractive answerer on the bundled corpus: real embedder, real Chroma, exact expectations."""

from __future__ import annotations

import logging
import re

import pytest

from assistant.answer import (
    LIST_ANSWER_MAX,
    MAX_QUESTION_CHARS,
    Assistant,
    agency_parts,
)
from assistant.evidence import read_question
from assistant.records import Filters
from assistant.retrieval import Retriever
from index.errors import AssistantError, EmptyQuestion, IndexNotBuilt
from index.settings import Settings

NQ45 = "lang-son-nq45-tin-ban-hanh"
TQ = "tuyen-quang-nq-phat-trien-cong-nghiep-2021-2025"


@pytest.fixture(scope="module")
def assistant(bundled_index, embedder) -> Assistant:
    return Assistant(bundled_index, retriever=Retriever(bundled_index, embedder=embedder))


def exchange(question: str, answer: str) -> list[dict]:
    """A chat history of one question and its answer."""
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def assert_quotes_match_documents(assistant: Assistant, answer) -> None:
    for c in answer.citations:
        text, _ = assistant.retriever.document(c.doc_id)
        assert text[c.start:c.end] == c.quote
        assert c.quote in c.passage


def test_factoid_answer_quotes_the_figure_with_its_period_and_cites_it(assistant):
    answer = assistant.ask("Tỷ trọng công nghiệp trong GRDP của Lạng Sơn năm 2025 là bao nhiêu?")
    assert not answer.abstained
    assert answer.answer == (
        "Theo bài tin về Nghị quyết số 45-NQ/TU (Lạng Sơn): “Giai đoạn 2021-2025: … đến năm 2025, tỷ trọng ngành "
        "công nghiệp trong tổng sản phẩm trên địa bàn đạt 13 - 14%, số lao động hoạt động trong lĩnh vực công "
        "nghiệp đạt trên 21.000 lao động, tăng 45% so với năm 2020” [1]."
    )
    [c] = answer.citations
    assert (c.n, c.doc_id, c.number) == (1, NQ45, "45-NQ/TU")
    assert c.quote.startswith("đến năm 2025, tỷ trọng ngành công nghiệp") and "13 - 14%" in c.quote
    assert_quotes_match_documents(assistant, answer)
    assert answer.retrieved[0].doc_id == NQ45
    assert set(answer.timings_ms) >= {"embed", "retrieve", "answer", "total"}
    assert answer.mode == "extractive"


def test_list_question_gives_every_item(assistant):
    answer = assistant.ask("Nghị quyết 45-NQ/TU của Lạng Sơn đưa ra những nhóm nhiệm vụ chủ yếu nào?")
    assert not answer.abstained
    for item in ["(1) Tập trung hoàn thiện Quy hoạch ngành", "(3) Tiếp tục phát triển công nghiệp sản xuất, phân phối điện",
                 "(6) Duy trì phát triển tiểu thủ công nghiệp, làng nghề."]:
        assert item in answer.answer
    assert [c.doc_id for c in answer.citations] == [NQ45]
    assert_quotes_match_documents(assistant, answer)


def test_comparison_sets_each_province_side_by_side(assistant):
    answer = assistant.ask("So sánh mục tiêu tỷ trọng công nghiệp trong GRDP đến 2025 của Lạng Sơn và Tuyên Quang.")
    assert not answer.abstained
    lines = answer.answer.splitlines()
    assert lines[0] == "So sánh theo các tài liệu:"
    assert lines[1].startswith("- Lạng Sơn: ") and "13 - 14%" in lines[1] and lines[1].endswith("[1].")
    assert lines[2].startswith("- Tuyên Quang: ") and "24,7%" in lines[2] and lines[2].endswith("[2].")
    assert [(c.n, c.doc_id) for c in answer.citations] == [(1, NQ45), (2, TQ)]
    assert_quotes_match_documents(assistant, answer)


def test_a_comparison_whose_one_side_is_not_given_is_not_made(assistant):
    # Lạng Sơn gives its 2030 occupancy aim ("trên 50%"), Tuyên Quang's resolution none for 2030.
    answer = assistant.ask(
        "Mục tiêu tỷ lệ lấp đầy khu, cụm công nghiệp đến năm 2030 của Tuyên Quang cao hơn hay thấp hơn mức trên 50% của Lạng Sơn?")
    assert answer.abstained
    assert answer.citations == [] and "[1]" not in answer.answer
    lines = answer.answer.splitlines()
    assert lines[0] == "Các tài liệu hiện có không nêu thông tin được hỏi về Tuyên Quang, nên không so sánh được."
    # The side the documents give is shown first among the related passages, from its quote.
    assert lines[2] == "Các đoạn có thể liên quan (không phải câu trả lời):"
    assert lines[3].startswith("- Lạng Sơn dừng xây dựng Đề án") and "tỷ lệ lấp đầy cơ bản đạt trên 50%" in lines[3]


def test_a_comparison_side_that_gives_another_figure_is_not_an_answer(assistant):
    # Lạng Sơn's passage gives its count of industrial workers, not the share of trained ones.
    answer = assistant.ask(
        "So sánh tỷ lệ lao động qua đào tạo trong ngành công nghiệp đến năm 2025 mà Tuyên Quang và Lạng Sơn đặt ra.")
    assert answer.abstained
    assert answer.answer.startswith("Các tài liệu hiện có không nêu thông tin được hỏi về Lạng Sơn, nên không so sánh được.")
    assert "lao động qua đào tạo chiếm trên 65%" in answer.answer  # Tuyên Quang's side, shown as related


def test_a_price_base_is_not_a_period_to_compare(assistant):
    answer = assistant.ask("Giá trị sản xuất công nghiệp của Tuyên Quang tính theo giá so sánh 2010 đến năm 2025 đạt bao nhiêu?")
    assert not answer.abstained
    assert not answer.answer.startswith("So sánh")
    assert [c.doc_id for c in answer.citations] == [TQ]
    assert "27.700 tỷ đồng" in answer.citations[0].quote


@pytest.mark.parametrize("question, reason", [
    ("Tỷ trọng công nghiệp trong GRDP của Cao Bằng đến năm 2025 là bao nhiêu?",
     "Các tài liệu hiện có không nêu thông tin về Cao Bằng (tài liệu hiện có chỉ về Long An, Lạng Sơn, Tuyên Quang)."),
    ("Tỷ trọng công nghiệp trong GRDP của Lạng Sơn năm 2040 là bao nhiêu?",
     "Các tài liệu hiện có không nêu thông tin cho năm 2040."),
    ("Nghị quyết 52-NQ/TU của Lạng Sơn quy định gì về phát triển công nghiệp?",
     "Các tài liệu hiện có không nêu văn bản số hiệu này."),
])
def test_abstains_on_a_province_year_or_document_the_corpus_does_not_cover(assistant, question, reason):
    answer = assistant.ask(question)
    assert answer.abstained
    assert answer.citations == []
    assert answer.answer.splitlines()[0] == reason
    assert "[1]" not in answer.answer
    # The closest passages are still shown as possibly related.
    assert "Các đoạn có thể liên quan (không phải câu trả lời):" in answer.answer
    assert len(answer.retrieved) == 10


def test_abstains_when_the_figure_asked_for_is_not_given(assistant):
    # Passages about the park exist, but none gives its area.
    answer = assistant.ask("Khu Công nghiệp - Đô thị - Dịch vụ Hữu Lũng có quy mô diện tích bao nhiêu ha?")
    assert answer.abstained
    assert answer.answer.startswith("Các tài liệu hiện có không nêu thông tin trả lời câu hỏi này.")
    assert answer.citations == []


def test_abstains_when_only_a_deputy_holds_the_role_asked_for(assistant):
    answer = assistant.ask("Giám đốc Sở Công Thương tỉnh Long An là ai?")
    assert answer.abstained


def test_follow_up_is_rewritten_and_answered(assistant):
    history = exchange("Tỷ trọng công nghiệp trong GRDP của Lạng Sơn đến năm 2025 là bao nhiêu?",
                       "Đến năm 2025 đạt 13 - 14% [1].")
    answer = assistant.ask("Còn Tuyên Quang thì sao?", history=history)
    assert answer.question == "Còn Tuyên Quang thì sao?"
    assert answer.rewritten_question == "Tỷ trọng công nghiệp trong GRDP của Tuyên Quang đến năm 2025 là bao nhiêu?"
    assert answer.answer == (
        "Theo Nghị quyết của Ban Thường vụ Tỉnh ủy Tuyên Quang: (Mục tiêu cụ thể đến năm 2025) "
        "“Cơ cấu ngành công nghiệp trong GRDP của tỉnh đạt trên 24,7%.” [1]."
    )
    assert_quotes_match_documents(assistant, answer)


def test_standalone_question_has_no_rewrite(assistant):
    answer = assistant.ask("Long An phấn đấu đến năm 2025 tỉ trọng công nghiệp - xây dựng trong GRDP đạt bao nhiêu?")
    assert answer.rewritten_question is None
    assert "60,5%" in answer.answer
    assert [c.doc_id for c in answer.citations] == ["long-an-cong-nghiep-ho-tro"]


def test_filters_restrict_the_evidence(assistant):
    answer = assistant.ask("Tỷ trọng công nghiệp trong GRDP năm 2025 là bao nhiêu?", filters=Filters(province="Tuyên Quang"))
    assert "24,7%" in answer.answer
    assert {h.province for h in answer.retrieved} == {"Tuyên Quang"}


class CountingRetriever:
    """Delegates to a real Retriever and counts searches."""

    def __init__(self, inner):
        self._inner = inner
        self.searches = 0

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def search_with_notices(self, *args, **kwargs):
        self.searches += 1
        return self._inner.search_with_notices(*args, **kwargs)


@pytest.mark.parametrize("question", ["", "   \n\t ", "?!"])
def test_empty_question_asks_for_one_and_retrieves_nothing(assistant, question):
    counting = CountingRetriever(assistant.retriever)
    with pytest.raises(EmptyQuestion, match="Hãy nhập một câu hỏi."):
        Assistant(assistant.settings, retriever=counting).ask(question)
    assert counting.searches == 0


def test_long_question_is_answered_on_a_truncated_form_with_a_notice(assistant):
    question = "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn năm 2025 là bao nhiêu? " + "xin cảm ơn " * 300
    assert len(question) > MAX_QUESTION_CHARS
    answer = assistant.ask(question)
    assert answer.notices[0].startswith(f"Câu hỏi dài {len(question.strip())} ký tự; chỉ ")
    assert answer.notices[0].endswith("ký tự đầu được dùng để trả lời.")
    assert not answer.abstained
    assert "13 - 14%" in answer.answer


def test_missing_index_says_how_to_build_it(tmp_path, embedder):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")
    with pytest.raises(IndexNotBuilt, match="assistant index"):
        Assistant(settings, retriever=Retriever(settings, embedder=embedder))


class BrokenRetriever(CountingRetriever):
    def search_with_notices(self, *args, **kwargs):
        raise RuntimeError("chroma exploded: segment file missing")


def test_internal_failure_is_a_vietnamese_message_and_the_details_are_logged(assistant, caplog):
    broken = Assistant(assistant.settings, retriever=BrokenRetriever(assistant.retriever))
    with caplog.at_level(logging.ERROR, logger="assistant.answer"):
        with pytest.raises(AssistantError) as info:
            broken.ask("Tỷ trọng công nghiệp của Lạng Sơn?")
    assert str(info.value) == "Đã xảy ra lỗi khi trả lời câu hỏi. Xin thử lại sau hoặc đặt câu hỏi theo cách khác."
    assert "chroma exploded" in caplog.text
    assert type(info.value) is AssistantError


def test_answer_json_follows_the_contract(assistant):
    data = assistant.ask("Sản lượng đá các loại của Lạng Sơn năm 2021 là bao nhiêu m3?").to_json()
    assert set(data) >= {"question", "answer", "abstained", "citations", "retrieved", "timings_ms"}
    c = data["citations"][0]
    assert set(c) >= {"n", "doc_id", "title", "section", "quote", "start", "end", "passage"}
    assert "4.090.000 m3" in data["answer"] and "4.090.000 m3" in c["quote"]


def test_a_why_question_quotes_the_reason_though_it_does_not_repeat_the_year(assistant):
    # "đến năm 2025" names the scheme; the sentence giving the reason does not repeat the
    # year, and the sentences that do only restate what the question says.
    answer = assistant.ask("Vì sao UBND tỉnh Lạng Sơn dừng xây dựng Đề án phát triển công nghiệp, "
                           "tiểu thủ công nghiệp đến năm 2025?")
    assert not answer.abstained
    assert any("là do chưa đảm bảo các điều kiện cần thiết" in c.quote for c in answer.citations)


def test_an_english_question_naming_a_plural_thing_gathers_the_list(assistant):
    assert read_question("Which key industrial products will Lang Son prioritise?").is_list
    assert read_question("What external factors held back industry in Tuyen Quang?").is_list
    # A verb with its object, or a figure: not a list.
    assert not read_question("Which committee advises the Standing Committee on inspection?").is_list
    assert not read_question("What share of administrative procedures does Tuyen Quang handle online?").is_list
    answer = assistant.ask("Which main industrial products will Lang Son focus on from 2022?")
    assert not answer.abstained
    assert "vật liệu xây dựng" in answer.answer and "gia công cơ khí" in answer.answer


def test_a_list_answer_stays_short_enough_for_a_memo(assistant):
    answer = assistant.ask("What external factors held back industrial development in Tuyen Quang?")
    assert not answer.abstained
    assert "địa kinh tế" in answer.answer
    # The quotes stay within the list budget; the rest is "Theo ...:" and the markers.
    assert len(answer.answer) <= LIST_ANSWER_MAX + 200


def test_the_years_before_the_resolution_are_its_past_period(assistant):
    # "mấy năm trước khi có nghị quyết" is a time frame (2015-2020 for a 2021-2025 resolution),
    # not a "how many years" question.
    answer = assistant.ask("Trong mấy năm trước khi có nghị quyết, giá trị sản xuất công nghiệp Tuyên Quang "
                           "tăng trung bình bao nhiêu mỗi năm?")
    assert not answer.abstained
    assert "trên 16%/năm" in answer.answer
    assert read_question("Dự án kéo dài mấy năm?").quantity == "duration"


def test_each_agency_a_question_lists_gets_its_own_task(assistant):
    assert [part for part, _ in agency_parts("Sở Công Thương và Sở Kế hoạch và Đầu tư Lạng Sơn làm gì?")] == [
        "Sở Công Thương làm gì (Lạng Sơn)?", "Sở Kế hoạch và Đầu tư Lạng Sơn làm gì?"]
    assert agency_parts("Ban Tuyên giáo Tỉnh ủy làm gì?") == []
    # Listed as objects ("giao A, B và C những việc gì"), and a level of government.
    assert agency_parts("Nghị quyết giao cấp huyện, HĐND tỉnh và UBND tỉnh những việc gì?") == [
        ("Nghị quyết giao cấp huyện những việc gì?", ("huyen",)),
        ("Nghị quyết giao HĐND tỉnh những việc gì?", ("hdnd tinh", "hoi dong nhan dan")),
        ("Nghị quyết giao UBND tỉnh những việc gì?", ("ubnd tinh", "uy ban nhan dan"))]
    answer = assistant.ask("Theo nghị quyết công nghiệp Tuyên Quang, HĐND tỉnh, UBND tỉnh và Văn phòng Tỉnh ủy "
                           "có nhiệm vụ gì?")
    assert not answer.abstained
    quotes = " ".join(c.quote for c in answer.citations)
    for task in ("Hội đồng nhân dân tỉnh nghiên cứu", "Ủy ban nhân dân tỉnh xây dựng kế hoạch", "Văn phòng Tỉnh ủy chủ trì"):
        assert task in quotes


def test_a_question_for_the_day_needs_a_day(assistant):
    # "On what date ... signed": the documents give no day for the Tuyên Quang resolution;
    # its passages naming years or "đã ký kết" agreements are not an answer.
    answer = assistant.ask("On what exact date was the Tuyen Quang industrial development resolution signed?")
    assert answer.abstained and answer.answer.startswith("Các tài liệu hiện có không nêu ngày được hỏi.")
    answer = assistant.ask("Nghị quyết 45 của Lạng Sơn được ban hành ngày nào?")
    assert not answer.abstained and "01/9/2021" in answer.answer
    # "tốn" (costs) folds like "tấn" (tonnes): not a tonnage question.
    assert read_question("Mỗi đồng GRDP tốn ít điện hơn bao nhiêu?").quantity != "tonnes"
    assert read_question("Sản xuất bao nhiêu tấn clinker?").quantity == "tonnes"


def test_a_passage_summing_up_the_one_before_answers_with_what_it_sums_up(assistant):
    # Chunk "Đây là những hạn chế đáng chú ý ..." names the limitations only by pointing back.
    answer = assistant.ask("Bài báo nêu những hạn chế nào của sản xuất công nghiệp Lạng Sơn?")
    assert not answer.abstained
    assert "còn chậm" in answer.answer and "quy mô còn nhỏ" in answer.answer
    assert not any(c.quote.startswith("Đây là những hạn chế") for c in answer.citations)
    # The article's own title line is what every citation of it already says: never a quote.
    assert not any(c.quote == c.title for c in answer.citations)


def test_a_why_question_answered_from_a_list_of_causes_gives_the_whole_list(assistant):
    # "Nguyên nhân chủ yếu: A; B; C; ...": the clause that repeats "hạn chế" is one cause of
    # several, not the answer.
    answer = assistant.ask("Vì sao ngành công nghiệp Tuyên Quang còn những hạn chế?")
    assert not answer.abstained
    causes = next(c.quote for c in answer.citations if c.quote.startswith("Nguyên nhân chủ yếu: Một số cấp ủy"))
    assert "quy mô nhỏ" in causes and "thu hút đầu tư nước ngoài (FDI) còn hạn chế" in causes


def test_a_why_question_whose_best_sentence_states_the_fact_adds_the_reasons_after_it(assistant):
    # "... vẫn chưa đạt kế hoạch đề ra (...)." is what is asked about; "Thực tế cho thấy, ..."
    # right after it gives the reasons.
    answer = assistant.ask("Vì sao năm 2021 sản phẩm công nghiệp chủ lực của Lạng Sơn chưa đạt kế hoạch?")
    assert not answer.abstained
    assert any(c.quote.startswith("Thực tế cho thấy") and "mới xây dựng còn chậm" in c.quote
               for c in answer.citations)


def test_which_ones_among_those_just_given_names_them_all_and_not_the_count_again(assistant):
    history = exchange("Hiện toàn tỉnh Lạng Sơn có bao nhiêu cụm đủ điều kiện về quy hoạch?",
                       "Theo UBND tỉnh Lạng Sơn: “hiện toàn tỉnh có 15 cụm công nghiệp đủ điều kiện về quy hoạch "
                       "để triển khai thực hiện.” [1].")
    answer = assistant.ask("Trong số đó cụm nào đủ điều kiện triển khai?", history=history)
    assert not answer.abstained
    # "... gồm: A; B; C": every cluster, not only the one in the clause that announces them.
    assert "Hợp Thành 1" in answer.answer and "Bắc Sơn 2" in answer.answer
    # The count the user was just given is not repeated.
    assert "15 cụm" not in answer.answer
    assert_quotes_match_documents(assistant, answer)


def test_a_follow_up_that_asks_its_own_question_is_not_pulled_back_to_the_previous_answer(assistant):
    history = exchange("Tuyên Quang phấn đấu tỷ lệ lấp đầy khu, cụm công nghiệp đến 2025 là bao nhiêu?",
                       "Theo Nghị quyết: “Tỷ lệ trung bình lấp đầy khu, cụm công nghiệp phân đầu đạt trên 60%.” [1].")
    answer = assistant.ask("And how many new industrial clusters?", history=history)
    assert not answer.abstained
    assert "ít nhất 5 cụm công nghiệp" in answer.answer
    assert "60%" not in answer.answer


def test_a_why_question_asking_for_a_list_also_gets_the_reasons_after_the_fact(assistant):
    answer = assistant.ask("Why are some of Lang Son's key industrial products falling short of plan — "
                           "what structural weaknesses does the article point to?")
    assert not answer.abstained
    assert "mới xây dựng còn chậm" in answer.answer and "quy mô còn nhỏ" in answer.answer


@pytest.mark.parametrize("question, says", [
    # The text of 19/4 is quoted without a number; "Nghị quyết số 45/NQ-TU" is another text's.
    (("Văn bản ngày 19/4 của UBND tỉnh Lạng Sơn về việc dừng xây dựng Đề án phát triển công nghiệp, "
      "tiểu thủ công nghiệp có số hiệu là gì?"), "không nêu số hiệu văn bản được hỏi"),
    # "tại những nơi phù hợp" names no place.
    ("Trung tâm Logistic mà Tuyên Quang phấn đấu xây dựng sẽ được đặt tại huyện nào?", "không nêu địa điểm được hỏi"),
    # The resolution's text gives neither its number nor its day.
    (("Nghị quyết của Ban Thường vụ Tỉnh ủy Tuyên Quang khóa XVII về phát triển công nghiệp giai đoạn 2021 - 2025 "
      "có số hiệu và ngày ban hành là gì?"), "không nêu ngày được hỏi"),
    # "05 năm" of a growth period and "sau gần 2 năm triển khai" are not how long a tax is waived.
    (("Doanh nghiệp đầu tư vào khu, cụm công nghiệp ở Tuyên Quang được miễn thuế thu nhập doanh nghiệp trong "
      "bao nhiêu năm?"), "không nêu"),
    # Only the Tuyên Quang resolution gives Ban Tuyên giáo a task.
    ("Ban Tuyên giáo Tỉnh ủy Lạng Sơn được giao nhiệm vụ gì trong việc triển khai Nghị quyết 45-NQ/TU?",
     "không nêu nhiệm vụ của Ban Tuyên giáo Tỉnh ủy Lạng Sơn"),
])
def test_a_number_place_day_or_agency_task_the_passages_do_not_give_abstains(assistant, question, says):
    answer = assistant.ask(question)
    assert answer.abstained
    assert says in answer.answer


def test_a_number_and_an_agency_task_the_passages_give_are_answered(assistant):
    number = assistant.ask("Nghị quyết về phát triển công nghiệp của Lạng Sơn có số hiệu là gì?")
    assert not number.abstained and "45-NQ/TU" in number.answer
    task = assistant.ask("Ban Tuyên giáo Tỉnh ủy Tuyên Quang được giao nhiệm vụ gì?")
    assert not task.abstained and "Ban Tuyên giáo Tỉnh ủy chủ trì" in task.answer


def test_the_form_of_what_a_question_asks():
    assert read_question("Nghị quyết có số hiệu và ngày ban hành là gì?").asks_day
    assert read_question("Văn bản đó có số hiệu là gì?").asks_number
    assert read_question("Trung tâm Logistic đặt tại huyện nào?").asks_place
    assert read_question("Long An ho tro bao nhieu tien cho moi doanh nghiep?").quantity == "money"
    assert read_question("What electricity tariff do factories pay?").quantity == "money"
    # A duration measures what comes before it.
    assert read_question("Lạng Sơn miễn giảm thuế thu nhập doanh nghiệp bao nhiêu năm cho nhà đầu tư?").measured_words[:2] \
        == ("giam", "thue")


def test_a_question_asking_which_document_is_answered_by_one_that_names_a_document(assistant):
    assert read_question("Giờ tỉnh Lạng Sơn làm theo văn bản nào?").asks_document
    assert not read_question("Lạng Sơn có kế hoạch nào cho điện gió?").asks_document
    answer = assistant.ask("Giờ tỉnh Lạng Sơn làm theo văn bản nào?")
    assert not answer.abstained
    # Not the stop notice ("đã ra văn bản về việc dừng ..."), which names no document.
    assert re.search(r"Nghị quyết số 45[-/]", answer.citations[0].quote)
    # A resolution whose text gives no number is named by its title: answered, not abstained.
    unnumbered = assistant.ask("Nghị quyết nào về phát triển công nghiệp Tuyên Quang?")
    assert not unnumbered.abstained
    assert unnumbered.citations[0].doc_id == "tuyen-quang-nq-phat-trien-cong-nghiep-2021-2025"


def test_what_a_question_sets_aside_is_not_its_answer(assistant):
    answer = assistant.ask("Ngoài dạy nghề cho người dân trong tỉnh, Tuyên Quang còn tìm việc làm cho họ bằng cách nào?")
    assert not answer.abstained
    assert "xuất khẩu lao động" in answer.citations[0].quote  # not the vocational training set aside


def test_an_industry_share_without_grdp_is_the_share_of_grdp(assistant):
    # "tỷ trọng công nghiệp" is the industry's share of GRDP, which the Tuyên Quang resolution
    # writes "Cơ cấu ngành công nghiệp trong GRDP" (not its "Cơ cấu lao động ngành công nghiệp",
    # nor the output "27.700 tỷ đồng").
    answer = assistant.ask("Theo Nghị quyết của Tuyên Quang, tỷ trọng công nghiệp đến 2025 là bao nhiêu?")
    assert not answer.abstained
    assert answer.citations[0].doc_id == TQ
    assert "Cơ cấu ngành công nghiệp trong GRDP của tỉnh đạt trên 24,7%" in answer.citations[0].quote


def test_a_question_about_counted_things_is_not_answered_by_another_count(assistant):
    answer = assistant.ask(
        "4 cụm công nghiệp trong Quy hoạch phát triển cụm công nghiệp của Lạng Sơn còn chưa phù hợp với các quy định "
        "liên quan nằm ở những huyện nào?")
    assert answer.abstained  # the 3 qualified clusters have districts; the 4 others are not placed
    assert answer.answer.startswith("Các tài liệu hiện có không nêu địa điểm được hỏi.")
    listed = assistant.ask("Tuyên Quang thành lập mới 3 khu công nghiệp nào đến năm 2025?")
    assert not listed.abstained and "Khu công nghiệp Nhữ Khê" in listed.answer
