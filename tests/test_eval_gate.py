"""The regression gate on crafted reports, and the checked-in thresholds file."""

from __future__ import annotations

import pytest

from evals.gate import DEFAULT_THRESHOLDS, check, load_thresholds
from evals.metrics import ALL_METRICS, LOWER_IS_BETTER
from index.errors import ConfigError

THRESHOLDS = """
[minimum]
"hit@5" = 0.80
fact_accuracy = 0.5

[maximum]
unsupported_number_rate = 0.10
"""


@pytest.fixture
def bounds(tmp_path):
    path = tmp_path / "thresholds.toml"
    path.write_text(THRESHOLDS, encoding="utf-8")
    return load_thresholds(path)


def _report(**overall) -> dict:
    base = {"hit@5": 0.9, "fact_accuracy": 0.6, "unsupported_number_rate": 0.05}
    return {"config": {"name": "system"}, "metrics": {"overall": {**base, **overall}, "by_kind": {}}, "questions": []}


def test_a_report_within_bounds_passes(bounds):
    assert check(_report()["metrics"]["overall"], bounds) == []
    assert check(_report(**{"hit@5": 0.80})["metrics"]["overall"], bounds) == []  # the bound itself passes


def test_a_metric_below_its_minimum_fails_with_the_gap(bounds):
    failures = check(_report(**{"hit@5": 0.7125})["metrics"]["overall"], bounds)
    assert [(f.bound.metric, f.actual) for f in failures] == [("hit@5", 0.7125)]
    assert str(failures[0]) == "hit@5 = 0.7125 < ngưỡng tối thiểu 0.8000 (thiếu 0.0875)"


def test_a_metric_above_its_maximum_fails(bounds):
    failures = check(_report(unsupported_number_rate=0.25)["metrics"]["overall"], bounds)
    assert [f.bound.kind for f in failures] == ["maximum"]
    assert "vượt 0.1500" in str(failures[0])


def test_an_unmeasured_metric_fails(bounds):
    failures = check(_report(fact_accuracy=None)["metrics"]["overall"], bounds)
    assert [(f.bound.metric, f.actual) for f in failures] == [("fact_accuracy", None)]
    assert "không đo được" in str(failures[0])


def test_non_numeric_threshold_is_a_config_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[minimum]\n"hit@5" = "cao"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_thresholds(path)


def test_a_bound_outside_the_tables_is_a_config_error(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('"hit@1" = 0.9\n[minimum]\nfact_accuracy = 0.5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="hit@1"):
        load_thresholds(path)


def test_checked_in_thresholds_name_known_metrics_on_the_right_side():
    bounds = load_thresholds(DEFAULT_THRESHOLDS)
    assert {b.metric for b in bounds} <= set(ALL_METRICS)
    assert {b.metric for b in bounds} >= {"hit@1", "hit@5", "mrr@10", "fact_accuracy", "citation_support"}
    for b in bounds:
        # A floor on a lower-is-better metric (or a ceiling on the others) would never bite.
        assert (b.kind == "maximum") == (b.metric in LOWER_IS_BETTER), b
        if b.kind == "minimum":
            assert 0 < b.value <= 1, b
