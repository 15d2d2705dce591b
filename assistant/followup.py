"""Follow-up questions rewritten into standalone ones, without an LLM.

A follow-up is elliptical: "Còn Tuyên Quang thì sao?", "năm 2030 thì sao?", "nhà máy đó ở
huyện nào?", "And its share of GRDP?". The rewrite carries over what the previous user
question asked and substitutes what the new one changes:

- the new turn names only places, years or periods: they replace those of the previous
  question ("Tỷ trọng ... của Lạng Sơn ...?" + "Còn Tuyên Quang thì sao?" ->
  "Tỷ trọng ... của Tuyên Quang ...?");
- the new turn has words of its own: it is kept, followed in brackets by the previous
  question's context (minus what the new turn replaces), so retrieval sees both and the
  answerer knows which words are the new focus.

A turn that names its own place or topic and has no sign of ellipsis is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from assistant.evidence import fold, provinces_in
from index.normalize import normalize_text

_LEAD = re.compile(
    r"^\s*(?:(?:thế|thê|vậy|vay|the)\s+)?(?:còn|con|and|but|what about|how about|so)\b[\s,]*", re.IGNORECASE
)
_TRAIL = re.compile(
    r"[\s,]*(?:thì|thi)?\s*(?:sao|thế nào|the nao|ra sao|như thế nào|nhu the nao|nữa|nua)?\s*(?:vậy|vay|nhỉ|nhi|ạ|a)?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# Words that point back to something said before (folded, whole words).
# English pronouns are matched on folded text; Vietnamese ones keep their diacritics, since
# their folded forms are ordinary words ("độ" -> "do", "nay" in "hiện nay").
_ANAPHORA = re.compile(r"\b(?:it|its|they|them|their|those|the same|mentioned)\b")
_ANAPHORA_VI = re.compile(r"(?<!trong )\b(?:đó|ấy|kia|nói trên|vừa rồi|đấy)\b|\b(?:này)\b(?!\s*\w)", re.IGNORECASE)
_PERIOD = re.compile(r"(?:(?:giai đoạn|thời kỳ|đến năm|đến|năm|vào năm|trong năm|period|by|in)\s+)?"
                     r"((?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)", re.IGNORECASE)
_QUESTION_TAIL = re.compile(r"\s*(?:là bao nhiêu|bao nhiêu|là gì|như thế nào|thế nào|ra sao|nào|gì)?\s*[?.!]*\s*$",
                            re.IGNORECASE)
_FILLER = frozenset(
    "con thi sao the nao ra sao nhu vay nhi a nua and what how about so the a an of is are was were "
    "la bao nhieu gi nao do ay nay kia cai".split()
)
# A new turn with at most this many content words and no place of its own is read as elliptical.
SHORT_TURN_WORDS = 4


@dataclass(frozen=True)
class Rewrite:
    """A follow-up made standalone."""

    question: str  # what is searched and answered
    focus: str  # the words the user typed in this turn (the answer should be about them)
    rewritten: bool  # whether `question` differs from what the user typed


def rewrite_followup(question: str, history: Sequence[Mapping[str, str]] = ()) -> Rewrite:
    """Rewrite an elliptical follow-up into a standalone question using earlier user turns.

    Args:
        question: the new user turn.
        history: earlier turns, [{"role": "user"|"assistant", "content": str}, ...], oldest first.
    """
    question = normalize_text(question).strip()
    users = [normalize_text(str(t.get("content", ""))).strip() for t in history if t.get("role") == "user"]
    users = [u for u in users if u]
    if not users:
        return Rewrite(question, question, False)
    previous = users[0]
    for turn in users[1:]:  # earlier follow-ups are resolved in order
        previous = _resolve(turn, previous).question
    return _resolve(question, previous)


_PERIOD_FOLDED = re.compile(r"(?:(?:giai doan|thoi ky|den nam|den|nam|vao nam|trong nam|period|by|in)\s+)?"
                            r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?")


def _content_words(text: str) -> list[str]:
    """Folded words that carry topic (not fillers, places, years)."""
    folded = fold(text)
    for name in provinces_in(text):
        folded = folded.replace(name, " ")
    folded = _PERIOD_FOLDED.sub(" ", folded)
    return [w for w in re.findall(r"[^\W\d_]+", folded) if w not in _FILLER]


def is_elliptical(question: str, previous: str) -> bool:
    """Whether a turn leans on the previous one (starts with "còn", points back, or is short)."""
    if _LEAD.match(question) and _LEAD.match(question).group(0).strip():
        return True
    if _ANAPHORA_VI.search(question) or _ANAPHORA.search(fold(question)):
        return True
    if re.search(r"(?:thì|thi)\s+(?:sao|thế nào|the nao)\s*[?]?\s*$", question, re.IGNORECASE):
        return True
    own_place = bool(provinces_in(question))
    return not own_place and len(_content_words(question)) <= SHORT_TURN_WORDS and bool(provinces_in(previous))


def _core(question: str) -> str:
    """The turn without its "còn ..." opening and "... thì sao?" ending."""
    core = _LEAD.sub("", question)
    core = _TRAIL.sub("", core).strip(" ,")
    return core or question.strip(" ?")


def _replace_places(text: str, new_places: list[str], original_new: str) -> str:
    """Replace the provinces named in `text` by those named in the new turn."""
    old = provinces_in(text)
    if not old:
        return text
    folded = fold(text)
    spans = []
    for name in old:
        match = re.search(r"(?<![\w])" + r"\s+".join(name.split()) + r"(?![\w])", folded)
        if match:
            spans.append((match.start(), match.end()))
    display = [_display_place(original_new, p) for p in new_places]
    out, cursor = [], 0
    for i, (s, e) in enumerate(sorted(spans)):
        out.append(text[cursor:s])
        out.append(display[i] if i < len(display) else display[-1])
        cursor = e
    out.append(text[cursor:])
    return "".join(out)


def _display_place(text: str, folded_name: str) -> str:
    """The place as the user wrote it in `text` (diacritics kept)."""
    folded = fold(text)
    match = re.search(r"(?<![\w])" + r"\s+".join(folded_name.split()) + r"(?![\w])", folded)
    # fold() keeps one character per character of NFC text, so offsets carry over.
    return normalize_text(text)[match.start():match.end()] if match else folded_name.title()


def _replace_periods(text: str, new_periods: list[str]) -> str:
    """Replace the years or periods of `text` by the new turn's (first by first)."""
    found = list(re.finditer(r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?", text))
    if not found:
        return text
    out, cursor = [], 0
    for i, match in enumerate(found):
        out.append(text[cursor:match.start()])
        out.append(new_periods[min(i, len(new_periods) - 1)])
        cursor = match.end()
    out.append(text[cursor:])
    return "".join(out)


def _strip_places_and_periods(text: str, places: bool, periods: bool) -> str:
    if places:
        for name in provinces_in(text):
            folded = fold(text)
            match = re.search(r"(?<![\w])" + r"\s+".join(name.split()) + r"(?![\w])", folded)
            if match:
                text = text[:match.start()] + text[match.end():]
    if periods:
        text = _PERIOD.sub("", text)
    text = re.sub(r"\s+([,.?])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,")


def _resolve(question: str, previous: str) -> Rewrite:
    if not is_elliptical(question, previous):
        return Rewrite(question, question, False)
    core = _core(question)
    places = provinces_in(core)
    periods = [m.group(1) for m in _PERIOD.finditer(core)]
    if not _content_words(core) and (places or periods):
        standalone = previous
        if places:
            if provinces_in(previous):
                standalone = _replace_places(standalone, places, core)
            else:
                standalone = f"{standalone.rstrip(' ?')} ({', '.join(_display_place(core, p) for p in places)})?"
        if periods:
            if re.search(r"(?:19|20)\d{2}", standalone):
                standalone = _replace_periods(standalone, periods)
            else:
                standalone = f"{standalone.rstrip(' ?')} ({', '.join(periods)})?"
        return Rewrite(standalone, core, standalone != question)
    context = _QUESTION_TAIL.sub("", previous).strip()
    context = _strip_places_and_periods(context, places=bool(places), periods=bool(periods))
    standalone = f"{core.rstrip(' ?')} ({context})?" if context else question
    return Rewrite(standalone, core, standalone != question)
