"""Optional generative answers through an OpenAI-compatible endpoint (llama-index OpenAILike).

The LLM writes the answer from numbered passages and must cite them with [n] markers. Every
generated answer is verified before it is shown (`verify`):

- each sentence carries at least one marker, and every marker names a passage it was given;
- every number in a sentence occurs in a passage that sentence cites (or in that passage's
  document number, date or section);
- a sentence without numbers shares words with the passages it cites.

An answer that fails is not shown: the Assistant falls back to its extractive answer with a
note. The LLM also condenses follow-up questions into standalone ones when configured.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from assistant.citations import short_source
from assistant.evidence import fold, number_occurs, numbers, split_units, syllables
from assistant.records import Citation, Hit
from index.errors import ConfigError
from index.normalize import normalize_text
from index.settings import Settings

log = logging.getLogger(__name__)

# Deterministic answers; a citation-bound summary gains nothing from sampling.
TEMPERATURE = 0.0
# Seconds to wait for the endpoint; the extractive answer is shown when it does not reply.
TIMEOUT_S = 60.0
# A generated sentence without numbers must share this share of its content words with the
# passages it cites (Vietnamese answers); below it the citation is taken as wrong.
MIN_OVERLAP = 0.35

SYSTEM_PROMPT = (
    "Bạn là trợ lý trả lời câu hỏi về các nghị quyết và tin tức phát triển công nghiệp cấp tỉnh. "
    "Chỉ dùng thông tin trong các đoạn trích được đánh số [1], [2], ... dưới đây. "
    "Trả lời bằng tiếng Việt, ngắn gọn (1-3 câu). Sau MỖI câu ghi số đoạn trích làm căn cứ, ví dụ [1] hoặc [1][2]. "
    "Giữ nguyên các con số đúng như trong đoạn trích. "
    "Nếu các đoạn trích không trả lời được câu hỏi, chỉ viết: Các tài liệu hiện có không nêu thông tin này."
)
CONDENSE_PROMPT = (
    "Viết lại câu hỏi cuối của người dùng thành một câu hỏi độc lập, đầy đủ (nêu rõ tỉnh, năm, chủ đề "
    "lấy từ cuộc trò chuyện). Chỉ trả về câu hỏi đã viết lại, không giải thích."
)
_MARKER = re.compile(r"\[(\d{1,2})\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def make_llm(settings: Settings):
    """An OpenAILike LLM for the configured endpoint.

    Raises:
        ConfigError: the llama-index OpenAI-like integration is not installed.
    """
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:  # optional dependency
        raise ConfigError(
            "Chế độ trả lời bằng mô hình ngôn ngữ cần gói llama-index-llms-openai-like: "
            "pip install llama-index-llms-openai-like"
        ) from exc
    return OpenAILike(
        model=settings.llm_model or "default",
        api_base=settings.llm_url.rstrip("/"),
        # Local OpenAI-compatible servers usually ignore the key, but the client requires one.
        api_key=settings.llm_api_key or "not-needed",
        is_chat_model=True,
        temperature=TEMPERATURE,
        timeout=TIMEOUT_S,
        max_retries=0,  # a failing endpoint falls back to the extractive answer at once
        context_window=8192,
    )


def _chat(llm, system: str, user: str) -> str:
    from llama_index.core.llms import ChatMessage

    response = llm.chat([ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)])
    return (response.message.content or "").strip()


def numbered_passages(hits: Sequence[Hit]) -> str:
    """The passages as the LLM sees them: [n] source, section, text."""
    blocks = []
    for n, hit in enumerate(hits, start=1):
        where = f" — mục {hit.section}" if hit.section and hit.section != hit.title else ""
        blocks.append(f"[{n}] ({short_source(hit)}{where})\n{' '.join(hit.text.split())}")
    return "\n\n".join(blocks)


@dataclass(frozen=True)
class Generated:
    """A generated answer after verification."""

    ok: bool
    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    problem: str = ""  # why it was rejected (Vietnamese, shown in the note)
    abstained: bool = False


def generate_answer(llm, question: str, hits: Sequence[Hit]) -> Generated:
    """Ask the LLM for an answer from numbered passages, then verify it.

    Args:
        llm: a llama-index LLM (OpenAILike).
        question: the standalone question.
        hits: the passages, numbered [1].. in this order.
    """
    if not hits:
        return Generated(False, problem="không có đoạn trích")
    user = f"Các đoạn trích:\n\n{numbered_passages(hits)}\n\nCâu hỏi: {question}"
    try:
        text = _chat(llm, SYSTEM_PROMPT, user)
    except Exception as exc:  # endpoint down, timeout, malformed reply
        log.warning("LLM call failed: %s", exc)
        return Generated(False, problem="không kết nối được mô hình ngôn ngữ")
    if fold(text).startswith("cac tai lieu hien co khong neu"):
        return Generated(False, problem="mô hình không tìm thấy câu trả lời trong đoạn trích", abstained=True)
    problem = verify(text, hits)
    if problem:
        return Generated(False, text=text, problem=problem)
    renumbered, citations = cite(text, hits)
    return Generated(True, renumbered, citations)


def _sources(hit: Hit) -> list[str]:
    return [hit.text, " ".join(x for x in (hit.number, hit.date, hit.section, hit.title) if x)]


def answer_sentences(text: str) -> list[str]:
    """Sentences of a generated answer (a marker after the full stop stays with its sentence)."""
    text = re.sub(r"([.!?])\s*((?:\[\d{1,2}\]\s*)+)", r" \2\1 ", text)  # "... ." [1] -> "... [1]."
    return [s.strip() for s in _SENTENCE.split(text) if s.strip() and any(ch.isalnum() for ch in s)]


def verify(text: str, hits: Sequence[Hit]) -> str:
    """Why a generated answer cannot be shown ("" when it passes).

    Args:
        text: the LLM's answer.
        hits: the passages it was given, [1] = hits[0].
    """
    sentences = answer_sentences(text)
    if not sentences:
        return "câu trả lời rỗng"
    for sentence in sentences:
        markers = [int(m) for m in _MARKER.findall(sentence)]
        if not markers:
            return f"câu không có trích dẫn: “{sentence[:80]}”"
        unknown = [m for m in markers if not 1 <= m <= len(hits)]
        if unknown:
            return f"trích dẫn đoạn không được cung cấp [{unknown[0]}]"
        cited = [hits[m - 1] for m in markers]
        sources = [normalize_text(s) for h in cited for s in _sources(h)]
        body = _MARKER.sub(" ", normalize_text(sentence))
        missing = [n for n in numbers(body) if not any(number_occurs(n, s) for s in sources)]
        if missing:
            return f"số {missing[0]} không có trong đoạn được trích"
        if not numbers(body) and _overlap(body, cited) < MIN_OVERLAP:
            return f"câu không khớp với đoạn được trích: “{sentence[:80]}”"
    return ""


_FUNCTION_WORDS = frozenset("la cua va cac nhung co duoc trong cho voi ve theo de den tu thi nay do mot".split())


def _overlap(sentence: str, cited: Sequence[Hit]) -> float:
    words = {w for w in syllables(sentence) if w not in _FUNCTION_WORDS and not w.isdigit()}
    if not words:
        return 1.0
    source = set()
    for hit in cited:
        source |= set(syllables(hit.text + " " + hit.title + " " + hit.section))
    return len(words & source) / len(words)


def cite(text: str, hits: Sequence[Hit]) -> tuple[str, list[Citation]]:
    """Renumber markers 1.. in order of use and make a citation per used passage, quoting
    the passage's sentence that best matches the answer sentences citing it."""
    order: list[int] = []
    for m in _MARKER.findall(text):
        if int(m) not in order:
            order.append(int(m))
    mapping = {old: new for new, old in enumerate(order, start=1)}
    renumbered = _MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", text)
    citations = []
    sentences = answer_sentences(text)
    for old in order:
        hit = hits[old - 1]
        citing = " ".join(s for s in sentences if f"[{old}]" in s)
        start, end = _best_span(hit, citing)
        citations.append(Citation(
            n=mapping[old], chunk_id=hit.chunk_id, doc_id=hit.doc_id, title=hit.title, number=hit.number,
            issuer=hit.issuer, date=hit.date, kind=hit.kind, section=hit.section,
            quote=hit.text[start - hit.start:end - hit.start], start=start, end=end, passage=hit.text,
            province=hit.province,
        ))
    return renumbered, citations


