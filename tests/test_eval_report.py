"""Tables of the report: formatting of values and the side-by-side comparison."""

from __future__ import annotations

from evals.report import compare_by_kind, compare_table, fmt
from evals.runner import RunResult


def _run(name: str, overall: dict, by_kind: dict) -> RunResult:
    return RunResult({"name": name}, (), {"overall": overall, "by_kind": by_kind}, 0.0)


def test_values_are_formatted_by_metric():
    assert [fmt(0.5, "hit@1"), fmt(None, "hit@1"), fmt(1234.56, "latency_p50_ms")] == ["0.500", "–", "1235"]
    assert [fmt(281.5, "answer_chars_median"), fmt(12.0, "unsupported_numbers"), fmt(7, "questions")] == ["282", "12", "7"]


def test_compare_table_puts_configurations_side_by_side():
    runs = [
        _run("dense", {"hit@1": 0.651, "mrr@10": 0.73}, {"factoid": {"mrr@10": 0.9}}),
        _run("llamaindex-default", {"hit@1": 0.477, "mrr@10": None}, {}),
    ]
    assert compare_table(runs, ("hit@1", "mrr@10")).splitlines() == [
        "| cấu hình           | hit@1 | mrr@10 |",
        "|--------------------|-------|--------|",
        "| dense              | 0.651 | 0.730  |",
        "| llamaindex-default | 0.477 | –      |",
    ]
    assert compare_by_kind(runs, "mrr@10").splitlines()[2] == "| factoid          | 0.900 | –                  |"
