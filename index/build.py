"""`assistant index`: build or update the served index, incrementally and atomically."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable

import numpy as np

from index.chunking import CHUNKER_VERSION, chunk_document, embed_text
from index.vectors import EmbeddingCache, configured_model_name, embed_passages, model_id, model_id_for
from index.errors import BuildFailed, ConfigError, UnreadableDocument
from index.loading import corpus_files, doc_id_for, file_hash, load_document, read_manifest
from index.records import BuildSummary, Chunk, Document, DocumentMeta, Skipped
from index.settings import Settings
from index.store import Build, Store

log = logging.getLogger(__name__)


def chunk_metadata(chunk: Chunk, meta: DocumentMeta, path: str) -> dict:
    """What Chroma stores beside a chunk's text: enough to cite and filter without the corpus."""
    return {
        "doc_id": chunk.doc_id,
        "ordinal": chunk.ordinal,
        "start": chunk.start,
        "end": chunk.end,
        "section": chunk.section,
        "path": path,
        "title": meta.title,
        "number": meta.number,
        "issuer": meta.issuer,
        "date": meta.date,
        "date_int": int(meta.date.replace("-", "") or 0) if meta.date[:4].isdigit() else 0,
        "province": meta.province,
        "kind": meta.kind,
    }


def _signature(settings: Settings, meta: DocumentMeta | None, model: str) -> str:
    """Everything besides the file bytes that changes a document's chunks or vectors."""
    payload = json.dumps(
        [CHUNKER_VERSION, settings.chunk_tokens, settings.chunk_max_tokens, model, asdict(meta) if meta else None],
        ensure_ascii=False, sort_keys=True,
    )
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def _previous_state(build: Build | None) -> dict[str, dict]:
    """doc_id -> stored document metadata (file hash, signature, chunk count, ...)."""
    if build is None:
        return {}
    got = build.docs.get(include=["metadatas"])
    return {i: m for i, m in zip(got["ids"], got["metadatas"])}


