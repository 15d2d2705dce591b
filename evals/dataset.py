"""Reading an eval set: JSONL, one question per line (contract in DESIGN.md).

Any file in the format runs, including files written elsewhere: unknown fields are kept and
ignored, a malformed line is reported with its line number and skipped, and a file whose
lines carry no `split` is one split that runs whole whatever split was asked for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from index.normalize import fold_for_match
from index.settings import PROJECT_ROOT

DEFAULT_DATASET = PROJECT_ROOT / "evals" / "data" / "questions.jsonl"
SPLITS = ("dev", "test", "all")
_KNOWN = {"id", "question", "gold_quotes", "answer_facts", "answerable", "kind", "history", "split"}
_ROLES = {"user", "assistant"}


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a conversation."""

    role: str  # "user" | "assistant"
    content: str

    def to_json(self) -> dict:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class EvalItem:
    """One question of the eval set."""

    id: str
    question: str
    gold_quotes: tuple[str, ...] = ()
    answer_facts: tuple[str, ...] = ()
    answerable: bool = True
    kind: str = "other"
    history: tuple[Turn, ...] = ()
    split: str | None = None
    line: int = 0  # 1-based line in the file it came from
    extra: Mapping[str, object] = field(default_factory=dict)  # unknown fields, kept as read

    def history_json(self) -> list[dict]:
        return [t.to_json() for t in self.history]


@dataclass(frozen=True)
class Problem:
    """Something wrong with one line of a dataset; the line was skipped or is only warned about."""

    line: int  # 0 when the problem is not tied to one line
    message: str  # Vietnamese, shown to the user
    item_id: str = ""

    def __str__(self) -> str:
        where = f"dòng {self.line}" if self.line else "tập dữ liệu"
        who = f" ({self.item_id})" if self.item_id else ""
        return f"{where}{who}: {self.message}"


@dataclass(frozen=True)
class Dataset:
    """The questions selected for a run, and what was reported while reading them."""

    path: Path
    items: tuple[EvalItem, ...]
    problems: tuple[Problem, ...]  # malformed lines (skipped)
    split: str  # the split asked for
    has_splits: bool  # False: the file carries no split and ran whole
    total: int  # questions read (all splits)


class _Malformed(ValueError):
    pass


