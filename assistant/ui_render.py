"""HTML for the web chat, built from records with every document or user text escaped.

Pure functions (no Gradio, no I/O) so the escaping can be tested with plain strings. The
chat, the sources panel, the document viewer and the corpus table all go through `_text`,
which HTML-escapes and keeps line breaks: a document containing `<script>`, tags or a
Markdown image pointing at an outside host is shown as those characters, never as markup.
The Chatbot is configured with render_markdown=False, so Markdown syntax is not parsed
either. The only markup in the output is the markup written here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from assistant.records import Answer, Citation

ABSTAIN_LABEL = "Không có trong tài liệu"
PENDING_LABEL = "Đang tìm trong tài liệu…"
KIND_LABELS = {"resolution": "Nghị quyết", "news": "Bài tin"}
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class ChatTurn:
    """One exchange of the conversation: the question and its answer, or the error shown instead."""

    question: str
    answer: Answer | None = None
    error: str = ""  # Vietnamese message shown in place of an answer
    pending: bool = False  # shown while the answer is being computed


def _text(value: object, breaks: bool = True) -> str:
    """Escape text for HTML; line breaks become <br> unless the container preserves them.

    Args:
        value: any text from a document or a user.
        breaks: False inside `white-space: pre-wrap` containers (document viewer, passages),
            where the text keeps its own newlines so that its DOM text equals the source.
    """
    escaped = html.escape(str(value or ""), quote=True)
    return escaped.replace("\n", "<br>") if breaks else escaped


def _target(turn: int, n: int) -> str:
    """The class naming which citation a clickable element opens.

    A class, not data-* attributes: the Chatbot's HTML sanitizer keeps classes and drops data-*.
    """
    return f"cite-t{int(turn)}-n{int(n)}"


def display_date(iso: str) -> str:
    """'2021-09-01' -> '01/9/2021' as Vietnamese documents write it; other values unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return iso or ""
    year, month, day = m.groups()
    return f"{day}/{int(month)}/{year}"


def user_message_html(question: str) -> str:
    """The user's question as shown in the chat."""
    if not question:
        return '<div class="user-question empty">(câu hỏi trống)</div>'
    return f'<div class="user-question">{_text(question)}</div>'


def _with_markers(answer_text: str, citation_numbers: set[int], turn: int) -> str:
    """Escaped answer text whose [n] markers (for known citations) are clickable spans."""
    out, last = [], 0
    for m in _MARKER.finditer(answer_text):
        n = int(m.group(1))
        if n not in citation_numbers:
            continue
        out.append(_text(answer_text[last:m.start()]))
        out.append(
            f'<span class="cite-marker {_target(turn, n)}" role="button" tabindex="0" '
            f'title="Mở nguồn [{n}]">[{n}]</span>'
        )
        last = m.end()
    out.append(_text(answer_text[last:]))
    return "".join(out)


def answer_message_html(turn: ChatTurn, index: int) -> str:
    """The assistant's message for one turn: answer with markers, abstention or error.

    Args:
        turn: the exchange to render.
        index: its position in the conversation (carried by the markers so that a click
            opens the sources of this answer, not of the latest one).
    """
    if turn.pending:
        return f'<div class="answer pending">{PENDING_LABEL}</div>'
    if turn.answer is None:
        return f'<div class="answer error"><div class="error-text">⚠️ {_text(turn.error)}</div></div>'
    answer = turn.answer
    parts = [f'<div class="answer{" abstained" if answer.abstained else ""}">']
    if answer.rewritten_question and answer.rewritten_question.strip() != answer.question.strip():
        parts.append(f'<div class="rewritten">Đã tìm: {_text(answer.rewritten_question)}</div>')
    if answer.abstained:
        parts.append(f'<div class="abstain-banner">{ABSTAIN_LABEL}</div>')
    numbers = {c.n for c in answer.citations}
    parts.append(f'<div class="answer-text">{_with_markers(answer.answer, numbers, index)}</div>')
    if answer.citations:
        links = " ".join(
            f'<span class="cite-marker {_target(index, c.n)}" role="button" tabindex="0">'
            f"[{c.n}] {_text(c.title)}</span>"
            for c in answer.citations
        )
        parts.append(f'<div class="answer-sources">Nguồn: {links}</div>')
    for notice in answer.notices:
        parts.append(f'<div class="notice">Lưu ý: {_text(notice)}</div>')
    parts.append("</div>")
    return "".join(parts)


