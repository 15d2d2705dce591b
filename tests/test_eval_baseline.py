"""The llama-index default baseline over a tiny corpus: nodes map back to Hits with offsets."""

from __future__ import annotations

from evals.baselines import LlamaIndexDefault
from evals.configs import Resources

CAO_BANG = "Tỉnh Cao Bằng phát triển chăn nuôi bò. " * 3 + "Đàn bò đạt 120.000 con vào năm 2025."
HA_NAM = "Hà Nam xây dựng khu công nghiệp Đồng Văn. " * 3 + "Khu công nghiệp có diện tích 300 ha."


def test_baseline_hits_carry_document_offsets(make_corpus, embedder):
    from index.build import build_index

    settings = make_corpus({"cao-bang.txt": CAO_BANG, "ha-nam.txt": HA_NAM})
    build_index(settings, embedder=embedder)
    res = Resources(settings, embedder=embedder)
    baseline = LlamaIndexDefault(settings, embedder, res.documents())
    # Both documents are far below 1024 tokens: one node each, the whole text.
    assert sorted(baseline.passages()) == sorted([CAO_BANG, HA_NAM])
    hits = baseline.search("Khu công nghiệp Đồng Văn rộng bao nhiêu ha?", k=2)
    assert [h.doc_id for h in hits] == ["ha-nam", "cao-bang"]
    assert [h.rank for h in hits] == [1, 2] and hits[0].score > hits[1].score
    texts = dict((d, t) for d, t, _ in res.documents())
    for hit in hits:
        assert texts[hit.doc_id][hit.start:hit.end] == hit.text
        assert hit.chunk_id == f"llamaindex:{hit.doc_id}:{hit.ordinal}"
