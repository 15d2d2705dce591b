"""Typed records of the build side, returned across module boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMeta:
    """What the manifest (or the file, when the manifest is silent) says of a document."""

    title: str
    number: str = ""  # e.g. "45-NQ/TU"; empty when the text gives none
    issuer: str = ""
    date: str = ""  # ISO yyyy-mm-dd
    province: str = ""
    kind: str = "resolution"  # "resolution" | "news"
    source: str = ""


@dataclass(frozen=True)
class Document:
    """A loaded, normalized document. `text` is the text from then on: offsets index it."""

    doc_id: str
    path: str  # file name inside the corpus directory
    text: str
    meta: DocumentMeta
    content_hash: str  # sha256 of the normalized text


@dataclass(frozen=True)
class Chunk:
    """A citable passage: `text == document.text[start:end]`."""

    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    section_path: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)


@dataclass(frozen=True)
class Skipped:
    """A corpus file that was not indexed, and why (Vietnamese, shown in the summary)."""

    path: str
    reason: str


@dataclass
class BuildSummary:
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    cached: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    changed: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    collection: str = ""

    def as_json(self) -> dict:
        return {
            "documents": self.documents,
            "chunks": self.chunks,
            "embedded": self.embedded,
            "cached": self.cached,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "seconds": round(self.seconds, 3),
            "changed": self.changed,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "collection": self.collection,
        }
