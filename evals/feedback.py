"""Thumbs-down feedback from the chat turned into draft eval entries for a person to complete.

The chat appends one JSON object per rating to settings.feedback_file, with at least
timestamp, rating ("up" | "down"), comment, question, answer, citations, and optionally
retrieved and history. A draft carries the question, its history and what was retrieved;
gold_quotes, answer_facts and answerable are left for a person (`"draft": true` until then:
the dataset reader skips drafts).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from evals.dataset import Problem, json_lines

TOP_PASSAGES = 5  # what a person needs to see to find the right quote, or see it is missing


@dataclass(frozen=True)
class Drafts:
    entries: list[dict]
    problems: list[Problem]  # malformed lines, skipped
    thumbs_up: int  # ratings that were not drafted
    duplicates: int  # thumbs-down of a question already drafted


def _passages(record: dict) -> list[dict]:
    """Top passages the chat showed: `retrieved` when logged, else the cited passages."""
    out = []
    retrieved = record.get("retrieved")
    if isinstance(retrieved, list) and retrieved:
        for i, hit in enumerate(retrieved[:TOP_PASSAGES], start=1):
            if isinstance(hit, dict):
                out.append({"rank": hit.get("rank", i), "chunk_id": hit.get("chunk_id", ""),
                            "doc_id": hit.get("doc_id", ""), "text": hit.get("text", "")})
        return out
    for i, cit in enumerate(record.get("citations") or [], start=1):
        if isinstance(cit, dict):
            out.append({"rank": i, "chunk_id": cit.get("chunk_id", ""), "doc_id": cit.get("doc_id", ""),
                        "text": cit.get("passage") or cit.get("text") or cit.get("quote", "")})
    return out[:TOP_PASSAGES]


def _history(record: dict) -> list[dict]:
    history = record.get("history")
    if not isinstance(history, list):
        return []
    return [
        {"role": t["role"], "content": t["content"]}
        for t in history
        if isinstance(t, dict) and t.get("role") in {"user", "assistant"} and isinstance(t.get("content"), str)
    ]


def draft_id(question: str, history: list[dict]) -> str:
    """A stable id: the same question in the same conversation drafts once."""
    key = json.dumps([question.strip(), history], ensure_ascii=False, sort_keys=True)
    return "fb-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def draft_entry(record: dict) -> dict:
    """The draft eval entry for one thumbs-down record."""
    question = str(record.get("question", "")).strip()
    history = _history(record)
    return {
        "id": draft_id(question, history),
        "question": question,
        "gold_quotes": [],
        "answer_facts": [],
        "answerable": None,
        "kind": "feedback",
        "history": history,
        "draft": True,
        "comment": str(record.get("comment") or ""),
        "answer": str(record.get("answer") or ""),
        "rewritten_question": record.get("rewritten_question"),
        "retrieved": _passages(record),
        "timestamp": record.get("timestamp", ""),
    }


def drafts_from_lines(lines: Iterable[str]) -> Drafts:
    """Draft entries for every thumbs-down record with a question, deduplicated by id."""
    entries: dict[str, dict] = {}
    problems: list[Problem] = []
    up = duplicates = 0
    for number, record in json_lines(lines, problems):
        if not isinstance(record, dict) or not str(record.get("question", "")).strip():
            problems.append(Problem(number, "thiếu 'question'; bỏ qua"))
            continue
        if record.get("rating") != "down":
            up += 1
            continue
        entry = draft_entry(record)
        if entry["id"] in entries:
            duplicates += 1
            earlier = entries[entry["id"]]
            if entry["comment"] and entry["comment"] not in earlier["comment"]:
                earlier["comment"] = " | ".join(c for c in (earlier["comment"], entry["comment"]) if c)
            continue
        entries[entry["id"]] = entry
    return Drafts(list(entries.values()), problems, up, duplicates)


def drafts_from_file(path: Path | str) -> Drafts:
    """Read a feedback file (see drafts_from_lines).

    Raises:
        FileNotFoundError: no such file.
    """
    with Path(path).open(encoding="utf-8") as handle:
        return drafts_from_lines(handle)


def to_jsonl(entries: list[dict]) -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