def chat_messages(turns: list[ChatTurn]) -> list[dict]:
    """Chatbot value (messages format): a user and an assistant message per turn."""
    messages = []
    for i, turn in enumerate(turns):
        messages.append({"role": "user", "content": user_message_html(turn.question)})
        messages.append({"role": "assistant", "content": answer_message_html(turn, i)})
    return messages


def quote_in_passage(citation: Citation) -> tuple[str, str, str]:
    """Split the passage into (before, quote, after); the quote empty when it is not inside."""
    passage, quote = citation.passage or "", citation.quote or ""
    at = passage.find(quote) if quote else -1
    if at < 0:
        return passage, "", ""
    return passage[:at], quote, passage[at + len(quote):]


def document_meta_line(number: str, issuer: str, date: str, province: str = "", kind: str = "") -> str:
    """One escaped line of document metadata: number, issuer, date, province, kind."""
    bits = []
    if number:
        bits.append(f"Số: {_text(number)}")
    if issuer:
        bits.append(f"Cơ quan: {_text(issuer)}")
    if date:
        bits.append(f"Ngày: {_text(display_date(date))}")
    if province:
        bits.append(f"Tỉnh: {_text(province)}")
    if kind:
        bits.append(_text(KIND_LABELS.get(kind, kind)))
    return " · ".join(bits)


def sources_html(turn: ChatTurn | None, index: int, memo_citations: list[str], memo_answer: str = "",
                 active: int | None = None) -> str:
    """The sources panel for one answer: a card per citation, with its memo citation.

    Args:
        turn: the exchange whose sources are shown (None before the first question).
        index: its position in the conversation.
        memo_citations: `format_citation(c)` for each citation, in order.
        memo_answer: the answer with its sources for a memo (format_answer_for_memo); the
            panel's "copy the whole answer" button copies it.
        active: the citation number open in the viewer (its card is marked).
    """
    if turn is None:
        return '<div class="sources empty">Nguồn trích dẫn của câu trả lời sẽ hiện ở đây.</div>'
    if turn.answer is None:
        return '<div class="sources empty">Không có nguồn cho câu hỏi này.</div>'
    answer = turn.answer
    if answer.abstained or not answer.citations:
        return (f'<div class="sources empty"><div class="abstain-banner">{ABSTAIN_LABEL}</div>'
                f'<div>Không tìm thấy đoạn văn nào trả lời câu hỏi: “{_text(answer.question)}”.</div></div>')
    cards = [f'<div class="sources"><div class="sources-head">Nguồn cho: “{_text(answer.question)}”</div>']
    if memo_answer:
        cards.append('<div class="source-actions"><button class="copy-answer">Sao chép câu trả lời kèm nguồn</button></div>'
                     f'<div class="memo-answer" hidden>{html.escape(memo_answer)}</div>')
    for c, memo in zip(answer.citations, memo_citations):
        before, quote, after = quote_in_passage(c)
        passage = (f"{_text(before, False)}<mark>{_text(quote, False)}</mark>{_text(after, False)}" if quote
                   else _text(before, False))
        section = f'<div class="source-section">Mục: {_text(c.section)}</div>' if c.section else ""
        cards.append(
            f'<div class="source-card{" active" if c.n == active else ""}" id="source-{c.n}">'
            f'<div class="source-title"><span class="source-n">[{c.n}]</span> {_text(c.title)}</div>'
            f'<div class="source-meta">{document_meta_line(c.number, c.issuer, c.date, c.province, c.kind)}</div>'
            f"{section}"
            f'<blockquote class="source-passage">{passage}</blockquote>'
            f'<div class="memo-label">Trích dẫn cho công văn:</div>'
            f'<div class="memo-citation">{_text(memo)}</div>'
            f'<div class="source-actions">'
            f'<button class="open-source {_target(index, c.n)}">Mở văn bản gốc</button>'
            f'<button class="copy-citation">Sao chép trích dẫn</button>'
            f"</div></div>"
        )
    cards.append("</div>")
    return "".join(cards)


