"""Export of a chat conversation as Markdown or DOCX, with every answer's citations intact."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from assistant.records import Answer, Citation
from assistant.ui_render import ABSTAIN_LABEL, ChatTurn

EXPORT_TITLE = "Hội thoại với Trợ lý nghị quyết"


def _md_escape_line(text: str) -> str:
    """Keep a line literal in Markdown: a leading '#', '>' or '-' must not become structure."""
    return text if not text[:1] in {"#", ">", "-", "*", "+", "|"} else "\\" + text


def conversation_markdown(turns: list[ChatTurn], format_citation: Callable[[Citation], str],
                          exported_at: str | None = None) -> str:
    """The conversation as Markdown: question, answer with [n] markers, numbered sources.

    Args:
        turns: the exchanges in order.
        format_citation: memo citation of one source (assistant.citations.format_citation).
        exported_at: timestamp written in the header (now when None).
    """
    stamp = exported_at or time.strftime("%d/%m/%Y %H:%M")
    lines = [f"# {EXPORT_TITLE}", "", f"Xuất lúc {stamp}.", ""]
    for i, turn in enumerate(turns, start=1):
        lines += [f"## Câu hỏi {i}", "", *(_md_escape_line(x) for x in turn.question.splitlines()), ""]
        if turn.answer is None:
            lines += [f"**Lỗi:** {turn.error}", ""]
            continue
        answer = turn.answer
        if answer.rewritten_question and answer.rewritten_question.strip() != answer.question.strip():
            lines += [f"_Đã tìm: {answer.rewritten_question}_", ""]
        lines += ["**Trả lời:**", ""]
        if answer.abstained:
            lines += [f"**{ABSTAIN_LABEL}.**", ""]
        lines += [*(_md_escape_line(x) for x in answer.answer.splitlines()), ""]
        if answer.citations:
            lines += ["**Nguồn:**", ""]
            for c in answer.citations:
                lines.append(f"{c.n}. {format_citation(c)}")
                lines.append(f"   > “{' '.join(c.quote.split())}”")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_docx(turns: list[ChatTurn], path: Path, format_citation: Callable[[Citation], str],
               exported_at: str | None = None) -> Path:
    """Write the conversation as a Word document (python-docx) and return its path.

    Args:
        turns: the exchanges in order.
        path: where to write the .docx file.
        format_citation: memo citation of one source.
        exported_at: timestamp written under the title (now when None).
    """
    from docx import Document

    doc = Document()
    doc.add_heading(EXPORT_TITLE, level=1)
    doc.add_paragraph(f"Xuất lúc {exported_at or time.strftime('%d/%m/%Y %H:%M')}.")
    for i, turn in enumerate(turns, start=1):
        doc.add_heading(f"Câu hỏi {i}", level=2)
        doc.add_paragraph(turn.question)
        if turn.answer is None:
            doc.add_paragraph(f"Lỗi: {turn.error}")
            continue
        _docx_answer(doc, turn.answer, format_citation)
    path = Path(path)
    doc.save(str(path))
    return path


def _docx_answer(doc, answer: Answer, format_citation: Callable[[Citation], str]) -> None:
    if answer.rewritten_question and answer.rewritten_question.strip() != answer.question.strip():
        doc.add_paragraph().add_run(f"Đã tìm: {answer.rewritten_question}").italic = True
    doc.add_paragraph().add_run("Trả lời:").bold = True
    if answer.abstained:
        doc.add_paragraph().add_run(f"{ABSTAIN_LABEL}.").bold = True
    doc.add_paragraph(answer.answer)
    if not answer.citations:
        return
    doc.add_paragraph().add_run("Nguồn:").bold = True
    for c in answer.citations:
        paragraph = doc.add_paragraph(f"[{c.n}] {format_citation(c)}")
        paragraph.add_run("\n“" + " ".join(c.quote.split()) + "”").italic = True
