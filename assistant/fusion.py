"""Pure functions that fuse ranked lists or scores of several retrieval signals.

No I/O and no retrieval objects: plain sequences in, plain dicts out, so that each function
can be tested on a few numbers and the retriever can swap one for another when tuning.
"""

from __future__ import annotations

import math
from typing import Hashable, Mapping, Sequence


def reciprocal_rank_fusion(rankings: Sequence[Sequence[Hashable]], k: int = 60) -> dict[Hashable, float]:
    """Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): sum of 1 / (k + rank).

    Args:
        rankings: one ranked list of ids per signal, best first (ranks are 1-based).
        k: damping constant; 60 is the value of the paper and of llama-index's fusion retriever.

    Returns:
        id -> fused score (higher is better) for every id in any ranking.
    """
    fused: dict[Hashable, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
    return fused


def min_max(scores: Mapping[Hashable, float]) -> dict[Hashable, float]:
    """Scale scores linearly to [0, 1]; all-equal scores map to 1.0 when positive, else 0.0.

    Args:
        scores: id -> raw score.
    """
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high - low <= 1e-12:
        flat = 1.0 if high > 0 else 0.0
        return {key: flat for key in scores}
    return {key: (value - low) / (high - low) for key, value in scores.items()}


def max_scale(scores: Mapping[Hashable, float]) -> dict[Hashable, float]:
    """Divide by the largest score (for scores that are >= 0, like BM25): keeps 0 at 0.

    Args:
        scores: id -> raw non-negative score.
    """
    if not scores:
        return {}
    high = max(scores.values())
    if high <= 1e-12:
        return {key: 0.0 for key in scores}
    return {key: max(value, 0.0) / high for key, value in scores.items()}


def z_score(scores: Mapping[Hashable, float]) -> dict[Hashable, float]:
    """Standardize scores to mean 0 and unit standard deviation (all-equal scores map to 0).

    Args:
        scores: id -> raw score.
    """
    if not scores:
        return {}
    values = list(scores.values())
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    if std <= 1e-12:
        return {key: 0.0 for key in scores}
    return {key: (value - mean) / std for key, value in scores.items()}


NORMALIZERS = {"minmax": min_max, "max": max_scale, "zscore": z_score}


def weighted_fusion(
    signals: Sequence[Mapping[Hashable, float]],
    weights: Sequence[float],
    normalize: str = "minmax",
    missing: float | None = None,
) -> dict[Hashable, float]:
    """Weighted sum of per-signal scores, each normalized over its own candidates first.

    Args:
        signals: one id -> raw score mapping per signal (e.g. cosine similarity, BM25).
        weights: one weight per signal.
        normalize: "minmax", "max" or "zscore" (see NORMALIZERS).
        missing: normalized value of an id that a signal did not return; None means the
            lowest normalized value that signal gave (0.0 for minmax), i.e. "no better than
            its worst candidate".

    Returns:
        id -> fused score for every id returned by any signal.
    """
    if len(signals) != len(weights):
        raise ValueError("one weight per signal")
    scale = NORMALIZERS[normalize]
    normalized = [scale(s) for s in signals]
    keys = {key for s in signals for key in s}
    fused = dict.fromkeys(keys, 0.0)
    for norm, weight in zip(normalized, weights):
        if not weight:
            continue
        floor = missing if missing is not None else (min(norm.values()) if norm else 0.0)
        for key in keys:
            fused[key] += weight * norm.get(key, floor)
    return fused


def ranked(scores: Mapping[str, float]) -> list[tuple[str, float]]:
    """Ids by decreasing score, ties broken by id so the ranking is deterministic.

    Args:
        scores: id -> score.
    """
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def promote_groups(ranking: Sequence[Hashable], group_of: Mapping[Hashable, str], groups: Sequence[str]) -> list:
    """The ranking with the best item of each listed group moved to the top, in rank order.

    A question that names two provinces ("Lạng Sơn và Tuyên Quang") needs a passage of each;
    when one province's passages outscore the other's, this puts the best of each first.

    Args:
        ranking: ids, best first.
        group_of: id -> its group (e.g. province); ids without a group are never promoted.
        groups: the groups that must each have an item at the top.

    Returns:
        The same ids: one per group (those that have any) first, in their original order, then
        the rest in their original order.
    """
    wanted = set(groups)
    head = []
    for key in ranking:
        group = group_of.get(key)
        if group in wanted:
            head.append(key)
            wanted.discard(group)
            if not wanted:
                break
    chosen = set(head)
    return head + [key for key in ranking if key not in chosen]