def _best_span(hit: Hit, citing: str) -> tuple[int, int]:
    """Document offsets of the passage sentence sharing most numbers and words with `citing`."""
    wanted_numbers = set(numbers(_MARKER.sub(" ", citing)))
    wanted_words = set(syllables(citing))
    best, best_score = (hit.start, hit.end), -1.0
    for unit in split_units(hit):
        span_text = unit.sentence
        score = 3.0 * sum(1 for n in wanted_numbers if number_occurs(n, span_text))
        score += len(wanted_words & set(syllables(span_text))) / (1 + len(set(syllables(span_text))) ** 0.5)
        if score > best_score:
            best, best_score = (unit.sentence_start, unit.sentence_end), score
    return best


def condense_question(llm, question: str, history: Sequence[Mapping[str, str]]) -> str | None:
    """A standalone form of a follow-up question written by the LLM, or None on failure."""
    turns = "\n".join(
        f"{'Người dùng' if t.get('role') == 'user' else 'Trợ lý'}: {' '.join(str(t.get('content', '')).split())[:600]}"
        for t in list(history)[-6:]
    )
    try:
        text = _chat(llm, CONDENSE_PROMPT, f"Cuộc trò chuyện:\n{turns}\n\nCâu hỏi cuối: {question}")
    except Exception as exc:
        log.warning("LLM condense failed: %s", exc)
        return None
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = re.sub(r"^(?:câu hỏi(?: độc lập| đã viết lại)?\s*:\s*)", "", line, flags=re.IGNORECASE).strip(" \"“”")
    return line if 3 <= len(line) <= 500 else None