def build_index(
    settings: Settings,
    embedder=None,
    store: Store | None = None,
    progress: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Bring the served index in line with the corpus directory.

    Unchanged documents are carried over with their vectors; changed ones are re-chunked and
    embedded (through the cache). The new build is written aside and served only when
    complete; on any failure it is dropped and the previous index keeps serving.

    Args:
        settings: where the corpus and the data live, which model embeds.
        embedder: a BaseEmbedding to use instead of the configured one (tests, benchmarks).
        store: an open Store (its client) to reuse.
        progress: draw a progress bar on stderr.
        on_progress: called with (done, total) chunks while embedding.
    """
    started = time.perf_counter()
    summary = BuildSummary()
    # The model is loaded (and llama-index imported) only when something must be embedded.
    model = model_id(embedder) if embedder is not None else model_id_for(configured_model_name(settings))
    store = store or Store(settings)
    corpus_dir = Path(settings.corpus_dir)
    if not corpus_dir.is_dir():
        raise ConfigError(f"Không tìm thấy thư mục tài liệu {corpus_dir} (đặt ASSISTANT_CORPUS_DIR hoặc --corpus).")
    served = store.served(model)
    previous = _previous_state(served)

    keep, fresh, signatures = _scan_corpus(settings, corpus_dir, model, previous, summary)
    summary.removed = sorted(set(previous) - set(keep) - {d.doc_id for d in fresh})
    summary.documents = len(keep) + len(fresh)
    summary.collection = served.name if served else ""

    if served and not fresh and not summary.removed:
        summary.chunks = sum(int(m.get("chunks", 0)) for m in keep.values())
        summary.cached = summary.chunks
        summary.seconds = time.perf_counter() - started
        return summary

    if embedder is None:
        from index.embedding import make_embedder

        embedder = make_embedder(settings)
    count_tokens = getattr(embedder, "count_tokens", None) or (lambda s: len(s.split()) * 2)
    new_chunks: list[tuple[Chunk, Document]] = []
    for doc in fresh:
        for chunk in chunk_document(doc, count_tokens, settings.chunk_tokens, settings.chunk_max_tokens):
            new_chunks.append((chunk, doc))

    build = store.create_build(model)
    cache = EmbeddingCache(Path(settings.data_dir) / "embeddings.sqlite")
    texts = [embed_text(c, d.meta.title, d.meta.province) for c, d in new_chunks]
    tick, close_bar = _progress_callback(len(texts), progress, on_progress)
    try:
        if keep:
            summary.cached += _copy_documents(served, build, list(keep))
        vectors, embedded, _ = embed_passages(embedder, cache, texts, settings.embed_batch, tick)
        summary.embedded += embedded
        summary.cached += len(texts) - embedded
        _add_chunks(build, new_chunks, vectors)
        Store.add_docs(
            build,
            [d.doc_id for d in fresh],
            [d.text for d in fresh],
            [_doc_metadata(d, signatures[d.doc_id], sum(1 for _, x in new_chunks if x is d)) for d in fresh],
        )
        store.activate(model, build)
    except BaseException as exc:
        store.drop(build.name)
        if isinstance(exc, Exception):
            log.exception("index build failed")
            raise BuildFailed(f"Xây dựng chỉ mục thất bại ({type(exc).__name__}: {exc}); chỉ mục cũ vẫn được giữ.") from exc
        raise
    finally:
        close_bar()
        cache.close()
    summary.changed = True
    summary.collection = build.name
    summary.chunks = build.chunks.count()
    summary.seconds = time.perf_counter() - started
    return summary


def _scan_corpus(
    settings: Settings, corpus_dir: Path, model: str, previous: dict[str, dict], summary: BuildSummary
) -> tuple[dict[str, dict], list[Document], dict[str, tuple[str, str]]]:
    """Sort the corpus files into unchanged (kept with their vectors), fresh (to load and
    embed) and skipped (recorded in `summary` with the reason).

    Returns:
        (doc_id -> stored metadata of unchanged documents, fresh documents,
         doc_id -> (file hash, signature) of the fresh ones)
    """
    manifest = read_manifest(settings.manifest_path)
    keep: dict[str, dict] = {}
    fresh: list[Document] = []
    signatures: dict[str, tuple[str, str]] = {}
    for path in corpus_files(corpus_dir):
        rel = str(path.relative_to(corpus_dir))
        doc_id = doc_id_for(path, corpus_dir)
        meta = manifest.get(rel)
        try:
            fhash = file_hash(path)
        except OSError as exc:
            summary.skipped.append(Skipped(rel, f"không đọc được tệp: {exc.strerror}"))
            continue
        signature = _signature(settings, meta, model)
        old = previous.get(doc_id)
        if old and old.get("file_hash") == fhash and old.get("signature") == signature:
            keep[doc_id] = old
            continue
        try:
            doc = load_document(path, corpus_dir, meta)
        except UnreadableDocument as exc:
            summary.skipped.append(Skipped(rel, str(exc)))
            continue
        fresh.append(doc)
        signatures[doc_id] = (fhash, signature)
        (summary.updated if old else summary.added).append(doc_id)
    return keep, fresh, signatures


def _progress_callback(total: int, bar_wanted: bool, on_progress: Callable[[int, int], None] | None):
    """(callback taking a count of newly embedded texts, function closing the bar)."""
    bar = None
    if bar_wanted:
        from tqdm import tqdm

        bar = tqdm(total=total, desc="Nhúng đoạn văn", unit="đoạn")
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if bar:
            bar.update(n)
        if on_progress:
            on_progress(done, total)

    return tick, (bar.close if bar else (lambda: None))


def _doc_metadata(doc: Document, hashes: tuple[str, str], chunks: int) -> dict:
    return {
        **{k: v for k, v in asdict(doc.meta).items()},
        "path": doc.path,
        "file_hash": hashes[0],
        "signature": hashes[1],
        "content_hash": doc.content_hash,
        "chunks": chunks,
    }


def _add_chunks(build: Build, items: list[tuple[Chunk, Document]], vectors: np.ndarray, batch: int = 256) -> None:
    for i in range(0, len(items), batch):
        part = items[i:i + batch]
        build.chunks.add(
            ids=[c.chunk_id for c, _ in part],
            documents=[c.text for c, _ in part],
            metadatas=[chunk_metadata(c, d.meta, d.path) for c, d in part],
            embeddings=vectors[i:i + batch],
        )


def _copy_documents(source: Build, target: Build, doc_ids: list[str]) -> int:
    """Carry unchanged documents and their chunk vectors over to the new build."""
    got = source.chunks.get(where={"doc_id": {"$in": doc_ids}}, include=["embeddings", "documents", "metadatas"])
    if got["ids"]:
        for i in range(0, len(got["ids"]), 256):
            target.chunks.add(
                ids=got["ids"][i:i + 256],
                documents=got["documents"][i:i + 256],
                metadatas=got["metadatas"][i:i + 256],
                embeddings=got["embeddings"][i:i + 256],
            )
    docs = source.docs.get(ids=doc_ids, include=["documents", "metadatas"])
    Store.add_docs(target, docs["ids"], docs["documents"], docs["metadatas"])
    return len(got["ids"])
