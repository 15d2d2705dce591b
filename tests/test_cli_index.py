"""`assistant index` from the command line: JSON summary, clear errors, no stack traces."""

from __future__ import annotations

import json

from assistant.cli import main


def test_index_json_summary_and_rerun(make_corpus, capsys):
    settings = make_corpus({"a.txt": "Đến năm 2025 thành lập mới 5 cụm công nghiệp.", "b.bin": b"\x00\x01"})
    args = ["index", "--json", "--data-dir", str(settings.data_dir), "--corpus", str(settings.corpus_dir)]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["documents"] == 1 and first["chunks"] == 1 and first["embedded"] == 1
    assert first["skipped"] == [{"path": "b.bin", "reason": "định dạng .bin không được hỗ trợ (chỉ nhận .docx, .md, .pdf, .txt)"}]
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["embedded"] == 0 and second["changed"] is False


def test_index_text_summary_lists_skipped_files(make_corpus, capsys):
    settings = make_corpus({"a.txt": "Nội dung.", "rong.txt": ""})
    assert main(["index", "--data-dir", str(settings.data_dir), "--corpus", str(settings.corpus_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 tài liệu" in out and "Bỏ qua rong.txt: tệp rỗng" in out
    assert "Vectơ từng câu cho tìm kiếm đã sẵn sàng" in out


def test_index_leaves_the_sentence_vectors_cached(make_corpus, capsys):
    import sqlite3

    from assistant.retrieval import Retriever

    def cached_vectors() -> int:
        with sqlite3.connect(settings.data_dir / "embeddings.sqlite") as db:
            return db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]

    text = "Đến năm 2025 thành lập mới 5 cụm công nghiệp. Thu hút 10 dự án đầu tư."
    settings = make_corpus({"a.txt": text})
    assert main(["index", "--data-dir", str(settings.data_dir), "--corpus", str(settings.corpus_dir)]) == 0
    capsys.readouterr()
    # One chunk vector and one vector per sentence, all written by `assistant index`.
    assert cached_vectors() == 3
    # A new process's retriever finds every sentence vector in the cache: nothing is added.
    Retriever(settings).warm_up()
    assert cached_vectors() == 3


def test_missing_corpus_directory_is_a_clear_error(tmp_path, capsys):
    code = main(["index", "--data-dir", str(tmp_path / "d"), "--corpus", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Lỗi: Không tìm thấy thư mục tài liệu") and "Traceback" not in err
