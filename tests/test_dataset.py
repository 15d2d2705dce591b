"""Reading eval sets: malformed lines, unknown fields, splits, quote checks; the bundled set."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from evals.dataset import DEFAULT_DATASET, load_dataset, missing_quotes, read_items
from index.loading import corpus_files, load_document, read_manifest
from index.normalize import fold_for_match
from index.settings import PROJECT_ROOT


def _line(**fields) -> str:
    base = {"id": "q", "question": "Câu hỏi?", "gold_quotes": ["a"], "answer_facts": ["a"],
            "answerable": True, "kind": "factoid", "history": []}
    return json.dumps({**base, **fields}, ensure_ascii=False)


def test_malformed_lines_are_reported_with_their_numbers_and_skipped():
    lines = [
        _line(id="ok1"),
        "{not json",
        _line(id="noq", question=""),
        "",
        _line(id="ok2", reviewer="Lan", extra_score=3),
        _line(id="ok1"),  # repeated id
        _line(id="bad-history", history=[{"role": "system", "content": "x"}]),
        _line(id="bad-quotes", gold_quotes="một chuỗi"),
        "[1, 2]",
        _line(id="fb-1", draft=True, answerable=None),
    ]
    items, problems = read_items(lines)
    assert [i.id for i in items] == ["ok1", "ok2"]
    assert [p.line for p in problems] == [2, 3, 6, 7, 8, 9, 10]
    assert "JSON" in problems[0].message and "question" in problems[1].message
    assert "dòng 1" in problems[2].message  # the duplicate names the first occurrence
    assert str(problems[0]).startswith("dòng 2")


def test_unknown_fields_are_kept_and_ignored():
    (item,), _ = read_items([_line(id="x", reviewer="Lan", history=[{"role": "user", "content": "Trước"}])])
    assert item.extra == {"reviewer": "Lan"}
    assert item.history_json() == [{"role": "user", "content": "Trước"}]
    assert item.line == 1


def test_defaults_for_files_written_elsewhere():
    (minimal, no_gold), problems = read_items([
        json.dumps({"id": 7, "question": "Q?", "gold_quotes": ["g"]}),
        json.dumps({"id": "n", "question": "Q2?"}),
    ])
    assert problems == []
    assert (minimal.id, minimal.answerable, minimal.kind, minimal.split) == ("7", True, "other", None)
    assert no_gold.answerable is False


def test_a_file_without_splits_runs_whole(tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text("\n".join(_line(id=f"q{i}") for i in range(3)) + "\n", encoding="utf-8")
    dataset = load_dataset(path, split="test")
    assert (len(dataset.items), dataset.has_splits, dataset.total) == (3, False, 3)


def test_split_selection(tmp_path):
    path = tmp_path / "split.jsonl"
    path.write_text("\n".join([_line(id="a", split="dev"), _line(id="b", split="test"), _line(id="c")]),
                    encoding="utf-8")
    assert [i.id for i in load_dataset(path, "test").items] == ["b"]
    assert [i.id for i in load_dataset(path, "dev").items] == ["a"]
    assert [i.id for i in load_dataset(path, "all").items] == ["a", "b", "c"]


def test_missing_quotes_are_warnings_after_folding():
    items, _ = read_items([
        _line(id="tone", gold_quotes=["công nghiệp hóa"]),  # document spells "hoá"
        _line(id="absent", gold_quotes=["nông nghiệp"]),
        _line(id="across", gold_quotes=["hiện đại hoá. Thủy điện"]),
    ])
    documents = ["Công nghiệp hoá, hiện đại hoá. Thuỷ điện lớn."]
    passages = ["Công nghiệp hoá, hiện đại hoá.", "Thuỷ điện lớn."]
    warnings = missing_quotes(items, documents, passages)
    assert [(w.item_id, w.where) for w in warnings] == [("absent", "corpus"), ("across", "passage")]
    assert "không có trong kho" in str(warnings[0])


# --------------------------------------------------------------------------- the bundled set
def _corpus_texts() -> list[str]:
    corpus = PROJECT_ROOT / "corpus"
    manifest = read_manifest(corpus / "manifest.toml")
    docs = [load_document(p, corpus, manifest.get(p.name)) for p in corpus_files(corpus)]
    return [fold_for_match(d.text) for d in docs]


def test_bundled_set_parses_with_unique_ids_and_both_splits():
    dataset = load_dataset(DEFAULT_DATASET, split="all")
    assert dataset.problems == ()
    ids = [i.id for i in dataset.items]
    assert len(ids) == len(set(ids)) >= 150
    assert Counter(i.split for i in dataset.items).keys() == {"dev", "test"}
    assert sum(1 for i in dataset.items if not i.answerable) >= 20
    for item in dataset.items:
        assert item.answerable == bool(item.gold_quotes), item.id
        assert all(i.role in {"user", "assistant"} for i in item.history), item.id


def test_every_bundled_gold_quote_and_fact_is_in_the_corpus():
    texts = _corpus_texts()
    dataset = load_dataset(DEFAULT_DATASET, split="all")
    missing = [
        (item.id, q) for item in dataset.items for q in item.gold_quotes
        if not any(fold_for_match(q) in t for t in texts)
    ]
    assert missing == []
    outside = [
        (item.id, f) for item in dataset.items for f in item.answer_facts
        if not any(fold_for_match(f) in fold_for_match(q) for q in item.gold_quotes)
    ]
    assert outside == []


@pytest.mark.parametrize("name", ["probes.jsonl", "holdout.jsonl", "holdout2.jsonl", "holdout3.jsonl", "holdout4.jsonl", "holdout5.jsonl", "holdout6.jsonl", "holdout7.jsonl", "holdout8.jsonl", "paraphrase.jsonl", "english.jsonl", "followups.jsonl",
                                  "unanswerable2.jsonl", "unanswerable3.jsonl"])
def test_engineer_written_sets_parse_and_quote_the_corpus(name):
    dataset = load_dataset(DEFAULT_DATASET.parent / name, split="all")
    assert dataset.problems == ()
    ids = [i.id for i in dataset.items]
    assert len(ids) == len(set(ids)) >= 30
    texts = _corpus_texts()
    for item in dataset.items:
        assert item.answerable == bool(item.gold_quotes), item.id
        assert all(any(fold_for_match(q) in t for t in texts) for q in item.gold_quotes), item.id
        assert all(any(fold_for_match(f) in fold_for_match(q) for q in item.gold_quotes) for f in item.answer_facts), item.id