def _strings(value, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Malformed(f"'{name}' phải là danh sách chuỗi")
    return tuple(v for v in value if v.strip())


def _history(value) -> tuple[Turn, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Malformed("'history' phải là danh sách lượt hội thoại")
    turns = []
    for turn in value:
        if not isinstance(turn, dict) or turn.get("role") not in _ROLES or not isinstance(turn.get("content"), str):
            raise _Malformed("mỗi lượt trong 'history' phải có 'role' (user|assistant) và 'content' (chuỗi)")
        turns.append(Turn(turn["role"], turn["content"]))
    return tuple(turns)


def parse_item(obj: object, line: int = 0) -> EvalItem:
    """One dataset entry from its decoded JSON.

    Args:
        obj: the decoded JSON value of one line.
        line: its 1-based line number (kept on the item for messages).

    Raises:
        ValueError: the entry is not in the format (message in Vietnamese).
    """
    if not isinstance(obj, dict):
        raise _Malformed("mỗi dòng phải là một đối tượng JSON")
    qid, question = obj.get("id"), obj.get("question")
    if not isinstance(qid, (str, int)) or str(qid).strip() == "":
        raise _Malformed("thiếu 'id'")
    if not isinstance(question, str) or not question.strip():
        raise _Malformed("thiếu 'question'")
    gold = _strings(obj.get("gold_quotes"), "gold_quotes")
    facts = _strings(obj.get("answer_facts"), "answer_facts")
    answerable = obj.get("answerable")
    if answerable is None:
        # Files written elsewhere may omit it: an entry with nothing to find is unanswerable.
        answerable = bool(gold or facts)
    if not isinstance(answerable, bool):
        raise _Malformed("'answerable' phải là true hoặc false")
    split = obj.get("split")
    if split is not None and not isinstance(split, str):
        raise _Malformed("'split' phải là chuỗi")
    kind = obj.get("kind") or "other"
    return EvalItem(
        id=str(qid).strip(),
        question=question,
        gold_quotes=gold,
        answer_facts=facts,
        answerable=answerable,
        kind=str(kind),
        history=_history(obj.get("history")),
        split=split or None,
        line=line,
        extra={k: v for k, v in obj.items() if k not in _KNOWN},
    )


def json_lines(lines: Iterable[str], problems: list[Problem]) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) of each non-blank JSONL line; malformed lines go to `problems`."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(number, f"JSON không hợp lệ ({exc.msg}, cột {exc.colno}); bỏ qua"))


def read_items(lines: Iterable[str]) -> tuple[list[EvalItem], list[Problem]]:
    """Every well-formed entry of a JSONL text, and a Problem for each line skipped.

    Blank lines are ignored; draft entries (from `--from-feedback`, not yet completed by a
    person) are skipped with a note; a repeated id keeps the first occurrence.
    """
    items: list[EvalItem] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, obj in json_lines(lines, problems):
        try:
            item = parse_item(obj, number)
        except ValueError as exc:
            qid = str(obj.get("id", "")) if isinstance(obj, dict) else ""
            problems.append(Problem(number, f"{exc}; bỏ qua", qid))
            continue
        if item.extra.get("draft") is True:
            problems.append(Problem(number, "mục nháp (draft) chưa được hoàn thiện; bỏ qua", item.id))
            continue
        if item.id in seen:
            problems.append(Problem(number, f"id trùng với dòng {seen[item.id]}; bỏ qua", item.id))
            continue
        seen[item.id] = number
        items.append(item)
    return items, problems


def load_dataset(path: Path | str = DEFAULT_DATASET, split: str = "test") -> Dataset:
    """Read a dataset file and select a split.

    Args:
        path: a JSONL file in the format of DESIGN.md.
        split: "dev", "test" or "all". A file whose lines carry no split runs whole.

    Raises:
        FileNotFoundError: no such file.
        ValueError: unknown split name.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    path = Path(path)
    with path.open(encoding="utf-8-sig") as handle:
        items, problems = read_items(handle)
    has_splits = any(item.split for item in items)
    if split == "all" or not has_splits:
        chosen = items
    else:
        chosen = [item for item in items if item.split == split]
    return Dataset(path, tuple(chosen), tuple(problems), split, has_splits, len(items))


@dataclass(frozen=True)
class QuoteWarning:
    """A gold quote that no indexed text contains."""

    item_id: str
    quote: str
    where: str  # "corpus": in no document; "passage": in a document but in no single passage (or none)

    def __str__(self) -> str:
        short = self.quote if len(self.quote) <= 80 else self.quote[:77] + "..."
        if self.where == "corpus":
            return f"{self.item_id}: trích dẫn chuẩn không có trong kho tài liệu: «{short}»"
        return (f"{self.item_id}: trích dẫn chuẩn có trong tài liệu nhưng không đoạn nào chứa trọn "
                f"(vắt qua hai đoạn hoặc nằm ngoài các đoạn), nên không thể tìm thấy: «{short}»")


def missing_quotes(
    items: Iterable[EvalItem], documents: Iterable[str], passages: Iterable[str] | None = None
) -> list[QuoteWarning]:
    """Gold quotes found in no document (or in no single passage), compared after folding.

    Args:
        items: the questions.
        documents: full texts of the indexed documents.
        passages: texts of the indexed passages (chunks); None skips the passage check.
    """
    folded_docs = [fold_for_match(d) for d in documents]
    folded_passages = None if passages is None else [fold_for_match(p) for p in passages]
    warnings = []
    for item in items:
        for quote in item.gold_quotes:
            q = fold_for_match(quote)
            if not any(q in d for d in folded_docs):
                warnings.append(QuoteWarning(item.id, quote, "corpus"))
            elif folded_passages is not None and not any(q in p for p in folded_passages):
                warnings.append(QuoteWarning(item.id, quote, "passage"))
    return warnings
