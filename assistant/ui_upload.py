"""Adding documents from the chat: save the upload into the corpus, re-index in the background.

The build runs in its own thread while the chat keeps answering from the served index;
build_index writes the new collections aside and switches atomically, after which
`on_done` lets the chat switch over (Retriever.refresh).
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from index.errors import AssistantError, UnreadableDocument
from index.loading import MAX_BINARY_BYTES, MAX_TEXT_BYTES, SUPPORTED
from index.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateStatus:
    """What the upload tab shows: state and a Vietnamese message."""

    state: str  # "idle" | "running" | "done" | "failed"
    message: str
    finished_at: float = 0.0


def safe_file_name(name: str) -> str:
    """A file name that stays inside the corpus directory and reads well as a doc_id.

    Keeps letters (Vietnamese included), digits, '-', '_' and '.'; anything else becomes '-'.
    """
    base = Path(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-.") or "tai-lieu"
    return f"{stem[:120]}{suffix}"


def save_upload(source: Path, original_name: str, corpus_dir: Path) -> Path:
    """Copy an uploaded file into the corpus directory under a safe, unused name.

    Args:
        source: the uploaded temporary file.
        original_name: the name the user's file had.
        corpus_dir: the corpus directory.

    Raises:
        UnreadableDocument: unsupported format or a file too large to index.
    """
    name = safe_file_name(original_name)
    suffix = Path(name).suffix
    if suffix not in SUPPORTED:
        allowed = ", ".join(sorted(SUPPORTED))
        raise UnreadableDocument(f"Định dạng {suffix or '(không có)'} không được hỗ trợ; chỉ nhận {allowed}.")
    size = Path(source).stat().st_size
    limit = MAX_TEXT_BYTES if suffix in {".txt", ".md"} else MAX_BINARY_BYTES
    if size > limit:
        raise UnreadableDocument(f"Tệp quá lớn ({size // 1024} kB; tối đa {limit // 1024} kB).")
    if size == 0:
        raise UnreadableDocument("Tệp rỗng.")
    corpus_dir = Path(corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    target = corpus_dir / name
    stem, n = target.stem, 2
    while target.exists():  # never overwrite a document already in the corpus
        target = corpus_dir / f"{stem}-{n}{suffix}"
        n += 1
    tmp = target.with_name(f".{target.name}.part")  # hidden: the indexer ignores it
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    return target


class IndexUpdater:
    """Runs incremental builds one at a time in a background thread."""

    def __init__(self, settings: Settings, on_done: Callable[[], None],
                 build: Callable[..., object] | None = None):
        """
        Args:
            settings: corpus and data locations.
            on_done: called after a successful build (switch the chat to the new index).
            build: the build function (index.build.build_index when None).
        """
        self.settings = settings
        self.on_done = on_done
        self._build = build
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False  # a file arrived during a build: build once more afterwards
        self._status = UpdateStatus("idle", "")

    @property
    def status(self) -> UpdateStatus:
        return self._status

    @property
    def running(self) -> bool:
        return self._status.state == "running"

    def start(self) -> None:
        """Start a build, or schedule one more after the running build."""
        with self._lock:
            if self._thread is not None:
                self._again = True
                return
            self._status = UpdateStatus("running", "Đang lập chỉ mục tài liệu mới…")
            self._thread = threading.Thread(target=self._run, name="index-updater", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> UpdateStatus:
        """Block until the current build (if any) finishes; for tests and scripts."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._status

    def _progress(self, done: int, total: int) -> None:
        self._status = UpdateStatus("running", f"Đang nhúng đoạn văn: {done}/{total}…")

    def _run(self) -> None:
        while True:
            status = self._build_once()
            with self._lock:
                if not self._again:
                    self._status = status
                    self._thread = None  # under the lock: start() sees either us looping or gone
                    return
                self._again = False
                self._status = UpdateStatus("running", "Đang lập chỉ mục tài liệu mới…")

    def _build_once(self) -> UpdateStatus:
        build = self._build
        if build is None:
            from index.build import build_index as build
        try:
            summary = build(self.settings, on_progress=self._progress)
            self.on_done()
        except AssistantError as exc:
            return UpdateStatus("failed", f"Lập chỉ mục thất bại: {exc}", time.time())
        except Exception as exc:  # the chat must keep running whatever the build does
            log.exception("background index build failed")
            return UpdateStatus("failed", f"Lập chỉ mục thất bại ({type(exc).__name__}); chỉ mục cũ vẫn được dùng.",
                                time.time())
        return UpdateStatus("done", _summary_message(summary), time.time())


def _summary_message(summary) -> str:
    parts = [f"Đã cập nhật chỉ mục: {summary.documents} tài liệu, {summary.chunks} đoạn."]
    if summary.added:
        parts.append(f"Thêm: {', '.join(summary.added)}.")
    if summary.updated:
        parts.append(f"Cập nhật: {', '.join(summary.updated)}.")
    for skipped in summary.skipped:
        parts.append(f"Bỏ qua {skipped.path}: {skipped.reason}.")
    parts.append("Trợ lý đã chuyển sang chỉ mục mới.")
    return " ".join(parts)
