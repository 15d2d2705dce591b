"""Chroma storage: one collection of chunks and one of documents per build.

A registry collection's metadata names the served build for each embedding model. A build
writes new collections aside and switches the registry entry only when complete, so an
interrupted build leaves the previous index serving. The previous build is kept until the
next one (a chat that still reads it keeps working), older ones are dropped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from index.errors import ConfigError
from index.settings import Settings

REGISTRY = "assistant-registry"
# Chroma insists on a vector per record; documents carry none, so they get this placeholder.
_DOC_VECTOR = [0.0]


def open_client(settings: Settings):
    """Embedded PersistentClient in data_dir, or HttpClient when chroma_url is set."""
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}")
        if not url.hostname:
            raise ConfigError(f"ASSISTANT_CHROMA_URL={settings.chroma_url!r} không phải URL hợp lệ")
        return chromadb.HttpClient(
            host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https", settings=chroma_settings
        )
    path = Path(settings.data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


@dataclass(frozen=True)
class Build:
    """The served collections of one embedding model."""

    chunks: object  # chromadb Collection
    docs: object
    name: str
    built_at: str


class Store:
    def __init__(self, settings: Settings, client=None):
        self.settings = settings
        self.client = client or open_client(settings)

    def _registry(self):
        return self.client.get_or_create_collection(REGISTRY, embedding_function=None)

    def active_name(self, model: str) -> str | None:
        meta = self._registry().metadata or {}
        return meta.get(f"active:{model}")

    def served(self, model: str) -> Build | None:
        """The served build for `model`, or None when nothing was built yet."""
        name = self.active_name(model)
        if not name:
            return None
        try:
            chunks = self.client.get_collection(name, embedding_function=None)
            docs = self.client.get_collection(f"{name}-docs", embedding_function=None)
        except Exception:  # the registry names a collection that is gone
            return None
        return Build(chunks, docs, name, str((chunks.metadata or {}).get("built_at", "")))

    def create_build(self, model: str) -> Build:
        stamp = time.strftime("%Y%m%d%H%M%S") + f"{time.time_ns() % 1_000_000:06d}"
        name = f"chunks-{model}-{stamp}"
        built_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        meta = {"model": model, "built_at": built_at, "state": "building"}
        chunks = self.client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}, metadata=meta
        )
        docs = self.client.create_collection(f"{name}-docs", embedding_function=None, metadata=meta)
        return Build(chunks, docs, name, built_at)

    def activate(self, model: str, build: Build) -> None:
        """Make `build` the served one (a single metadata write), then drop old builds."""
        meta = {"model": model, "built_at": build.built_at, "state": "complete"}
        build.chunks.modify(metadata=meta)
        registry = self._registry()
        previous = self.active_name(model)
        new_meta = dict(registry.metadata or {})
        new_meta[f"active:{model}"] = build.name
        if previous:
            new_meta[f"previous:{model}"] = previous
        registry.modify(metadata=new_meta)
        keep = {build.name, previous}
        for col in self.client.list_collections():
            name = col.name if hasattr(col, "name") else str(col)
            base = name[: -len("-docs")] if name.endswith("-docs") else name
            if base.startswith(f"chunks-{model}-") and base not in keep:
                self.drop(base)

    def drop(self, name: str) -> None:
        for n in (name, f"{name}-docs"):
            try:
                self.client.delete_collection(n)
            except Exception:  # already gone: nothing to drop
                pass

    @staticmethod
    def add_docs(build: Build, ids, texts, metadatas) -> None:
        if ids:
            build.docs.add(ids=list(ids), documents=list(texts), metadatas=list(metadatas),
                           embeddings=[_DOC_VECTOR] * len(ids))
