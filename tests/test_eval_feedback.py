"""Thumbs-down feedback becomes draft eval entries; drafts do not run until completed."""

from __future__ import annotations

import json

from assistant.cli import main
from evals.dataset import load_dataset
from evals.feedback import drafts_from_lines

PASSAGE = "Tỷ trọng ngành công nghiệp trong tổng sản phẩm trên địa bàn đạt 13 - 14%."


def _record(rating: str, question: str, comment: str = "", **extra) -> str:
    record = {
        "timestamp": "2025-01-02T10:00:00+07:00", "rating": rating, "comment": comment, "question": question,
        "answer": "Không tìm thấy thông tin [1].",
        "citations": [{"n": 1, "chunk_id": "ls#3", "doc_id": "ls", "quote": "đạt 13 - 14%", "passage": PASSAGE}],
        **extra,
    }
    return json.dumps(record, ensure_ascii=False)


FEEDBACK = [
    _record("up", "Câu được khen?"),
    _record("down", "Tỷ trọng công nghiệp Lạng Sơn 2025?", "thiếu số liệu"),
    "{hỏng",
    _record("down", "Tỷ trọng công nghiệp Lạng Sơn 2025?", "sai nguồn"),  # same question again
    _record("down", "Còn Tuyên Quang thì sao?",
            history=[{"role": "user", "content": "Lạng Sơn?"}, {"role": "assistant", "content": "13 - 14%"}],
            retrieved=[{"rank": r, "chunk_id": f"tq#{r}", "doc_id": "tq", "text": f"đoạn {r}", "score": 1.0 / r}
                       for r in range(1, 8)]),
]


def test_thumbs_down_become_drafts_with_question_history_and_passages():
    drafts = drafts_from_lines(FEEDBACK)
    assert [p.line for p in drafts.problems] == [3]
    assert (drafts.thumbs_up, drafts.duplicates) == (1, 1)
    first, follow_up = drafts.entries
    assert first["question"] == "Tỷ trọng công nghiệp Lạng Sơn 2025?"
    assert first["comment"] == "thiếu số liệu | sai nguồn"
    assert (first["gold_quotes"], first["answer_facts"], first["answerable"]) == ([], [], None)
    assert (first["kind"], first["draft"], first["history"]) == ("feedback", True, [])
    # Without a logged ranking, the cited passages stand for what was retrieved.
    assert first["retrieved"] == [{"rank": 1, "chunk_id": "ls#3", "doc_id": "ls", "text": PASSAGE}]
    assert follow_up["history"][0] == {"role": "user", "content": "Lạng Sơn?"}
    assert [h["chunk_id"] for h in follow_up["retrieved"]] == ["tq#1", "tq#2", "tq#3", "tq#4", "tq#5"]
    assert first["id"] != follow_up["id"] and first["id"].startswith("fb-")


def test_from_feedback_command_writes_drafts_that_the_runner_skips(tmp_path, capsys):
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text("\n".join(FEEDBACK) + "\n", encoding="utf-8")
    out = tmp_path / "drafts.jsonl"
    code = main(["eval", "--data-dir", str(tmp_path / "data"), "--from-feedback", str(feedback), "--out", str(out)])
    assert code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(x)["draft"] is True for x in lines)
    err = capsys.readouterr().err
    assert "dòng 3" in err and "2 câu nháp" in err
    dataset = load_dataset(out, "all")
    assert dataset.items == () and [p.line for p in dataset.problems] == [1, 2]


def test_from_feedback_defaults_to_the_settings_feedback_file(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "feedback.jsonl").write_text(FEEDBACK[1] + "\n", encoding="utf-8")
    assert main(["eval", "--data-dir", str(data), "--from-feedback"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert [json.loads(x)["question"] for x in printed] == ["Tỷ trọng công nghiệp Lạng Sơn 2025?"]


def test_missing_feedback_file_is_an_error(tmp_path, capsys):
    assert main(["eval", "--data-dir", str(tmp_path), "--from-feedback"]) == 2
    assert "chưa có tệp phản hồi" in capsys.readouterr().err
