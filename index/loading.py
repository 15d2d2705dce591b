"""Reading corpus files into normalized Documents, or a reason why not."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from index.errors import UnreadableDocument
from index.normalize import normalize_text
from index.records import Document, DocumentMeta

SUPPORTED = {".txt", ".md", ".docx", ".pdf"}
# A resolution is tens of kB of text. A plain-text file over 2 MB (about a thousand pages) is
# almost surely a dump or a mistake, and would take minutes to embed: it is reported instead.
MAX_TEXT_BYTES = 2 * 1024 * 1024
MAX_BINARY_BYTES = 50 * 1024 * 1024  # .docx / .pdf carry images and fonts besides the text
MAX_TEXT_CHARS = 1_000_000  # extracted text of any format
MANIFEST_NAME = "manifest.toml"
IGNORED_NAMES = {MANIFEST_NAME, "README.md", ".gitkeep"}


def corpus_files(corpus_dir: Path) -> list[Path]:
    """All candidate files of the corpus, sorted, excluding the manifest and hidden files."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return []
    return sorted(
        p for p in corpus_dir.rglob("*")
        if p.is_file() and p.name not in IGNORED_NAMES and not p.name.startswith(".")
    )


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """A stable id: the relative path without extension, '/' kept."""
    rel = Path(path).relative_to(corpus_dir)
    return str(rel.with_suffix("")).replace("\\", "/")


def read_manifest(path: Path) -> dict[str, DocumentMeta]:
    """Manifest entries keyed by file name (relative to the corpus directory)."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UnreadableDocument(f"manifest.toml không đọc được: {exc}") from exc
    metas = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            continue
        known = {k: str(v) for k, v in entry.items() if k in DocumentMeta.__dataclass_fields__}
        known.setdefault("title", Path(name).stem)
        metas[name] = DocumentMeta(**known)
    return metas


def decode_bytes(raw: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1258.

    Raises UnreadableDocument rather than returning mojibake.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableDocument("tệp UTF-16 bị hỏng, không giải mã được") from exc
    if b"\x00" in raw[:4096]:
        # UTF-16 without BOM: every other byte of ASCII text is zero.
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text
        raise UnreadableDocument("tệp nhị phân, không phải văn bản")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument("không giải mã được (không phải UTF-8, UTF-16 hay cp1258)") from exc
    if not _looks_like_text(text):
        raise UnreadableDocument("tệp nhị phân hoặc bảng mã không nhận ra")
    return text


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad / len(text) < 0.01


def extract_text(path: Path) -> str:
    """The raw text of a supported file (not yet normalized)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableDocument(
            f"định dạng {suffix or '(không có đuôi)'} không được hỗ trợ (chỉ nhận {', '.join(sorted(SUPPORTED))})"
        )
    size = path.stat().st_size
    if size == 0:
        raise UnreadableDocument("tệp rỗng")
    limit = MAX_TEXT_BYTES if suffix in {".txt", ".md"} else MAX_BINARY_BYTES
    if size > limit:
        raise UnreadableDocument(f"tệp quá lớn ({size / 1e6:.1f} MB; giới hạn {limit / 1e6:.0f} MB cho {suffix})")
    if suffix in {".txt", ".md"}:
        text = decode_bytes(path.read_bytes())
    elif suffix == ".docx":
        text = _docx_text(path)
    else:
        text = _pdf_text(path)
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableDocument(f"văn bản quá dài ({len(text):,} ký tự; giới hạn {MAX_TEXT_CHARS:,})")
    return text


def _docx_text(path: Path) -> str:
    import zipfile

    from docx import Document as DocxDocument

    try:
        doc = DocxDocument(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument("tệp .docx bị hỏng hoặc không phải docx") from exc
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n\n".join(p for p in parts if p.strip())


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, OSError) as exc:
        raise UnreadableDocument(f"tệp PDF hỏng: {exc}") from exc
    return "\n\n".join(p.strip() for p in pages if p.strip())


_TITLE_LINE = re.compile(r"^\W*(.{8,200}?)\W*$")


def derive_meta(path: Path, text: str) -> DocumentMeta:
    """Metadata for a document the manifest does not list: title from its first line."""
    first = next((line.strip(" *#") for line in text.splitlines() if line.strip(" *#")), "")
    match = _TITLE_LINE.match(first)
    title = match.group(1) if match and len(first) <= 200 else Path(path).stem.replace("-", " ")
    kind = "resolution" if re.search(r"\bNGHỊ QUYẾT\b", text[:500]) else "news"
    return DocumentMeta(title=title, kind=kind, source=f"tệp {Path(path).name}, không có trong manifest")


def load_document(path: Path, corpus_dir: Path, meta: DocumentMeta | None) -> Document:
    """Read, decode and normalize one file. Raises UnreadableDocument with the reason."""
    raw_text = extract_text(path)
    text = normalize_text(raw_text)
    if not text.strip():
        raise UnreadableDocument("không có nội dung văn bản (tệp rỗng hoặc PDF không có lớp chữ)")
    return Document(
        doc_id=doc_id_for(path, corpus_dir),
        path=str(Path(path).relative_to(corpus_dir)),
        text=text,
        meta=meta or derive_meta(path, text),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