def viewer_html(text: str, meta: dict, citation: Citation | None) -> str:
    """The whole document with the cited span in a <mark>, scrolled into view by the page.

    Args:
        text: the document's full normalized text (what citation offsets refer to).
        meta: its metadata (title, number, issuer, date, province, kind).
        citation: the citation to highlight; None shows the document without a highlight.
    """
    head = (f'<div class="doc-title">{_text(meta.get("title", ""))}</div>'
            f'<div class="doc-meta">{document_meta_line(*(str(meta.get(k, "")) for k in ("number", "issuer", "date", "province", "kind")))}</div>')
    if citation is None or not (0 <= citation.start <= citation.end <= len(text)):
        body = _text(text, False)
        note = ""
    else:
        body = (f"{_text(text[:citation.start], False)}<mark class=\"cited\" id=\"cited-span\">"
                f"{_text(text[citation.start:citation.end], False)}</mark>{_text(text[citation.end:], False)}")
        section = f" · Mục: {_text(citation.section)}" if citation.section else ""
        note = f'<div class="doc-note">Đang xem trích dẫn [{citation.n}]{section}</div>'
    return f'<div class="doc-viewer">{head}{note}<div class="doc-text">{body}</div></div>'


def viewer_message(message: str) -> str:
    """The viewer showing a message (e.g. why a document cannot be opened) instead of a text."""
    return f'<div class="doc-viewer empty">{_text(message)}</div>'


def viewer_placeholder() -> str:
    return '<div class="doc-viewer empty">Bấm vào số trích dẫn [n] hoặc “Mở văn bản gốc” để xem toàn văn.</div>'


def status_html(message: str) -> str:
    """A status line (feedback, upload) as escaped text: it may quote the user's question."""
    return f'<div class="status-line">{_text(message)}</div>' if message else ""


def display_time(iso: str) -> str:
    """'2026-11-24T10:51:48+0700' -> '10:51 ngày 24/11/2026'; other values unchanged."""
    from datetime import datetime

    try:
        moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S%z")
    except (TypeError, ValueError):
        return iso or ""
    return f"{moment:%H:%M} ngày {moment.day:02d}/{moment.month}/{moment.year}"


def corpus_html(documents: list[dict], built_at: str) -> str:
    """The corpus table: each document's metadata and chunk count, and when the index was built."""
    rows = []
    for d in documents:
        rows.append(
            "<tr>"
            f"<td>{_text(d.get('title', ''))}<div class=\"doc-id\">{_text(d.get('doc_id', ''))}</div></td>"
            f"<td>{_text(d.get('number', ''))}</td>"
            f"<td>{_text(d.get('issuer', ''))}</td>"
            f"<td>{_text(display_date(str(d.get('date', ''))))}</td>"
            f"<td>{_text(d.get('province', ''))}</td>"
            f"<td>{_text(KIND_LABELS.get(str(d.get('kind', '')), d.get('kind', '')))}</td>"
            f"<td class=\"num\">{_text(d.get('chunks', ''))}</td>"
            "</tr>"
        )
    built = _text(display_time(built_at)) if built_at else "chưa rõ"
    return (
        f'<div class="corpus"><div class="corpus-head">{len(documents)} tài liệu · '
        f"chỉ mục xây dựng lúc {built}</div>"
        '<table class="corpus-table"><thead><tr><th>Tài liệu</th><th>Số hiệu</th><th>Cơ quan ban hành</th>'
        "<th>Ngày</th><th>Tỉnh</th><th>Loại</th><th>Số đoạn</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
