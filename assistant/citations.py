"""Citations the way Vietnamese administrative writing gives them, and memo-ready answers.

Pure functions over assistant.records.Citation / Answer: no index, no I/O.

    Nghị quyết số 45-NQ/TU ngày 01/9/2021 của Ban Thường vụ Tỉnh ủy Lạng Sơn, mục …: "…"
    Bài "Sản xuất công nghiệp Lạng Sơn: …" (Sở Công Thương tỉnh Lạng Sơn), năm 2022: "…"
"""

from __future__ import annotations

import re
from datetime import date

from assistant.records import Answer, Citation, Hit

# Issuers recorded as the source of a news item, e.g. "Sở Công Thương tỉnh Long An (nguồn tin)".
_SOURCE_NOTE = re.compile(r"\s*\((?:nguồn tin|nguồn)\)\s*$", re.IGNORECASE)


def vietnamese_date(iso: str) -> str:
    """"2021-09-01" -> "01/9/2021" (day zero-padded, month not: the usual administrative form).

    A date recorded as 1 January stands for "year only" in the manifest, so it is given as
    "năm 2021"-style by the callers; here any ISO date is formatted, and text that is not an
    ISO date is returned unchanged.
    """
    try:
        parsed = date.fromisoformat(iso.strip()[:10])
    except ValueError:
        return iso.strip()
    return f"{parsed.day:02d}/{parsed.month}/{parsed.year}"


def _year_only(iso: str) -> bool:
    """The manifest records an unknown day and month as 1 January (e.g. "2021-01-01")."""
    return iso.strip()[5:10] == "01-01"


def clean_issuer(issuer: str) -> str:
    """The issuer without the "(nguồn tin)" note the manifest puts after news sources."""
    return _SOURCE_NOTE.sub("", issuer or "").strip()


def document_label(kind: str, number: str, issuer: str, title: str, iso_date: str) -> str:
    """How a document is named in running text, e.g. "Nghị quyết số 45-NQ/TU ngày 01/9/2021
    của Ban Thường vụ Tỉnh ủy Lạng Sơn"; missing parts are left out, never invented."""
    issuer = clean_issuer(issuer)
    when = ""
    if iso_date:
        when = f"năm {iso_date[:4]}" if _year_only(iso_date) else f"ngày {vietnamese_date(iso_date)}"
    if kind == "resolution" or (number and "NQ" in number.upper()):
        parts = ["Nghị quyết"]
        if number:
            parts.append(f"số {number}")
        if when:
            parts.append(when)
        if issuer:
            parts.append(f"của {issuer}")
        label = " ".join(parts)
        if kind == "news" and title:
            # A news item reporting a resolution: cite the resolution, and say whose words
            # the quote is (the article's, not the resolution's).
            label += f' (theo bài tin "{title}")'
        return label
    label = f'Bài "{title}"' if title else "Tài liệu"
    if issuer:
        label += f" ({issuer})"
    if when:
        label += f", {when}"
    return label


def format_citation(citation: Citation) -> str:
    """A citation in memo style: document, section, then the verbatim quote.

    Examples:
        Nghị quyết số 45-NQ/TU ngày 01/9/2021 của Ban Thường vụ Tỉnh ủy Lạng Sơn, mục II: "…"
        Nghị quyết năm 2021 của Ban Thường vụ Tỉnh ủy Tuyên Quang, mục III > 2: "…"
        Bài "Long An tái cơ cấu …" (Sở Công Thương tỉnh Long An), năm 2021: "…"

    Args:
        citation: a citation of an answer.
    """
    label = document_label(citation.kind, citation.number, citation.issuer, citation.title, citation.date)
    section = citation.section.strip()
    if section and section != citation.title.strip():
        label += f", mục {section}"
    quote = " ".join(citation.quote.split())
    return f'{label}: "{quote}"' if quote else label


def format_answer_for_memo(answer: Answer) -> str:
    """The answer text followed by its numbered sources, ready to paste into a memo.

    Args:
        answer: what Assistant.ask returned.
    """
    text = answer.answer.strip()
    if not answer.citations:
        return text
    lines = [text, "", "Nguồn:"]
    lines += [f"[{c.n}] {format_citation(c)}" for c in answer.citations]
    return "\n".join(lines)


def short_source(hit: Hit) -> str:
    """Whose text a passage is, for the start of an answer sentence ("Theo ...").

    No dates: an answer's figures must all come from what it cites, and a reformatted date
    would not read the same as the source.
    """
    issuer = clean_issuer(hit.issuer)
    if hit.kind == "resolution":
        if hit.number:
            return f"Nghị quyết số {hit.number}" + (f" của {issuer}" if issuer else "")
        return f"Nghị quyết của {issuer}" if issuer else f"Nghị quyết ({hit.province})" if hit.province else "Nghị quyết"
    if hit.number and "NQ" in hit.number.upper():
        where = f" ({hit.province})" if hit.province else ""
        return f"bài tin về Nghị quyết số {hit.number}{where}"
    if issuer:
        return issuer if not hit.province or hit.province.lower() in issuer.lower() else f"{issuer} ({hit.province})"
    return f"tài liệu về {hit.province}" if hit.province else f'bài "{hit.title}"'
