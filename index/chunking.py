"""Structure-aware chunking that keeps each chunk's offsets and section path.

Blocks are lines (paragraphs, list items, headings). Headings open a section (the heading
lines that start a document also open its first chunk); the rest is packed into chunks of about `target` tokens inside one section, split further on sentences
(then clauses) only when a block alone is too long. A block ending with ':' (a lead-in) is
never the last block of a chunk when its first item fits, so items stay with their lead-in.
Every chunk's text is exactly `document.text[start:end]`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable

from index.records import Chunk, Document

CHUNKER_VERSION = "6"  # bump when the chunking changes, so every document is re-chunked

_ROMAN = re.compile(r"^(?:\*\*)?\s*([IVXLC]+)\s*[-.–)]\s*\S")
_NUMBERED = re.compile(r"^(?:\*\*)?\s*(\d+(?:\.\d+)*)\s*[-.–)]\s*\S")
_ARTICLE = re.compile(r"^(?:\*\*)?\s*(Điều|Chương|Mục|Phần)\s+[\dIVXLC]+\b", re.IGNORECASE)
_END_PUNCT = ".;,!?…"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])")
_CLAUSE_END = re.compile(r"(?<=[;:])\s+")
_COMMA = re.compile(r"(?<=,)\s+")
# A sentence that sums up what the ones before it said ("Đây là những hạn chế đáng chú ý
# ...") names the thing ("hạn chế") only by pointing back: it stays in their chunk when the
# chunk can take it within the hard limit, and an answer quotes what it points at.
_SUMS_UP = re.compile(r"(?:Đây|Đó|Những điều (?:này|đó|trên)) (?:là|cũng là|chính là) (?:những|các)(?!\w)")


def sums_up(sentence: str) -> bool:
    """Whether a sentence opens by summing up the sentences before it."""
    return _SUMS_UP.match(sentence.lstrip()) is not None


# "Nơi nhận:" opens the distribution list at the foot of a Vietnamese administrative document
# (Decree 30/2020/NĐ-CP): a list of recipients, not content. Indexed, it outranks real passages
# for questions naming agencies, so it is left out of the chunks (the document text keeps it).
_RECIPIENTS = re.compile(r"^[*_\s]*n[ơo]i\s+nh[ậa]n\s*:?[*_\s]*$", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^(?:[-–+•]|\*(?!\*))\s*")
# A news photo's caption ends with its credit ("Cụm công nghiệp ở Lạng Sơn. Ảnh minh họa |",
# "... cơ khí chế tạo. Ảnh: Internet"): never a section heading; a short one, the caption
# alone, is left out of the chunks like the recipients.
_CAPTION = re.compile(r"(?:^|[.!?]\s+|\s)\(?(?:Ảnh minh họa|Ảnh minh hoạ|Ảnh\s*:[^.|]{0,60})\)?\s*\|?\s*$", re.IGNORECASE)
_CAPTION_WORDS = 15


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    heading_level: int  # 0: body text; 1..n: heading depth
    after_gap: bool = False  # blocks were dropped just before this one: a chunk starts here


def _blocks(text: str) -> list[_Block]:
    """Non-empty lines with their offsets (whitespace trimmed) and heading level."""
    blocks = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            end = start + len(stripped)
            prev = blocks[-1] if blocks else None
            if prev and not prev.heading_level and stripped[0].islower() and text[prev.end - 1] not in ".!?…:":
                # A line broken inside a sentence (the source wraps it): one block, not two.
                blocks[-1] = _Block(prev.start, end, 0)
            else:
                blocks.append(_Block(start, end, _heading_level(stripped)))
        pos += len(line) + 1
    return blocks


def _content_blocks(text: str) -> list[_Block]:
    """The blocks worth citing: a "Nơi nhận:" line and the list items after it are dropped, and
    a photo caption standing alone."""
    kept, recipients, gap = [], False, False
    for block in _blocks(text):
        line = text[block.start:block.end]
        if _RECIPIENTS.match(line):
            recipients = gap = True
            continue
        if recipients and _LIST_ITEM.match(line):
            continue
        if _CAPTION.search(line) and len(line.split()) <= _CAPTION_WORDS:
            gap = True
            continue
        recipients = False
        kept.append(_Block(block.start, block.end, block.heading_level, gap) if gap else block)
        gap = False
    return kept


def _heading_level(line: str) -> int:
    bare = line.strip("*").strip()
    numbered = _NUMBERED.match(line) or _ROMAN.match(line) or _ARTICLE.match(line)
    # Numbered headings of resolutions can be long ("2- Huy động nguồn lực ..., ưu tiên ...").
    if not bare or len(bare) > (300 if numbered else 160):
        return 0
    if bare[-1] in _END_PUNCT or bare.endswith(":") or _CAPTION.search(bare):
        return 0
    if _ROMAN.match(line):
        return 1
    if _ARTICLE.match(line):
        return 2
    m = _NUMBERED.match(line)
    if m:
        return 2 + m.group(1).count(".")
    bold = line.startswith("**") and line.endswith("**")
    upper = bare.upper() == bare and any(ch.isalpha() for ch in bare)
    if bold or upper:
        return 1
    # A short line with no final punctuation (an article title, a subheading).
    if len(bare) <= 100 and len(bare.split()) <= 15:
        return 1
    return 0


def heading_label(line: str) -> str:
    """How a heading appears in a section path: markup removed, spacing collapsed."""
    return " ".join(line.strip().strip("*").split())


def _split_long(text: str, start: int, end: int, count: Callable[[str], int], target: int, limit: int):
    """Yield (start, end) pieces of text[start:end] for packing into chunks.

    A block over `target` tokens is split into sentences, packed back up to `target`. Only a
    single sentence over the hard `limit` is split inside (on ';' or ':', then ',').
    """
    span = text[start:end]
    if count(span) <= target:
        yield start, end
        return
    sentences = _pieces(span, start, _SENTENCE_END)
    if len(sentences) > 1:
        yield from _pack(text, sentences, count, target, limit)
        return
    if count(span) <= limit:
        yield start, end
        return
    for pattern in (_CLAUSE_END, _COMMA):
        clauses = _pieces(span, start, pattern)
        if len(clauses) > 1:
            yield from _pack(text, clauses, count, limit, limit)
            return
    mid = start + (span.rfind(" ", 0, len(span) // 2) + 1 or len(span) // 2)
    yield from _split_long(text, start, mid, count, target, limit)
    yield from _split_long(text, mid, end, count, target, limit)


def _pieces(span: str, offset: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    pieces, prev = [], 0
    for cut in [m.end() for m in pattern.finditer(span)] + [len(span)]:
        piece = span[prev:cut].rstrip()
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            pieces.append((offset + prev + lead, offset + prev + len(piece)))
        prev = cut
    return pieces


def _pack(text, pieces, count, target, limit):
    """Join consecutive pieces up to `target` tokens; split any piece still over `limit`."""
    acc = None
    for p_start, p_end in pieces:
        joined = count(text[acc[0]:p_end]) if acc else 0
        if acc and (joined <= target or (sums_up(text[p_start:p_end]) and joined <= limit)):
            acc = (acc[0], p_end)
            continue
        if acc:
            yield from _split_long(text, *acc, count, limit, limit) if count(text[acc[0]:acc[1]]) > limit else [acc]
        acc = (p_start, p_end)
    if acc:
        yield from _split_long(text, *acc, count, limit, limit) if count(text[acc[0]:acc[1]]) > limit else [acc]


def chunk_document(
    doc: Document,
    count_tokens: Callable[[str], int],
    target: int = 200,
    max_tokens: int = 380,
) -> list[Chunk]:
    """Split a document along its structure into citable chunks.

    Args:
        doc: the loaded, normalized document.
        count_tokens: the embedding model's token counter.
        target: preferred chunk size in tokens.
        max_tokens: hard limit for the chunk text (context is added on top, within 512).
    """
    text = doc.text
    path: list[tuple[int, str]] = []  # (level, label)
    units: list[tuple[int, int, tuple[str, ...]]] = []  # body pieces with their section path
    fresh: set[int] = set()  # indexes of units that must open a chunk (dropped text before them)
    # The document's own heading lines (title, issuer) open its first chunk, so they can be found
    # and cited (dev split unchanged, hit@1 0.873). Later section headings only go into the
    # section path, which both retrieval signals see in front of the chunk.
    heading_start = None
    tail: tuple[int, int] | None = None  # the heading-like lines since the last body text
    for block in _content_blocks(text):
        if block.after_gap:
            fresh.add(len(units))
        if block.heading_level:
            while path and path[-1][0] >= block.heading_level:
                path.pop()
            path.append((block.heading_level, heading_label(text[block.start:block.end])))
            if not units and heading_start is None:
                heading_start = block.start
            tail = (tail[0] if tail else block.start, block.end)
            continue
        tail = None
        section = tuple(label for _, label in path)
        for start, end in _split_long(text, block.start, block.end, count_tokens, target, max_tokens):
            if heading_start is not None:
                start, heading_start = heading_start, None
            units.append((start, end, section))
    if tail and _names_someone(text[tail[0]:tail[1]]):
        # Short lines with no body after them close the document: the signature block
        # ("T/M BAN THƯỜNG VỤ / BÍ THƯ / Châu Văn Lâm") or a news article's author. They
        # get a chunk of their own at document level, so that the signer can be found and
        # cited; a web page's leftovers ("Bình luận (0)") name nobody and stay out.
        fresh.add(len(units))
        closing = text[tail[0]:tail[1]]
        units.append((tail[0], tail[1], (SIGNATURE_SECTION if _SIGNATURE.search(closing) else AUTHOR_SECTION,)))

    chunks: list[Chunk] = []
    current: list[tuple[int, int, tuple[str, ...]]] = []

    def flush():
        if not current:
            return
        start, end, section = current[0][0], current[-1][1], current[0][2]
        body = text[start:end]
        digest = hashlib.sha1(body.encode("utf-8")).hexdigest()[:10]
        ordinal = len(chunks)
        chunks.append(Chunk(f"{doc.doc_id}#{ordinal:03d}-{digest}", doc.doc_id, ordinal, body, start, end, section))
        current.clear()

    for index, unit in enumerate(units):
        if current and index in fresh:
            flush()
        if current:
            same_section = unit[2] == current[0][2]
            joined = count_tokens(text[current[0][0]:unit[1]])
            lead_in = text[current[-1][0]:current[-1][1]].endswith(":")
            fits_target = joined <= target
            fits_max = joined <= max_tokens
            follows_on = lead_in or sums_up(text[unit[0]:unit[1]])
            if not same_section or not (fits_target or (follows_on and fits_max)):
                flush()
        current.append(unit)
    flush()
    return chunks


# The section given to a document's closing lines, so that both retrieval signals see what
# they are ("Ai ký Nghị quyết?" finds the signer) and a citation says where the name stands.
SIGNATURE_SECTION = "Người ký"
AUTHOR_SECTION = "Tác giả"
# A signature block: "T/M BAN THƯỜNG VỤ", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "BÍ THƯ".
_SIGNATURE = re.compile(r"\b(?:T/M|TM\.|K/T|KT\.|Q\.|BÍ THƯ|CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN)(?![\w])")


def _names_someone(lines: str) -> bool:
    """Whether some line holds two capitalized words in a row (a person's or a body's name)."""
    words = re.findall(r"[^\W\d_]+", lines)
    return any(a[0].isupper() and b[0].isupper() for a, b in zip(words, words[1:]))


def context_header(title: str, province: str, section: str) -> str:
    """What both retrieval signals see in front of a chunk: title, province, section path.

    Never part of a citation: citations quote only the chunk's own text.
    """
    head = title if not province or province.lower() in title.lower() else f"{title} ({province})"
    return f"{head}\n{section}" if section else head


def embed_text(chunk: Chunk, title: str, province: str) -> str:
    """The text that is embedded for a chunk: context header, blank line, chunk text."""
    return f"{context_header(title, province, chunk.section)}\n\n{chunk.text}"
