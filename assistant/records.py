"""Typed records of the query side: what retrieval returns and what an answer is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Filters:
    """Narrowing of a search; values come from the manifest. None means no restriction."""

    province: str | None = None
    doc_id: str | None = None
    kind: str | None = None  # "resolution" | "news"
    date_from: str | None = None  # ISO yyyy-mm-dd, inclusive
    date_to: str | None = None

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


@dataclass(frozen=True)
class Hit:
    """One retrieved passage. `text == document_text[start:end]`."""

    chunk_id: str
    doc_id: str
    text: str
    section: str
    start: int
    end: int
    score: float  # fused score used for ranking (higher is better)
    rank: int  # 1-based
    dense_score: float | None = None  # cosine similarity, None when the signal did not see it
    lexical_score: float | None = None  # BM25 score, None when the signal did not see it
    ordinal: int = 0
    title: str = ""
    number: str = ""
    issuer: str = ""
    date: str = ""
    province: str = ""
    kind: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: the exact quote and where it stands in its document."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    number: str
    issuer: str
    date: str
    kind: str
    section: str
    quote: str  # verbatim: document_text[start:end] == quote
    start: int
    end: int
    passage: str  # the whole chunk the quote comes from
    province: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What `Assistant.ask` returns; `to_json()` is the contract of DESIGN.md."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    # The standalone question actually searched (differs from `question` for follow-ups).
    rewritten_question: str | None = None
    notices: list[str] = field(default_factory=list)  # e.g. "câu hỏi đã được cắt ngắn"
    mode: str = "extractive"  # "extractive" | "generative"

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [h.to_json() for h in self.retrieved],
            "timings_ms": self.timings_ms,
            "rewritten_question": self.rewritten_question,
            "notices": self.notices,
            "mode": self.mode,
        }
