"""Durable feedback log: one JSON object per rating, appended and synced before acknowledging."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from assistant.records import Answer

RATINGS = ("up", "down")
# Passages logged per rating: what evals/feedback.py shows a person drafting an eval entry.
LOGGED_PASSAGES = 10
_WRITE_LOCK = threading.Lock()  # one writer at a time: lines never interleave


def history_of(answers: list[Answer]) -> list[dict]:
    """Conversation turns as the eval set writes history: [{"role", "content"}, ...]."""
    history = []
    for a in answers:
        history.append({"role": "user", "content": a.question})
        history.append({"role": "assistant", "content": a.answer})
    return history


def feedback_record(answer: Answer, rating: str, comment: str, history: list[dict],
                    timestamp: str | None = None) -> dict:
    """The JSON object logged for one rating of one answer.

    Args:
        answer: the rated answer.
        rating: "up" or "down".
        comment: optional free text from the user.
        history: the turns before this answer, as passed to Assistant.ask.
        timestamp: ISO time (now when None).
    """
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}")
    return {
        "timestamp": timestamp or time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "rating": rating,
        "comment": (comment or "").strip(),
        "question": answer.question,
        "rewritten_question": answer.rewritten_question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [c.to_json() for c in answer.citations],
        "retrieved_chunk_ids": [h.chunk_id for h in answer.retrieved],
        "retrieved": [
            {"rank": h.rank, "chunk_id": h.chunk_id, "doc_id": h.doc_id, "text": h.text}
            for h in answer.retrieved[:LOGGED_PASSAGES]
        ],
        "history": history,
        "mode": answer.mode,
    }


def append_feedback(path: Path, record: dict) -> None:
    """Append one JSON line and fsync it (and the new file's directory) before returning.

    A crash after this returns loses nothing: the caller acknowledges only afterwards.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _WRITE_LOCK:
        created = not path.exists()
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        if created:  # the directory entry of a new file must reach the disk too
            fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def read_feedback(path: Path) -> list[dict]:
    """Every logged record, in order (for tests and tools)."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
