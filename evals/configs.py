"""The configurations an eval can run, over shared resources (one embedder, one Chroma client).

- `system`: what the chat serves: `Retriever(settings)` as configured and `Assistant.ask`
  with the conversation history. Retrieval is scored on `answer.retrieved`, i.e. on what
  the assistant actually searched (the rewritten question, for follow-ups).
- `hybrid`, `dense`, `lexical`, `hybrid-rrf`: the same Assistant over a Retriever in that
  mode, so that both retrieval and answer metrics show what the retrieval change does.
- `llamaindex-default`: retrieval only (it has no answerer of this project's kind); a
  follow-up searches the standalone question the assistant would have searched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

from assistant.records import Answer, Hit
from evals.dataset import EvalItem
from evals.metrics import K
from index.errors import AssistantError
from index.settings import Settings


@dataclass(frozen=True)
class Outcome:
    """What one configuration did with one question."""

    retrieved: tuple[Hit, ...]
    answer: Answer | None  # None: retrieval-only configuration, or the question failed
    latency_ms: float
    searched: str  # the query actually searched
    error: str = ""  # non-empty when the question raised


class Configuration(Protocol):
    name: str
    answers: bool

    def describe(self) -> dict: ...

    def run(self, item: EvalItem) -> Outcome: ...

    def passages(self) -> list[str]: ...


class Resources:
    """What every configuration shares: settings, one embedder, one Chroma client, the texts."""

    def __init__(self, settings: Settings, embedder=None, store=None):
        from index.embedding import make_embedder
        from index.store import Store

        self.settings = settings
        self.embedder = embedder or make_embedder(settings)
        self.store = store or Store(settings)
        self._chunks: list[str] | None = None
        self._documents: list[tuple[str, str, dict]] | None = None

    def _build(self):
        from index.vectors import model_id
        from index.errors import IndexNotBuilt

        build = self.store.served(model_id(self.embedder))
        if build is None:
            raise IndexNotBuilt("Chưa có chỉ mục. Hãy chạy: assistant index")
        return build

    def chunk_texts(self) -> list[str]:
        """Every indexed passage's text (for the ideal ranking of nDCG and quote checks)."""
        if self._chunks is None:
            self._chunks = list(self._build().chunks.get(include=["documents"])["documents"])
        return self._chunks

    def documents(self) -> list[tuple[str, str, dict]]:
        """(doc_id, normalized full text, metadata) of every indexed document."""
        if self._documents is None:
            got = self._build().docs.get(include=["documents", "metadatas"])
            self._documents = sorted(
                (i, t, dict(m or {})) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])
            )
        return self._documents


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def standalone_question(item: EvalItem) -> str:
    """The question a retrieval-only configuration searches: a follow-up rewritten into a
    standalone question the way the assistant rewrites it before searching."""
    if not item.history:
        return item.question
    from assistant.followup import rewrite_followup

    return rewrite_followup(item.question, item.history_json()).question


@dataclass
class AnsweringConfig:
    """A Retriever (in some mode) and the Assistant over it, asked with the history."""

    name: str
    retriever: object
    assistant: object
    description: str
    answers: bool = True
    chunk_texts: Callable[[], list[str]] = field(default=list)

    def describe(self) -> dict:
        fusion = getattr(self.retriever, "fusion", None)
        return {
            "name": self.name, "description": self.description, "answers": True,
            "retrieval_mode": getattr(self.retriever, "mode", ""),
            "fusion": repr(fusion) if fusion is not None else None,
            "answer_mode": "generative" if getattr(self.assistant, "llm", None) else "extractive",
        }

    def warm_up(self) -> None:
        """Compute what the assistant caches on first use, so that latency is measured warm."""
        warm = getattr(self.assistant, "warm_up", None)
        if callable(warm):
            warm()

    def run(self, item: EvalItem) -> Outcome:
        started = time.perf_counter()
        try:
            answer = self.assistant.ask(item.question, history=item.history_json())
        except AssistantError as exc:  # e.g. a question the assistant refuses: no answer given
            return Outcome((), None, _ms(started), item.question, f"{type(exc).__name__}: {exc}")
        latency = _ms(started)
        searched = answer.rewritten_question or item.question
        retrieved = tuple(h for h in answer.retrieved if h.rank > 0)  # neighbours carry rank 0
        return Outcome(retrieved, answer, latency, searched)

    def passages(self) -> list[str]:
        return self.chunk_texts()


@dataclass
class RetrievalOnlyConfig:
    """A searcher with `.search(query, k)`; no answers."""

    name: str
    searcher: object
    description: str
    answers: bool = False
    all_passages: Callable[[], list[str]] = field(default=list)

    def describe(self) -> dict:
        return {"name": self.name, "description": self.description, "answers": False}

    def run(self, item: EvalItem) -> Outcome:
        query = standalone_question(item)
        started = time.perf_counter()
        try:
            hits = self.searcher.search(query, k=K)
        except AssistantError as exc:
            return Outcome((), None, _ms(started), query, f"{type(exc).__name__}: {exc}")
        return Outcome(tuple(hits), None, _ms(started), query)

    def passages(self) -> list[str]:
        return self.all_passages()


DESCRIPTIONS = {
    "system": "the system as configured: Retriever(settings) + Assistant.ask with history (what the chat serves)",
    "hybrid": "hybrid retrieval (dense + BM25, tuned fusion) + Assistant",
    "dense": "dense retrieval only (E5 vectors in Chroma) + Assistant",
    "lexical": "lexical retrieval only (BM25, Vietnamese analyzer) + Assistant",
    "hybrid-rrf": "hybrid retrieval fused by reciprocal rank (k=60) + Assistant",
    "llamaindex-default": "llama-index SentenceSplitter(1024) + VectorStoreIndex, dense only, same embedder; retrieval only",
}
CONFIG_NAMES = tuple(DESCRIPTIONS)


def _assistant(settings: Settings, retriever):
    from assistant.answer import Assistant

    return Assistant(settings, retriever=retriever)


def make_config(name: str, res: Resources) -> Configuration:
    """Prepare one named configuration over the shared resources.

    Args:
        name: one of CONFIG_NAMES.
        res: shared settings, embedder, store.

    Raises:
        ValueError: unknown name.
    """
    from assistant.retrieval import FusionConfig, Retriever

    if name not in DESCRIPTIONS:
        raise ValueError(f"unknown configuration {name!r}; known: {', '.join(CONFIG_NAMES)}")
    if name == "llamaindex-default":
        from evals.baselines import LlamaIndexDefault

        baseline = LlamaIndexDefault(res.settings, res.embedder, res.documents())
        return RetrievalOnlyConfig(name, baseline, DESCRIPTIONS[name], all_passages=baseline.passages)
    kwargs: dict = {"embedder": res.embedder, "store": res.store}
    if name == "hybrid-rrf":
        kwargs.update(mode="hybrid", fusion=FusionConfig(method="rrf"))
    elif name != "system":
        kwargs["mode"] = name
    retriever = Retriever(res.settings, **kwargs)
    return AnsweringConfig(name, retriever, _assistant(res.settings, retriever), DESCRIPTIONS[name],
                           chunk_texts=res.chunk_texts)
