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

from assistant.evidence import doc_numbers_in, fold, provinces_in
from index.normalize import fold_diacritics, normalize_text

_LEAD = re.compile(
    r"^\s*(?:(?:thế|thê|vậy|vay|the)\s+)?(?:còn|con|and|but|what about|how about|so)\b[\s,]*", re.IGNORECASE
)
_TRAIL = re.compile(
    r"[\s,]*(?:(?<!\w)(?:thì|thi))?\s*(?:(?<!\w)(?:sao|thế nào|the nao|ra sao|như thế nào|nhu the nao|nữa|nua))?"
    r"\s*(?:(?<!\w)(?:vậy|vay|nhỉ|nhi|ạ|a))?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# Words that point back to something said before (folded, whole words).
# English pronouns are matched on folded text; Vietnamese ones keep their diacritics, since
# their folded forms are ordinary words ("độ" -> "do", "nay" in "hiện nay").
_ANAPHORA = re.compile(r"\b(?:it|its|they|them|their|those|the same|mentioned)\b")
# "này" after a noun is always a demonstrative; "trong đó" ("of which") points back only
# when it opens the turn (inside a sentence it is a conjunction).
_ANAPHORA_VI = re.compile(
    r"(?<!trong )\b(?:đó|ấy|kia|nói trên|kể trên|vừa nêu|vừa rồi|đấy|này)\b|^\s*trong (?:số )?đó\b", re.IGNORECASE
)
_PERIOD = re.compile(r"(?:(?:giai đoạn|thời kỳ|đến năm|đến|năm|vào năm|trong năm|period|by|in)\s+)?"
                     r"((?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)", re.IGNORECASE)
_QUESTION_TAIL = re.compile(r"\s*(?:là bao nhiêu|bao nhiêu|là gì|như thế nào|thế nào|ra sao|nào|gì)?\s*[?.!]*\s*$",
                            re.IGNORECASE)
_FILLER = frozenset(
    "con thi sao the nao ra sao nhu vay nhi a nua and what how about so the a an of is are was were "
    "la bao nhieu gi nao do ay nay kia cai for in about on".split()
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
    """Rewrite an elliptical follow-up into a standalone question using the earlier turns.

    Each earlier user turn is resolved in order against the one before it, so the last
    resolved turn carries the whole conversation's predicate and entities; the assistant
    turn that followed a question is used to resolve "nhà máy đó" (the one plant it named).

    Args:
        question: the new user turn.
        history: earlier turns, [{"role": "user"|"assistant", "content": str}, ...], oldest first.
    """
    question = normalize_text(question).strip()
    exchanges = _exchanges(history)
    if not exchanges:
        return Rewrite(question, question, False)
    previous, answer = exchanges[0]
    for turn, next_answer in exchanges[1:]:  # earlier follow-ups are resolved in order
        previous, answer = _resolve(turn, previous, answer).question, next_answer
    return _resolve(question, previous, answer)


def _exchanges(history: Sequence[Mapping[str, str]]) -> list[tuple[str, str]]:
    """(user turn, the assistant turn that answered it or "") pairs, oldest first."""
    pairs: list[tuple[str, str]] = []
    for turn in history:
        content = normalize_text(str(turn.get("content", ""))).strip()
        if not content:
            continue
        if turn.get("role") == "user":
            pairs.append((content, ""))
        elif turn.get("role") == "assistant" and pairs and not pairs[-1][1]:
            pairs[-1] = (pairs[-1][0], content)
    return pairs


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
    if _ANAPHORA_VI.search(question) or _ANAPHORA.search(fold(question)) or _REFERENCE.search(fold(question)):
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


def _resolve(question: str, previous: str, answer: str = "") -> Rewrite:
    """Make `question` standalone given the previous (already standalone) question and the
    assistant's answer to it."""
    if not is_elliptical(question, previous):
        return _carry_places(question, previous)
    resolved = resolve_references(question, previous, answer)
    core = _core(resolved)
    places = provinces_in(core)
    periods = [m.group(1) for m in _PERIOD.finditer(core)]
    if not _content_words(core) and (places or periods):
        return Rewrite(_substitute_slots(previous, core, places, periods), core, True)
    item = asked_item(previous)
    if item and not asks(core) and not _points_back(core):
        # A bare noun phrase ("Còn đá các loại?") replaces what the previous question asked about.
        start, end = item
        standalone = previous[:start] + _as_inner_phrase(_strip_places_and_periods(core, True, True)) + previous[end:]
        standalone = _substitute_slots(standalone, core, places, periods)
        return Rewrite(standalone, core, standalone != question)
    context = _QUESTION_TAIL.sub("", previous).strip()
    context = _strip_places_and_periods(context, places=bool(places), periods=bool(periods))
    standalone = f"{core.rstrip(' ?')} ({context})?" if context else resolved
    return Rewrite(standalone, core, standalone != question)


def _substitute_slots(text: str, core: str, places: list[str], periods: list[str]) -> str:
    """`text` with its places and years replaced by those of the new turn (appended in
    brackets when `text` has none to replace)."""
    if places:
        if provinces_in(text):
            text = _replace_places(text, places, core)
        else:
            text = f"{text.rstrip(' ?')} ({', '.join(_display_place(core, p) for p in places)})?"
    if periods:
        if re.search(r"(?:19|20)\d{2}", text):
            text = _replace_periods(text, periods)
        else:
            text = f"{text.rstrip(' ?')} ({', '.join(periods)})?"
    return text


def _carry_places(question: str, previous: str) -> Rewrite:
    """A turn with a predicate of its own but no place: the conversation's place applies
    ("Đến năm 2030 chỉ số sản xuất công nghiệp tăng bao nhiêu?" after a question on Long An)."""
    if provinces_in(question) or doc_numbers_in(question) or not provinces_in(previous):
        return Rewrite(question, question, False)
    places = ", ".join(_display_place(previous, p) for p in provinces_in(previous))
    return Rewrite(f"{question.rstrip(' ?.')} ({places})?", question, True)


# Nouns that a demonstrative turns into a reference ("nhà máy đó", "khu công nghiệp này"),
# longest first so that "khu công nghiệp" wins over "khu".
_CLASSIFIERS = sorted(
    ("khu cong nghiep", "cum cong nghiep", "nha may", "du an", "de an", "nghi quyet", "van ban", "doanh nghiep",
     "cong ty", "san pham", "chuong trinh", "ke hoach", "khu", "cum", "tinh", "huyen", "giai phap", "nhiem vu"),
    key=len, reverse=True,
)
_DEMONSTRATIVE = r"(?:do|nay|ay|kia|noi tren|ke tren|vua neu|tren(?=\s*(?:[,?.!]|$|thi|co|duoc|o|nam|la|se|da)))"
_REFERENCE = re.compile(
    r"(?<!\w)(?P<plural>(?:cac|nhung|may|hai|ba|bon)\s+)?(?P<cls>" + "|".join(_CLASSIFIERS) + r")\s+"
    + _DEMONSTRATIVE + r"(?!\w)"
)


def resolve_references(question: str, previous: str, answer: str = "") -> str:
    """Replace "<noun> đó/này/ấy/trên" by what it points to: the one item of that noun the
    previous answer named ("nhà máy đó" -> "nhà máy Thủy điện Yên Sơn"), all of them for a
    plural ("mấy nhà máy đó"), or the previous question's province ("tỉnh này"). A reference
    that cannot be resolved is left as typed.

    Args:
        question: the new user turn.
        previous: the previous user question, already standalone.
        answer: the assistant's answer to `previous`.
    """
    folded = fold(question)
    out, cursor = [], 0
    for match in _REFERENCE.finditer(folded):
        cls = match.group("cls")
        if cls == "tinh":
            places = provinces_in(previous)
            names = [_display_place(previous, p) for p in places[:1]] if len(places) == 1 else []
        else:
            names = named_items(answer, cls)
        plural = bool(match.group("plural"))
        if re.search(r"(?<!\w)ngoai\s[^,]*$", folded[:match.start()]):
            continue  # "Ngoài mấy nhà máy đó, còn ...": what is excluded is not searched for
        if not names or (len(names) > 1 and not plural):
            continue
        head = question[match.start("cls"):match.end("cls")]
        if cls == "tinh":
            replacement = f"{head} {names[0]}"
        else:
            replacement = f"{head} " + _join([n for n in names])
        out.append(question[cursor:match.start()] + (question[match.start():match.start("cls")] if plural else ""))
        out.append(replacement)
        cursor = match.end()
    out.append(question[cursor:])
    return "".join(out)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


_CAPITALIZED_RUN = re.compile(r"(?:[^\W\d_][\w-]*|\d[\w-]*)")


def named_items(text: str, noun: str) -> list[str]:
    """Names that follow `noun` (folded) in `text`, in order, without repeats:
    "Nhà máy Thủy điện Sông Lô 8B, Nhà máy Thủy điện Yên Sơn" with "nha may" ->
    ["Thủy điện Sông Lô 8B", "Thủy điện Yên Sơn"]. A name runs from the noun to the next
    comma, "và" or bracket and must hold a capitalized word; lowercase words after its last
    capitalized word or number are not part of it."""
    if not text:
        return []
    normalized = normalize_text(text)
    folded = fold(normalized)
    names: list[str] = []
    for match in re.finditer(r"(?<!\w)" + r"\s+".join(noun.split()) + r"(?!\w)", folded):
        segment = re.split(r"[,;:.()\[\]?!\n]|\s(?:và|and)\s", normalized[match.end():], maxsplit=1)[0]
        words = segment.split()[:8]
        while words and not (words[-1][:1].isupper() or words[-1][:1].isdigit()):
            words.pop()
        # "Nhà máy thủy điện Sông Lô 9": a common noun may precede the capitalized name.
        if any(w[:1].isupper() for w in words[:3]):
            names.append(" ".join(words))
    return list(dict.fromkeys(names))


# Where the item a question asks about stands: after "bao nhiêu"/"mấy" ("sản xuất được bao
# nhiêu clinker"), or before "nào" after a plural marker ("những dự án thủy điện nào") or at
# the start ("Khu công nghiệp nào ...").
_ITEM_AFTER = re.compile(r"(?<!\w)(?:bao nhieu|may)\s+")
_ITEM_BEFORE = re.compile(r"(?:(?<!\w)(?:nhung|cac|may)\s+|^)((?:[^\W\d_]+\s+){1,5}?)nao(?!\w)")
# Words that end the item's noun phrase: prepositions, verbs and period words.
_ITEM_STOP = frozenset(
    "của ở tại trong đến vào năm giai đoạn so với theo được đạt là chiếm tăng giảm có đủ sẽ đã mỗi "
    "và hoặc như thì nào gì khi cho từ về".split()
)
# The same words typed without diacritics ("du" is also "dự" in "dự án": only unaccented
# questions are read with these).
_ITEM_STOP_FOLDED = frozenset(fold(w) for w in _ITEM_STOP)


def _is_item_stop(word: str) -> bool:
    """Whether a (lowercase, normalized) word ends the asked item's noun phrase."""
    return word in _ITEM_STOP or (fold_diacritics(word) == word and word in _ITEM_STOP_FOLDED)


def asked_item(question: str) -> tuple[int, int] | None:
    """Character span of the noun phrase a question asks about, or None:
    "Năm 2021 Lạng Sơn sản xuất được bao nhiêu clinker?" -> the span of "clinker"."""
    folded = fold(question)
    lower = normalize_text(question).lower()  # same offsets as `folded`
    match = _ITEM_AFTER.search(folded)
    if match:
        start = end = match.end()
        for word in re.finditer(r"[^\W_]+|[,.;:?!()]", lower[start:]):
            text = word.group(0)
            if _is_item_stop(text) or not text.isalpha() or _starts_with_place(folded[start + word.start():]):
                break
            end = start + word.end()
        if end > start:
            return start, end
    match = _ITEM_BEFORE.search(folded)
    if match:
        words = lower[match.start(1):match.end(1)].split()
        if words and not any(_is_item_stop(w) for w in words) and not provinces_in(match.group(1)):
            return match.start(1), match.start(1) + len(match.group(1).rstrip())
    return None


_ASKS = re.compile(r"(?<!\w)(?:nào|gì|bao nhiêu|mấy|đâu|ai|bao giờ|sao|thế nào|ra sao|không|chưa|là|có|"
                   r"what|which|who|whom|where|when|why|how|is|are|does|do|did)(?!\w)", re.IGNORECASE)
_ASKS_FOLDED = re.compile(r"(?<!\w)(?:nao|gi|bao nhieu|dau|ai|bao gio|sao|the nao|ra sao|khong|chua|la|co|"
                          r"what|which|who|where|when|why|how|is|are|does|did)(?!\w)")


def _starts_with_place(folded: str) -> bool:
    places = provinces_in(folded[:40])
    return bool(places) and folded.startswith(places[0])


def asks(text: str) -> bool:
    """Whether a turn carries its own question word or verb (else it is a bare noun phrase
    that stands in for something of the previous question)."""
    normalized = normalize_text(text).lower()
    accented = fold_diacritics(normalized) != normalized
    return bool((_ASKS if accented else _ASKS_FOLDED).search(normalized if accented else fold(normalized)))


def _points_back(text: str) -> bool:
    return bool(_ANAPHORA_VI.search(text) or _ANAPHORA.search(fold(text)))


def _as_inner_phrase(phrase: str) -> str:
    """A noun phrase typed as a sentence ("Than sạch") placed inside another one ("than sạch"),
    unless it starts with a name ("Nhà máy Thủy điện Tuyên Quang" keeps its capitals)."""
    words = phrase.split()
    if len(words) >= 2 and words[0][:1].isupper() and not words[1][:1].isupper():
        return phrase[0].lower() + phrase[1:]
    return phrase

