"""`assistant eval` end to end on the bundled index: report.json schema, report.md, plots."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from evals.metrics import ALL_METRICS, contains_any, fold_all

PNG = b"\x89PNG\r\n\x1a\n"

FACTOID = {
    "id": "ls45-share2025", "question": "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn năm 2025 là bao nhiêu?",
    "gold_quotes": ["tỷ trọng ngành công nghiệp trong tổng sản phẩm trên địa bàn đạt 13 - 14%"],
    "answer_facts": ["13 - 14%"], "answerable": True, "kind": "factoid", "history": [], "reviewer": "Lan",
}
FOLLOW_UP = {
    "id": "fu-share-tq", "question": "Còn Tuyên Quang thì sao?",
    "gold_quotes": ["Cơ cấu ngành công nghiệp trong GRDP của tỉnh đạt trên 24,7%"], "answer_facts": ["24,7%"],
    "answerable": True, "kind": "follow-up",
    "history": [
        {"role": "user", "content": "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn đến năm 2025 là bao nhiêu?"},
        {"role": "assistant", "content": "Đến năm 2025 tỷ trọng ngành công nghiệp của Lạng Sơn đạt 13 - 14%."},
    ],
}
UNANSWERABLE = {
    "id": "un-caobang-share", "question": "Tỷ trọng công nghiệp trong GRDP của Cao Bằng đến năm 2025 là bao nhiêu?",
    "gold_quotes": [], "answer_facts": [], "answerable": False, "kind": "unanswerable", "history": [],
}


def _write(path, lines):
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                    encoding="utf-8")
    return path


def _args(settings, dataset, out, *extra):
    return ["eval", "--data-dir", str(settings.data_dir), "--corpus", str(settings.corpus_dir),
            "--dataset", str(dataset), "--out", str(out), "--quiet", "--no-warm-up", *extra]


@pytest.fixture(scope="module")
def system_report(bundled_index, tmp_path_factory):
    """One run of the system as configured over three questions (no split: runs whole)."""
    tmp = tmp_path_factory.mktemp("eval")
    dataset = _write(tmp / "three.jsonl", [FACTOID, "{broken", FOLLOW_UP, UNANSWERABLE])
    out = tmp / "run"
    code = main(_args(bundled_index, dataset, out))
    return code, out


def test_run_writes_report_json_in_the_contract_schema(system_report):
    code, out = system_report
    assert code == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {"config", "metrics", "questions"} <= set(report)
    assert report["config"]["name"] == "system" and report["config"]["questions"] == 3
    assert set(ALL_METRICS) <= set(report["metrics"]["overall"])
    assert sorted(report["metrics"]["by_kind"]) == ["factoid", "follow-up", "unanswerable"]
    assert [q["id"] for q in report["questions"]] == ["ls45-share2025", "fu-share-tq", "un-caobang-share"]
    for q in report["questions"]:
        assert q["error"] is None
        assert q["latency_ms"] > 0
        assert q["retrieved"] and [h["rank"] for h in q["retrieved"]] == list(range(1, len(q["retrieved"]) + 1))
        for hit in q["retrieved"]:
            assert {"rank", "chunk_id", "doc_id", "text", "score"} <= set(hit) and hit["text"]
        answer = q["answer"]
        assert isinstance(answer["text"], str) and isinstance(answer["abstained"], bool)
        for c in answer["citations"]:
            assert {"n", "chunk_id", "doc_id", "quote", "text"} <= set(c)
            assert fold_all([c["quote"]])[0] in fold_all([c["text"]])[0]


def test_follow_up_is_scored_on_what_the_assistant_searched(system_report):
    _, out = system_report
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    follow_up = report["questions"][1]
    assert follow_up["searched"] == follow_up["answer"]["rewritten_question"]
    assert follow_up["searched"] != follow_up["question"]
    assert "Tuyên Quang" in follow_up["searched"]


def test_report_can_be_rescored_from_its_own_passages(system_report):
    _, out = system_report
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    hits = []
    for q in report["questions"]:
        if q["gold_quotes"]:
            quotes = fold_all(q["gold_quotes"])
            hits.append(any(contains_any(t, quotes) for t in fold_all(h["text"] for h in q["retrieved"][:10])))
    assert report["metrics"]["overall"]["hit@10"] == sum(hits) / len(hits)
    abstained = [q["answer"]["abstained"] for q in report["questions"]]
    recall = report["metrics"]["overall"]["abstention_recall"]
    assert recall == (1.0 if abstained[2] else 0.0)


def test_report_md_and_plots_exist(system_report):
    _, out = system_report
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Tổng thể" in md and "## Theo loại câu hỏi" in md and "## Những câu tìm kém nhất" in md
    assert "`ls45-share2025`" in md
    for name in ("metrics.png", "latency.png"):
        assert (out / name).read_bytes()[:8] == PNG


def test_malformed_line_and_missing_quote_are_warnings(bundled_index, tmp_path, capsys):
    bogus = {**FACTOID, "id": "bogus", "gold_quotes": ["câu này không hề có trong kho tài liệu"]}
    dataset = _write(tmp_path / "two.jsonl", [FACTOID, "{broken", bogus])
    out = tmp_path / "cmp"
    assert main(_args(bundled_index, dataset, out, "--compare", "dense", "lexical")) == 0
    captured = capsys.readouterr()
    assert "dòng 2" in captured.err and "không có trong kho tài liệu" in captured.err
    assert "| dense" in captured.out and "| lexical" in captured.out
    for name in ("dense", "lexical"):
        report = json.loads((out / name / "report.json").read_text(encoding="utf-8"))
        assert report["config"]["retrieval_mode"] == name
        assert any("bogus" in w for w in report["warnings"])
    assert (out / "compare.png").read_bytes()[:8] == PNG
    assert "| dense" in (out / "compare.md").read_text(encoding="utf-8")


def test_gate_fails_when_a_threshold_is_not_met(bundled_index, tmp_path, capsys):
    dataset = _write(tmp_path / "one.jsonl", [FACTOID])
    thresholds = tmp_path / "t.toml"
    thresholds.write_text('[minimum]\n"hit@10" = 0.5\n"abstention_recall" = 0.5\n', encoding="utf-8")
    code = main(_args(bundled_index, dataset, tmp_path / "g", "--gate", str(thresholds)))
    assert code == 1
    err = capsys.readouterr().err
    assert "abstention_recall: không đo được" in err  # no unanswerable question in the set
    assert "hit@10" not in err.split("THẤT BẠI")[1]


def test_builds_the_index_first_when_there_is_none(make_corpus, tmp_path, capsys):
    settings = make_corpus({
        "cao-bang.txt": "Tỉnh Cao Bằng phát triển chăn nuôi bò. Đàn bò đạt 120.000 con vào năm 2025.",
        "ha-nam.txt": "Hà Nam xây dựng khu công nghiệp Đồng Văn. Khu công nghiệp có diện tích 300 ha.",
    })
    question = {"id": "hn-area", "question": "Khu công nghiệp Đồng Văn rộng bao nhiêu ha?",
                "gold_quotes": ["Khu công nghiệp có diện tích 300 ha"], "answer_facts": ["300 ha"],
                "answerable": True, "kind": "factoid", "history": []}
    dataset = _write(tmp_path / "one.jsonl", [question])
    assert main(_args(settings, dataset, tmp_path / "out")) == 0
    assert "Chưa có chỉ mục" in capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["questions"][0]["retrieved"][0]["doc_id"] == "ha-nam"
    assert report["metrics"]["overall"]["hit@1"] == 1.0


def test_rescoring_a_report_reproduces_its_metrics(system_report, capsys):
    from evals.report import rescore

    _, out = system_report
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rescore(report) == report["metrics"]
    assert main(["eval", "--rescore", str(out / "report.json")]) == 0
    assert "| system" in capsys.readouterr().out


def test_rescore_with_gate_needs_no_index(system_report, tmp_path, capsys):
    _, out = system_report
    thresholds = tmp_path / "t.toml"
    thresholds.write_text('[minimum]\n"hit@10" = 1.01\n', encoding="utf-8")
    code = main(["eval", "--data-dir", str(tmp_path / "nothing"), "--rescore", str(out / "report.json"),
                 "--gate", str(thresholds)])
    assert code == 1
    assert "hit@10 = 1.0000 < ngưỡng tối thiểu 1.0100 (thiếu 0.0100)" in capsys.readouterr().err
