"""The regression gate: checked-in per-metric bounds on the test split (evals/thresholds.toml).

`[minimum]` holds floors (hit@5, fact_accuracy, ...); `[maximum]` holds ceilings for
metrics where lower is better (unsupported_number_rate, ...). A metric the run could not
measure (None) fails its bound: a gate must not pass because nothing was measured.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from index.errors import ConfigError

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"


@dataclass(frozen=True)
class Bound:
    metric: str
    value: float
    kind: str  # "minimum" | "maximum"


@dataclass(frozen=True)
class GateFailure:
    """One metric outside its bound."""

    bound: Bound
    actual: float | None

    def __str__(self) -> str:
        b = self.bound
        if self.actual is None:
            return f"{b.metric}: không đo được (ngưỡng {b.kind} {b.value:g})"
        if b.kind == "minimum":
            return f"{b.metric} = {self.actual:.4f} < ngưỡng tối thiểu {b.value:.4f} (thiếu {b.value - self.actual:.4f})"
        return f"{b.metric} = {self.actual:.4f} > ngưỡng tối đa {b.value:.4f} (vượt {self.actual - b.value:.4f})"


def load_thresholds(path: Path | str = DEFAULT_THRESHOLDS) -> list[Bound]:
    """The bounds of a thresholds file.

    Raises:
        ConfigError: unreadable file, a key outside [minimum]/[maximum], or a non-numeric bound.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Không đọc được tệp ngưỡng {path}: {exc}") from exc
    stray = sorted(set(data) - {"minimum", "maximum"})
    if stray:
        # A bound written above the [minimum] header lands at the top level, where it would be
        # silently ignored and the gate would pass without checking it.
        raise ConfigError(f"{path}: khóa nằm ngoài [minimum]/[maximum]: {', '.join(stray)}")
    bounds = []
    for kind in ("minimum", "maximum"):
        for metric, value in (data.get(kind) or {}).items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{path}: ngưỡng [{kind}] {metric} phải là số")
            bounds.append(Bound(metric, float(value), kind))
    return bounds


def check(overall: dict, bounds: list[Bound]) -> list[GateFailure]:
    """Every bound the overall metrics break.

    Args:
        overall: report.json's metrics["overall"].
        bounds: from load_thresholds.
    """
    failures = []
    for bound in bounds:
        actual = overall.get(bound.metric)
        if actual is None:
            failures.append(GateFailure(bound, None))
        elif bound.kind == "minimum" and actual < bound.value:
            failures.append(GateFailure(bound, float(actual)))
        elif bound.kind == "maximum" and actual > bound.value:
            failures.append(GateFailure(bound, float(actual)))
    return failures
