"""The same indexing code against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import build_index
from index.vectors import model_id
from index.store import Store

pytestmark = pytest.mark.server

TEXT = """NGHỊ QUYẾT

I- MỤC TIÊU

Đến năm 2025, tỷ trọng công nghiệp trong GRDP của tỉnh đạt 13 - 14%.

II- GIẢI PHÁP

Đầu tư hạ tầng các cụm công nghiệp Hồng Phong và Đồng Bành.
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chroma_bin() -> str:
    found = Path(sys.executable).with_name("chroma")
    return str(found) if found.exists() else shutil.which("chroma")


@pytest.fixture
def chroma_server(tmp_path):
    port = _free_port()
    log = open(tmp_path / "chroma.log", "wb")
    proc = subprocess.Popen(
        [_chroma_bin(), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    import httpx

    deadline = time.time() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError((tmp_path / "chroma.log").read_text(errors="replace"))
        time.sleep(0.3)
    yield f"http://127.0.0.1:{port}"
    os.killpg(proc.pid, signal.SIGTERM)  # stopped by its PID (and its process group)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def test_index_builds_and_updates_on_a_chroma_server(make_corpus, embedder, chroma_server):
    settings = make_corpus({"nq.txt": TEXT}).with_(chroma_url=chroma_server)
    store = Store(settings)
    assert type(store.client._server).__name__ == "FastAPI"  # the HTTP client, not the embedded one

    first = build_index(settings, embedder=embedder)
    assert first.changed and first.embedded == first.chunks > 0
    second = build_index(settings, embedder=embedder)
    assert not second.changed and second.embedded == 0

    build = Store(settings).served(model_id(embedder))
    hit = build.chunks.query(query_embeddings=[embedder.get_query_embedding("cụm công nghiệp Đồng Bành")], n_results=1)
    assert "Đồng Bành" in hit["documents"][0][0]
    doc = build.docs.get(ids=["nq"], include=["documents"])["documents"][0]
    meta = hit["metadatas"][0][0]
    assert doc[meta["start"]:meta["end"]] == hit["documents"][0][0]
    # Nothing was written to the local data dir's Chroma: the server holds the index.
    assert not (settings.data_dir / "chroma").exists()
