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
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from assistant.evidence import (
    AGENCY_HEAD,
    doc_numbers_in,
    fold,
    is_english,
    provinces_in,
    question_cue,
)
from index.normalize import fold_diacritics, normalize_text

_LEAD = re.compile(
    r"^\s*(?:(?:thế|thê|vậy|vay|the)\s+)?(?:còn|con|and|but|what about|how about|so)\b[\s,]*"
    r"|^\s*(?:thế|vậy)\s+(?=\S)", re.IGNORECASE
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


# A turn with a question word and at least this many topic words asks a question of its own.
OWN_QUESTION_WORDS = 4


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
    trail = _TRAIL.search(core)
    kept = core[:trail.start()].strip(" ,")
    if re.search(r"(?<!\w)(?:thì|thi)\s+\S", kept, re.IGNORECASE) and not re.search(
            r"(?<!\w)(?:thì|thi)(?!\w)", trail.group(0), re.IGNORECASE):
        # "nguồn lực thì huy động thế nào": the question word belongs to the verb after
        # "thì", it is not the "... thì sao?" frame.
        kept = re.sub(r"\s*(?<!\w)(?:vậy|vay|nhỉ|nhi|ạ)?\s*[?.!]*\s*$", "", core).strip(" ,")
    return kept or question.strip(" ?")


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


def _places_of(text: str) -> list[str]:
    """The provinces `text` names, as it spells them."""
    return [_display_place(text, p) for p in provinces_in(text)]


def _display_place(text: str, folded_name: str) -> str:
    """The place as the user wrote it in `text` (diacritics kept)."""
    folded = fold(text)
    match = re.search(r"(?<![\w])" + r"\s+".join(folded_name.split()) + r"(?![\w])", folded)
    # fold() keeps one character per character of NFC text, so offsets carry over.
    return normalize_text(text)[match.start():match.end()] if match else folded_name.title()


def _replace_periods(text: str, new_periods: list[str], core: str = "") -> str:
    """Replace the years or periods of `text` by the new turn's (first by first). The word
    before changes with the kind: a single year takes the place of "giai đoạn 2015-2020" as
    "đến năm 2025" when the turn says "đến 2025", else as "năm 2025"; a range takes the place
    of "(đến) năm 2025" as "giai đoạn 2026-2030"."""
    found = list(re.finditer(r"(?:(?<!\w)(?:giai đoạn|thời kỳ|đến năm|năm)\s+)?"
                             r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?", text, re.IGNORECASE))
    if not found:
        return text
    out, cursor = [], 0
    for i, match in enumerate(found):
        out.append(text[cursor:match.start()])
        new = new_periods[min(i, len(new_periods) - 1)]
        word = re.match(r"(?:(?:giai đoạn|thời kỳ|đến năm|năm)\s+)?", match.group(0), re.IGNORECASE).group(0)
        if word:
            is_range = bool(re.search(r"[-–]", new))
            until = re.search(r"(?<!\w)(?:đến|tới|by|until)\s+(?:năm\s+)?" + re.escape(new), core, re.IGNORECASE)
            if is_range and not re.match(r"(?:giai đoạn|thời kỳ)", word, re.IGNORECASE):
                word = "giai đoạn "
            elif not is_range and re.match(r"(?:giai đoạn|thời kỳ)", word, re.IGNORECASE):
                word = "đến năm " if until else "năm "
            word = word[:1].upper() + word[1:] if match.group(0)[:1].isupper() else word
        out.append(word + new)
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


# "giai đoạn tiếp theo", "năm sau", "the next period": a period counted from the previous
# question's last year or period (folded text; the relative word is "next" or "previous").
_RELATIVE_PERIOD = re.compile(
    r"(?<!\w)(?P<unit>giai doan|thoi ky|nam|period|year)\s+(?P<rel>tiep theo|ke tiep|sau do|sau|toi|truoc do|truoc)(?!\w)"
    r"|(?<!\w)the\s+(?P<rel_en>next|following|previous)\s+(?P<unit_en>period|year)(?!\w)"
)
_YEARS = re.compile(r"((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?")


def resolve_relative_periods(question: str, previous: str) -> str:
    """"Giai đoạn tiếp theo thì sao?" after a question on 2021-2025 -> "Giai đoạn 2026-2030
    thì sao?"; "năm sau" after 2021 -> "năm 2022"; "giai đoạn trước" counts back. A period
    follows the previous one with the same length. Unchanged when the previous question names
    no year of that unit.

    Args:
        question: the new user turn.
        previous: the previous user question, standalone.
    """
    folded = fold(question)
    matches = list(_RELATIVE_PERIOD.finditer(folded))
    years = list(_YEARS.finditer(previous))
    if not matches or not years:
        return question
    out, cursor = [], 0
    for match in matches:
        unit = match.group("unit") or match.group("unit_en")
        forward = (match.group("rel") or match.group("rel_en")) not in ("truoc do", "truoc", "previous")
        ranges = [y for y in years if bool(y.group(2)) == (unit in ("giai doan", "thoi ky", "period"))]
        if not ranges:
            continue
        last = ranges[-1] if forward else ranges[0]
        start = int(last.group(1))
        end = int(last.group(2) or start)
        step = end - start + 1
        first, final = (start + step, end + step) if forward else (start - step, end - step)
        period = f"{first}-{final}" if last.group(2) else str(first)
        word = question[match.start("unit"):match.end("unit")] if match.group("unit") else unit
        out.append(question[cursor:match.start()] + f"{word} {period}")
        cursor = match.end()
    out.append(question[cursor:])
    return "".join(out)


# A turn that only asks why ("Tại sao vậy?", "Vì sao thế?", "Why?", "Nguyên nhân là gì?").
_WHY_ONLY = re.compile(
    r"^\s*(?:(?:thế|vậy|the|vay)\s+)?(?:tại sao|vì sao|tai sao|vi sao|sao vậy|why(?: is that| so)?|"
    r"(?:lý do|nguyên nhân|ly do|nguyen nhan)(?: là gì| la gi| do đâu| do dau)?)(?:\s+(?:vậy|thế|vay|the|ạ|a))?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# A question that opens by asking why ("Vì sao ...", "Tại sao ...", "Why ...").
_WHY_LEAD = re.compile(r"^\s*(?:why|vì sao|tại sao|vi sao|tai sao|vì lý do gì|vi ly do gi)(?!\w)\s*", re.IGNORECASE)
# What a question asks with, to be taken off when it becomes the statement a "why" asks about.
_ASK_WORDS = re.compile(r"\s*(?<!\w)(?:là gì|là bao nhiêu|bao nhiêu|những gì|gì|nào|ra sao|thế nào)(?!\w)", re.IGNORECASE)


def _why(previous: str) -> str:
    """"Tại sao vậy?" after "Ngành công nghiệp Tuyên Quang còn những hạn chế gì?" ->
    "Vì sao ngành công nghiệp Tuyên Quang còn những hạn chế?"; an English question is asked
    why about as it is."""
    if _WHY_LEAD.match(previous):
        return previous
    if is_english(previous):
        return f"Why: {previous.strip()}"
    statement = _ASK_WORDS.sub("", previous.strip().rstrip(" ?.!"))
    return _finish(f"Vì sao {_lower_first(statement)}")


# "Cái thứ hai?" after "Long An có mấy giải pháp ...?": the ordinal of the item asked about.
_NTH = re.compile(r"(?<!\w)(?:cái|điều|ý|mục|cai|dieu|muc)\s+(?=(?:thứ|thu)\s+\w+)", re.IGNORECASE)


def _nth_item(question: str, previous: str) -> str | None:
    """"Cái thứ hai?" after "Long An có mấy giải pháp tái cơ cấu ngành công nghiệp?" ->
    "Giải pháp thứ hai tái cơ cấu ngành công nghiệp của Long An là gì?"; None when the turn
    names no ordinal or the previous question no item."""
    item = asked_item(previous)
    match = _NTH.search(question)
    if not item or not match:
        return None
    ordinal = re.match(r"(?:thứ|thu)\s+\w+", question[match.end():], re.IGNORECASE).group(0)
    words = previous[item[0]:item[1]].split()
    # "nhóm nhiệm vụ": a group noun keeps the two syllables of what it groups.
    size = 3 if fold(words[0]) in ("nhom", "loai") else 2 if " ".join(fold(w) for w in words[:2]) in _CLASSIFIERS else 1
    places = _places_of(previous)
    rest = " ".join(words[size:])
    text = " ".join(x for x in (" ".join(words[:size]), ordinal, rest) if x)
    return _finish(_with_places(f"{text} là gì", places))


# An English turn that asks its own question ("And how many new industrial clusters?").
_ENGLISH_ASK = re.compile(r"^\s*(?:and\s+|but\s+|also\s+)?(?:how|what|which|who|where|when)\b", re.IGNORECASE)


# The document a question is asked of: "theo Nghị quyết 45", "của Nghị quyết số 45-NQ/TU".
_DOCUMENT_ASKED = re.compile(
    r"(?i)(?<!\w)(?:theo|của|trong)\s+((?:nghị quyết|đề án|quyết định|kế hoạch)\s+(?:số\s+)?\d{1,4}(?:[-/][\w/-]+)?)(?!\w)"
)


def _resolve(question: str, previous: str, answer: str = "") -> Rewrite:
    """Make `question` standalone given the previous (already standalone) question and the
    assistant's answer to it; a turn that leans on the previous one is asked of the document
    that one named ("Còn khu, cụm công nghiệp thì chỉ tiêu thế nào?" after "... theo Nghị
    quyết 45?"), unless it names a document or another place of its own."""
    rewrite = _resolve_turn(question, previous, answer)
    asked = _DOCUMENT_ASKED.search(previous)
    if not (asked and rewrite.rewritten and is_elliptical(question, previous)) or doc_numbers_in(rewrite.question) \
            or set(provinces_in(question)) - set(provinces_in(previous)) or is_english(question):
        return rewrite
    return replace(rewrite, question=f"{rewrite.question.rstrip(' ?')} theo {asked.group(1)}?")


def _resolve_turn(question: str, previous: str, answer: str = "") -> Rewrite:
    """`question` made standalone against the previous question (see _resolve)."""
    question = resolve_relative_periods(question, previous)
    nth = _nth_item(question, previous)
    if nth:
        return Rewrite(nth, question, True)
    if _WHY_ONLY.match(question):
        return Rewrite(_why(previous), question, True)
    if _ENGLISH_ASK.match(question) and len(_content_words(question)) >= 3 and not provinces_in(question) \
            and provinces_in(previous):
        # An English question of its own ("And how many new industrial clusters?"): only the
        # conversation's place carries over; the previous topic would pull its own passage.
        places = ", ".join(_places_of(previous))
        core = re.sub(r"^\s*(?:and|but|also)\s+", "", question, flags=re.IGNORECASE).strip().rstrip(" ?")
        return Rewrite(f"{core[:1].upper()}{core[1:]} ({places})?", question, True)
    if not is_elliptical(question, previous):
        return _carry_places(question, previous)
    resolved = resolve_references(question, previous, answer)
    core = _core(resolved)
    places = provinces_in(core)
    periods = [m.group(1) for m in _PERIOD.finditer(core)]
    if not _content_words(core) and (places or periods):
        return Rewrite(_substitute_slots(previous, core, places, periods), core, True)
    item = asked_item(previous)
    noun_phrase = core if not asks(core) else _topic_as_item(core, previous, item)
    if item and noun_phrase and not points_back(noun_phrase):
        # A bare noun phrase ("Còn đá các loại?") replaces what the previous question asked about.
        start, end = item
        inner = _as_inner_phrase(_strip_places_and_periods(noun_phrase, True, True))
        standalone = previous[:start] + inner + previous[end:]
        standalone = _substitute_slots(standalone, core, places, periods)
        return Rewrite(standalone, core, standalone != question)
    if resolved != question and not _REFERENCE.search(fold(resolved)):
        # "Khu công nghiệp đó" became "Khu công nghiệp Long Bình An": the turn now stands alone.
        return Rewrite(_finish(_with_places(core, [] if places else
                                            _places_of(previous))), core, True)
    fluent = topic_rewrite(core, previous, answer) or fluent_rewrite(core, previous, places, periods, answer)
    if fluent:
        return Rewrite(fluent, core, True)
    if _WH.search(core) and len(_content_words(core)) >= OWN_QUESTION_WORDS and not points_back(core):
        # "Còn công nghiệp phụ trợ, chế biến thì đặt ở khu vực nào?": a question of its own;
        # only the conversation's place carries over (the previous topic would pull its own
        # passage; a period the turn does not state would bind the answer to that period).
        old_places = [] if places else _places_of(previous)
        return Rewrite(_finish(_with_places(core, old_places)), core, True)
    item = asked_item(previous)
    bare = re.search(r"(?<!\w)(?:bao nhiêu|mấy)\s*[?]?\s*$", core, re.IGNORECASE)
    if bare and item:
        # "Thế năm 2022 đặt mục tiêu bao nhiêu?" after "... bao nhiêu đá các loại?": the
        # figure asked is of the same thing.
        text = f"{core[:bare.end()].rstrip(' ?')} {previous[item[0]:item[1]]}"
        return Rewrite(_finish(_with_places(text, [] if places else _places_of(previous))), text, True)
    context = _QUESTION_TAIL.sub("", previous).strip()
    # "Vì sao ..." before: the new turn does not ask why.
    context = _WHY_LEAD.sub("", context)
    context = _strip_places_and_periods(context, places=bool(places), periods=bool(periods))
    standalone = f"{core[:1].upper()}{core[1:].rstrip(' ?')} ({context})?" if context else resolved
    return Rewrite(standalone, core, standalone != question)


def _substitute_slots(text: str, core: str, places: list[str], periods: list[str]) -> str:
    """`text` with its places and years replaced by those of the new turn (appended in
    brackets when `text` has none to replace). A document number goes with the place it was
    asked for ("Nghị quyết 45 của Lạng Sơn" -> "Nghị quyết của Tuyên Quang")."""
    if places:
        if provinces_in(text):
            if [p for p in places if p not in provinces_in(text)]:
                text = _DOC_NUMBER_AFTER.sub(r"\1", text)
            text = _replace_places(text, places, core)
        else:
            text = f"{text.rstrip(' ?')} ({', '.join(_display_place(core, p) for p in places)})?"
    if periods:
        if re.search(r"(?:19|20)\d{2}", text):
            text = _replace_periods(text, periods, core)
        else:
            text = f"{text.rstrip(' ?')} ({', '.join(periods)})?"
    return text


_DOC_NUMBER_AFTER = re.compile(
    r"(?i)((?:nghị quyết|nghi quyet|đề án|de an|quyết định|quyet dinh))\s+(?:số\s+|so\s+)?\d+(?:[-/][\w/-]+)?(?!\w)"
)


def _carry_places(question: str, previous: str) -> Rewrite:
    """A turn with a predicate of its own but no place: the conversation's place applies
    ("Đến năm 2030 chỉ số sản xuất công nghiệp tăng bao nhiêu?" after a question on Long An)."""
    if provinces_in(question) or doc_numbers_in(question) or not provinces_in(previous):
        return Rewrite(question, question, False)
    places = _places_of(previous)
    subject = _subject(previous)
    if _VERB.match(normalize_text(question).lower()) and subject:
        return Rewrite(_finish(f"{subject} {_lower_first(question)}"), question, True)
    return Rewrite(_with_places(question.rstrip(" ?.") + "?", places, previous), question, True)


# Nouns that a demonstrative turns into a reference ("nhà máy đó", "khu công nghiệp này"),
# longest first so that "khu công nghiệp" wins over "khu".
_CLASSIFIERS = sorted(
    ("khu cong nghiep", "cum cong nghiep", "nha may", "du an", "de an", "nghi quyet", "van ban", "doanh nghiep",
     "cong ty", "san pham", "chuong trinh", "ke hoach", "khu", "cum", "tinh", "huyen", "giai phap", "nhiem vu",
     "co quan", "vung", "nhom", "chi tieu", "muc tieu", "linh vuc", "nganh", "de xuat", "kien nghi", "chinh sach",
     "quy hoach", "cong trinh"),
    key=len, reverse=True,
)
# Classifiers of things that are described, not named ("đề xuất đó" is the proposal the
# previous question asked about, not a capitalized name in the answer).
_DESCRIBED = frozenset(("de xuat", "kien nghi", "chinh sach", "quy hoach"))
_DEMONSTRATIVE = r"(?:do|nay|ay|kia|noi tren|ke tren|vua neu|tren(?=\s*(?:[,?.!]|$|thi|co|duoc|o|nam|la|se|da)))"
# Words that may stand between a classifier and its demonstrative, describing the thing
# ("nhà máy gang thép đó"): not a question word or a function word ("dự án nào đó" is any).
_DESCRIPTOR = r"(?:\s+(?!(?:nao|gi|khac|cua|o|tai|thi|la|co|se|da|duoc|va|do|nay|ay|kia)(?!\w))[^\W\d_]+)"
_REFERENCE = re.compile(
    r"(?<!\w)(?P<plural>(?:cac|nhung|may|hai|ba|bon)\s+)?(?P<cls>" + "|".join(_CLASSIFIERS) + r")\s+"
    + _DEMONSTRATIVE + r"(?!\w)"
)
# The same, with words describing the thing; resolved only when the answer names one thing
# that holds them (left as typed otherwise, like any reference with more than a classifier).
_DESCRIBED_REFERENCE = re.compile(
    r"(?<!\w)(?P<plural>(?:cac|nhung|may|hai|ba|bon)\s+)?(?P<cls>" + "|".join(_CLASSIFIERS) + r")"
    r"(?P<desc>" + _DESCRIPTOR + r"{0,3}?)\s+" + _DEMONSTRATIVE + r"(?!\w)"
)


def without_references(text: str) -> str:
    """`text` with its references to earlier turns ("sản phẩm này", "mấy nhà máy đó",
    "việc đó") blanked out: what is left is what the user newly asks about.

    Args:
        text: a turn as typed (any case, with or without diacritics).
    """
    normalized = normalize_text(text)
    folded = fold(normalized)  # one character per character, so spans carry over
    chars = list(normalized)
    spans = [m.span() for m in _REFERENCE.finditer(folded)]
    spans += [m.span() for m in re.finditer(r"(?<!\w)(?:viec|dieu)\s+(?:do|nay|ay)(?!\w)", folded)]
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return re.sub(r"\s{2,}", " ", "".join(chars)).strip()


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
    for match in _DESCRIBED_REFERENCE.finditer(folded):
        cls = match.group("cls")
        if cls in _DESCRIBED:
            continue
        if cls == "tinh":
            places = provinces_in(previous)
            names = [_display_place(previous, p) for p in places[:1]] if len(places) == 1 else []
        else:
            names = named_items(answer, cls)
        described = match.group("desc").split()
        if described:
            # "nhà máy gang thép đó": the name the answer gives that holds those words.
            names = [n for n in names if set(described) <= set(fold(n).split())]
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
_ITEM_AFTER = re.compile(r"(?<!\w)(?:bao nhieu|(?<!nha )may)\s+")
_ITEM_BEFORE = re.compile(r"(?:(?<!\w)(?:nhung|cac|may)\s+|^)((?:[^\W\d_]+\s+){1,5}?)nao(?!\w)")
# Words that end the item's noun phrase: prepositions, verbs and period words.
_ITEM_STOP = frozenset(
    "của ở tại trong đến vào năm giai đoạn so với theo được đạt là chiếm tăng giảm có đủ sẽ đã mỗi "
    "và hoặc như thì nào gì khi cho từ về khiến gây dẫn".split()
)
# The same words typed without diacritics ("du" is also "dự" in "dự án": only unaccented
# questions are read with these).
_ITEM_STOP_FOLDED = frozenset(fold(w) for w in _ITEM_STOP)


_ITEM_BEFORE_NOUN = re.compile(
    r"(?<!\w)(?P<item>(?P<cls>" + "|".join(_CLASSIFIERS) + r")(?:\s+[^\W\d_]+){0,3}?)\s+(?:nao|gi)(?!\w)"
)


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
    # "nâng công suất nhà máy thủy điện nào": a known noun opens the item ("máy" in "nhà máy"
    # is not the plural marker "mấy").
    for match in _ITEM_BEFORE_NOUN.finditer(folded):
        words = lower[match.start():match.end("item")].split()
        if not any(_is_item_stop(w) for w in words[len(match.group("cls").split()):]):
            return match.start(), match.end("item")
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


def points_back(text: str) -> bool:
    """Whether a turn refers to what was just said ("đó", "này", "trong số đó", "it")."""
    return bool(_ANAPHORA_VI.search(text) or _ANAPHORA.search(fold(text)))


def _as_inner_phrase(phrase: str) -> str:
    """A noun phrase typed as a sentence ("Than sạch") placed inside another one ("than sạch"),
    unless it starts with a name ("Nhà máy Thủy điện Tuyên Quang" keeps its capitals)."""
    words = phrase.split()
    if len(words) >= 2 and words[0][:1].isupper() and not words[1][:1].isupper():
        return phrase[0].lower() + phrase[1:]
    return phrase



# ---------------------------------------------------------------------------------------
# Fluent rewrites: the elliptical turn becomes one well-formed question, the previous
# question's words moved into it (subject, asked item, place) rather than appended.

# Predicate words that end a question's subject ("Giá trị sản xuất công nghiệp Tuyên Quang
# | đạt bao nhiêu?"). Kept short and unambiguous: "sản xuất" is left out because it is also
# a noun ("giá trị sản xuất").
_VERBS = sorted(
    ("đạt", "là", "chiếm", "tăng", "giảm", "có", "được", "nằm", "thuộc", "thu hút", "đưa ra", "đưa", "xây mới",
     "xây dựng", "nâng", "hình thành", "thành lập", "hoàn thành", "đặt mục tiêu", "đặt", "phấn đấu", "đề nghị", "đề xuất", "cần",
     "phải", "sẽ", "đã", "đang", "dự kiến", "ưu tiên", "giao", "chủ trì", "lo", "làm", "ở", "do"),
    key=len, reverse=True,
)
_VERB = re.compile(r"(?<!\w)(?:" + "|".join(_VERBS) + r")(?!\w)")
# Verbs of intent stay with the subject ("Tuyên Quang đề nghị | nâng công suất ...").
_INTENT = frozenset(("đặt mục tiêu", "phấn đấu", "đề nghị", "đề xuất", "cần", "phải", "sẽ", "dự kiến", "ưu tiên"))
# A verb right after these nouns is part of the noun phrase ("tốc độ tăng", "giá trị đạt").
_NOMINALIZERS = re.compile(r"(?:tốc độ|mức|tỷ lệ|tỉ lệ|giá trị|chỉ số|sản lượng|được)\s*$")
_LEADING_TIME = re.compile(
    r"^\s*(?:(?:hiện nay|hiện|sau khi [^,]*,|(?:giai đoạn|thời kỳ|đến năm|đến|năm|vào năm|trong năm)\s+"
    r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)[\s,]*)+", re.IGNORECASE,
)
_TAIL = re.compile(r"\s*(?:(?:là|có)\s+)?(?:(?<!\w)(?:bao nhiêu|mấy|gì|nào|ai|ở đâu|từ đâu|về đâu|đâu|khi nào|bao giờ|ra sao|thế nào))?"
                   r"\s*[?.!]*\s*$", re.IGNORECASE)
# Nouns that stand for the previous question's whole topic ("sản phẩm này", "việc đó").
_GENERIC = frozenset(("san pham", "viec", "dieu", "chi tieu", "muc tieu", "noi dung", "van de", "linh vuc", "nganh"))


def _verbs(text: str) -> list[re.Match]:
    """Predicate words of `text` (normalized lowercase offsets), nominalized ones left out."""
    lower = normalize_text(text).lower()
    return [m for m in _VERB.finditer(lower) if m.start() > 0 and not _NOMINALIZERS.search(lower[:m.start()])]


def _subject(previous: str, keep_intent: bool = True) -> str:
    """The noun phrase a question is about: its words before the first predicate, without a
    leading time phrase ("Năm 2021 sản lượng nhựa thông của Lạng Sơn đạt bao nhiêu?" ->
    "sản lượng nhựa thông của Lạng Sơn"); a verb of intent is kept when `keep_intent`."""
    text = _LEADING_TIME.sub("", normalize_text(previous)).strip()
    verbs = _verbs(text)
    if not verbs:
        return ""
    first = verbs[0]
    if keep_intent and first.group(0) in _INTENT:
        return text[:first.end()].strip(" ,")
    return text[:first.start()].strip(" ,")


def _lower_first(text: str) -> str:
    words = text.split()
    if words and not (len(words) > 1 and words[1][:1].isupper()) and not words[0].isupper():
        return text[:1].lower() + text[1:]
    return text


def _referent(previous: str) -> str:
    """What "<noun> đó/này" after `previous` points to, as a noun phrase: the asked item with
    the rest of the previous question as its modifier ("Giai đoạn 2015 - 2020 Tuyên Quang thu
    hút được bao nhiêu dự án công nghiệp?" -> "dự án công nghiệp Tuyên Quang thu hút được giai
    đoạn 2015 - 2020"), or the question's subject when it asks for a figure of it."""
    previous = normalize_text(previous).strip()
    item = asked_item(previous)
    if not item:
        return _lower_first(_subject(previous, keep_intent=False))
    start, end = item
    noun = _lower_first(previous[start:end])
    after = _TAIL.sub("", re.sub(r"^\s*(?:nào|gì)(?!\w)", "", previous[end:])).strip(" ,")
    before = re.sub(r"(?:\s*(?<!\w)(?:có|được)?\s*(?:bao nhiêu|mấy|những|các))+\s*$", "", previous[:start])
    before = re.sub(r"(?<!\w)(?:nhung|cac|may)\s*$", "", before).strip(" ,")
    periods = _LEADING_TIME.match(before)
    lead = periods.group(0).strip(" ,") if periods else ""
    lead = "" if re.match(r"(?i)hiện|sau khi", lead) else _lower_first(lead)
    clause = before[periods.end():].strip(" ,") if periods else before
    places = _places_of(previous)
    if not _content_words(re.sub(r"(?<!\w)(?:có|được)$", "", clause)):
        clause = ""  # "Lạng Sơn có bao nhiêu cụm ...": the place becomes "của Lạng Sơn"
    phrase = " ".join(p for p in (noun, after, clause, lead) if p)
    missing = [p for p in places if fold(p) not in fold(phrase)]
    return phrase + (f" của {_join(missing)}" if missing else "")


def _topic_as_item(core: str, previous: str, item: tuple[int, int] | None) -> str:
    """"giải pháp thì có mấy nhóm" after a question on "bao nhiêu nhóm nhiệm vụ": the item
    "nhóm giải pháp" (the asked item's head noun with the new topic), or ""."""
    if not item:
        return ""
    match = re.match(r"^(?P<topic>.+?)\s+(?:thì|thi)\s+(?:(?:có|co)\s+)?(?:mấy|may|bao nhiêu|bao nhieu)\s+(?P<head>[^\s?]+)"
                     r"\s*[?]?\s*$", core, re.IGNORECASE)
    if not match:
        return ""
    head = fold(match.group("head"))
    if fold(previous[item[0]:item[1]]).split()[0] != head:
        return ""
    return f"{match.group('head')} {_lower_first(match.group('topic'))}"


def _with_places(text: str, places: list[str], previous: str = "") -> str:
    """`text` naming the conversation's places: after a bare "tỉnh" ("giờ tỉnh Lạng Sơn làm
    theo ..."), as the subject when it has none ("Giai đoạn 2026-2030 thì Lạng Sơn thu hút
    ..."), else "của <place>" before its predicate."""
    missing = [p for p in places if fold(p) not in fold(text)]
    if not missing:
        return text
    name = _join(missing)
    bare = re.search(r"(?<!\w)tỉnh(?!\s+(?:ủy|uỷ|[A-ZĐÀ-Ỹ]))(?!\w)", text)
    if bare and len(missing) == 1:
        return f"{text[:bare.end()]} {name}{text[bare.end():]}"
    verbs = _verbs(text)
    if fold(text).split()[:1] and _VERB.match(normalize_text(text).lower()):
        return f"{name} {_lower_first(text)}"
    if verbs:
        at = verbs[0].start()
        head = _LEADING_TIME.sub("", text[:at]).strip(" ,")
        head = re.sub(r"(?i)(?:^|\s)(?:thì|thi)$", "", head).strip(" ,")
        if not head:
            return f"{text[:at]}{name} {text[at:]}"
        then = re.search(r"\s(?:thì|thi)\s*$", text[:at], re.IGNORECASE)
        if then:  # "X thì đặt ở đâu" -> "X của Long An thì đặt ở đâu"
            return f"{text[:then.start()]} của {name}{text[then.start():at]}{text[at:]}"
        return f"{text[:at].rstrip()} của {name} {text[at:]}"
    then = re.search(r"\s(?:thì|thi)\s", text, re.IGNORECASE)
    if then:  # "Nguồn lực thì huy động thế nào" -> "Nguồn lực của Tuyên Quang thì ..."
        return f"{text[:then.start()]} của {name}{text[then.start():]}"
    tail = _TAIL.search(text)
    at = tail.start() if tail else len(text)
    return f"{text[:at].rstrip()} của {name}{text[at:]}"


def _finish(text: str) -> str:
    text = re.sub(r"\s+([,?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,")
    text = text.rstrip(" ?.!") + "?"
    return text[:1].upper() + text[1:]


def fluent_rewrite(core: str, previous: str, places: list[str], periods: list[str], answer: str = "") -> str | None:
    """One standalone question from an elliptical turn that has words of its own, or None when
    no pattern applies. In order: a reference ("sản phẩm này", "các dự án đó", "trong số đó")
    is replaced by what it points to; a turn without a subject ("Tăng bình quân mỗi năm bao
    nhiêu?") takes the previous one's; the head noun of the previous asked item is expanded
    ("xây mới nhà máy nào" -> "xây mới nhà máy thủy điện nào"); a short "Kế hoạch năm 2022 là
    bao nhiêu?" takes the previous item. The previous question's place is then added.

    Args:
        core: the new turn without its "còn ..."/"... thì sao" frame, references to names in
            the previous answer already resolved.
        previous: the previous question, standalone.
        places: folded provinces the new turn names.
        periods: years or periods the new turn names.
        answer: the assistant's answer to `previous` (a reference may point into it).
    """
    previous = normalize_text(previous).strip()
    old_places = [] if places else _places_of(previous)
    referent = _referent(previous)
    folded = fold(core)
    match = re.match(r"^\s*trong (?:so )?do\b[\s,]*", folded)
    if match and referent:
        word = core[:match.end()].strip(" ,").rsplit(" ", 1)[0]  # "Trong số" / "Trong"
        return _finish(f"{word} {referent}, {_lower_first(core[match.end():])}")
    reference = _REFERENCE.search(folded) or re.search(r"(?<!\w)(?P<plural>)(?P<cls>viec|dieu)\s+(?:do|nay|ay)(?!\w)", folded)
    if reference and not re.search(r"(?<!\w)ngoai\s[^,]*$", folded[:reference.start()]):
        cls = reference.group("cls")
        plural = core[reference.start():reference.start("cls")]
        replacement = _reference_phrase(cls, previous, answer, referent)
        if replacement:
            missing = [p for p in old_places if fold(p) not in fold(replacement + " " + core)]
            replacement += f" của {_join(missing)}" if missing else ""
            text = core[:reference.start()] + plural + replacement + core[reference.end():]
            return _finish(_with_places(text, old_places))
    item = asked_item(previous)
    item_text = previous[item[0]:item[1]] if item else ""
    text = core
    if item_text and len(item_text.split()) > 1:
        head = " ".join(fold(item_text).split()[:2 if fold(item_text).split()[:2] and
                                                     " ".join(fold(item_text).split()[:2]) in _CLASSIFIERS else 1])
        at = re.search(r"(?<!\w)" + head + r"(?!\w)", folded)
        # "Giải pháp thứ ba": the ordinal picks the item; the item's other words are those of
        # the list's heading ("3 giải pháp tái cơ cấu ...") and would pull the heading instead.
        ordinal = at and re.match(r"\s+thu\s+(?:nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi|\d+)(?!\w)", folded[at.end():])
        if at and ordinal:
            return _finish(_with_places(core, old_places))
        # "dự án nào" takes the previous kind ("dự án thủy điện nào"); "dự án điện nào" names
        # its own.
        own_kind = at and not re.match(r"\s*(?:nao|gi|[?.,]|$)", folded[at.end():])
        if at and fold(item_text) not in folded and not own_kind:
            inner = item_text if at.start() else item_text[:1].upper() + item_text[1:]
            text = core[:at.start()] + (inner if at.start() else inner) + core[at.end():]
            if at.start() == 0 and not core[:1].isupper():
                text = _lower_first(text)
    starts_with_verb = bool(_VERB.match(normalize_text(text).lower()))
    if starts_with_verb:
        subject = _subject(previous)
        if subject:
            return _finish(f"{subject} {_lower_first(text)}")
    if text != core:
        return _finish(_with_places(text, old_places))
    short = re.match(r"^(?P<noun>(?:[^\W\d_]+\s+){0,2}[^\W\d_]+)(?P<period>\s+(?:năm|giai đoạn|đến năm|đến)\s+"
                     r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)?\s+(?P<tail>là bao nhiêu|là gì|bao nhiêu)\s*[?]?\s*$",
                     core, re.IGNORECASE)
    topic = _lower_first(item_text) if item_text else _subject(previous, keep_intent=False)
    if short and topic and not _VERB.search(short.group("noun").lower()):
        text = f"{short.group('noun')} {_lower_first(topic)}{short.group('period') or ''} {short.group('tail')}"
        return _finish(_with_places(text, old_places))
    return None


_WH = re.compile(r"(?<!\w)(?:nào|gì|bao nhiêu|mấy|đâu|ai|bao giờ|khi nào|sao|thế nào|ra sao|nao|gi|bao nhieu|dau)(?!\w)",
                 re.IGNORECASE)


def topic_rewrite(core: str, previous: str, answer: str = "") -> str | None:
    """Turns that swap one noun phrase of the previous question, or None:

    - "X thì ở đâu?" after a question ending in the same words: X replaces the phrase before
      them ("Long An ưu tiên hình thành vùng ... ở đâu?" -> "... hình thành X ở đâu?");
    - a bare phrase with no question word ("Còn tỷ lệ thôn, bản có điện lưới?") after a
      question whose subject sets a target: "Tuyên Quang đặt mục tiêu X là bao nhiêu?";
    - "Ngoài mấy nhà máy đó, còn đề xuất ...": the previous subject is put before "còn",
      and the kind the excluded items share goes with the noun asked about ("Nhà máy Thủy
      điện Sông Lô 7, Nhà máy Thủy điện Yên Sơn" -> "xây mới nhà máy thủy điện nào").

    Args:
        core: the new turn without its "còn ..."/"... thì sao" frame.
        previous: the previous question, standalone.
        answer: the assistant's answer to `previous` (where the excluded items are named).
    """
    previous = normalize_text(previous).strip()
    match = re.match(r"^(?P<topic>.+?)\s+(?:thì|thi)\s+(?P<ask>[^,]+?)\s*[?]?\s*$", core, re.IGNORECASE)
    if match and _WH.search(match.group("ask")):
        ask = fold(match.group("ask"))
        body = previous.rstrip(" ?.!")
        if fold(body).endswith(" " + ask):
            head = body[:len(body) - len(ask)].rstrip()
            verbs = _verbs(head)
            if verbs:
                return _finish(f"{head[:verbs[-1].end()]} {_lower_first(match.group('topic'))} {body[len(head):].strip()}")
    if not _WH.search(core) and not points_back(core):
        # "Còn công nghiệp năng lượng?" after "... tỷ trọng công nghiệp chế biến, chế tạo trong
        # GRDP ...": the phrase opening with the same two syllables is swapped.
        key = " ".join(fold(core).split()[:2])
        old = _phrase_from(previous, key) if len(key.split()) == 2 else ""
        at = previous.find(old) if old else -1
        if at >= 0 and fold(old) != fold(core):
            return _finish(previous[:at] + _as_inner_phrase(core) + previous[at + len(old):])
        subject = _subject(previous)
        verbs = _verbs(subject)
        if subject and verbs and verbs[-1].group(0) in _INTENT:
            tail = "là bao nhiêu" if re.search(r"(?<!\w)bao nhiêu(?!\w)", previous, re.IGNORECASE) else "là gì"
            return _finish(f"{subject} {_lower_first(core)} {tail}")
    match = re.match(r"^(?P<lead>ngoài\s[^,]+,)\s*(?P<rest>(?:còn\s+)?.+)$", core, re.IGNORECASE)
    if match and _VERB.match(re.sub(r"^còn\s+", "", match.group("rest").lower())):
        subject = _subject(previous, keep_intent=False)
        if subject:
            rest = _with_shared_kind(match.group("rest"), match.group("lead"), answer)
            return _finish(f"{match.group('lead')} {subject} {rest}")
    return None


def _with_shared_kind(rest: str, lead: str, answer: str) -> str:
    """`rest` ("còn đề xuất xây mới nhà máy nào") with the lowercase words that every item
    the lead excludes shares after its noun ("Nhà máy Thủy điện Sông Lô 7", "Nhà máy Thủy
    điện Yên Sơn": "thủy điện") put after the same noun before "nào"; `rest` unchanged
    when the items share none or the noun is not asked about."""
    lead_folded = fold(lead)
    for noun in _CLASSIFIERS:
        if not re.search(r"(?<!\w)" + noun + r"(?!\w)", lead_folded):
            continue
        asked = re.search(r"(?<!\w)" + r"\s+".join(noun.split()) + r"(?=\s+nao(?!\w))", fold(rest))
        items = named_items(answer, noun)
        if not asked or len(items) < 2:
            return rest
        shared = []
        for words in zip(*(item.split() for item in items)):
            if len({fold(w) for w in words}) > 1:
                break
            shared.append(words[0].lower())
        # The shared words name a kind ("Thủy điện"), not the start of one name.
        if not shared or len(shared) == min(len(item.split()) for item in items):
            return rest
        return f"{rest[:asked.end()]} {' '.join(shared)}{rest[asked.end():]}"
    return rest


def _phrase_from(text: str, noun: str, stop_at: int | None = None) -> str:
    """The noun phrase of `text` that opens with `noun` (folded), up to a preposition, verb
    of the question, bracket, marker or sentence end: "Đề án phát triển công nghiệp, tiểu thủ
    công nghiệp tỉnh Lạng Sơn đến năm 2025 [1]." -> the whole name; "" when `noun` is absent."""
    normalized = normalize_text(text)
    match = re.search(r"(?<!\w)" + r"\s+".join(noun.split()) + r"(?!\w)", fold(normalized))
    if not match or (stop_at is not None and match.start() >= stop_at):
        return ""
    end = len(normalized) if stop_at is None else stop_at
    segment = re.split(r"[\[\(;.?!\n]", normalized[match.start():end], maxsplit=1)[0]
    words = segment.split()
    keep = len(noun.split())
    for word in words[keep:14]:
        if _is_item_stop(word.lower().strip(",")) or _WH.fullmatch(word.strip(",")):
            break
        keep += 1
    return " ".join(words[:keep]).strip(" ,")


# A body as the documents name it, up to the verb that says what it does.
_BODY = re.compile(
    r"(?<![\w-])" + AGENCY_HEAD + r"(?:\s+(?!(?:chỉ đạo|chủ trì|phối hợp|tham mưu|có|thực hiện|xây dựng|được|làm|"
    r"lãnh đạo|tổ chức|triển khai|nghiên cứu|theo dõi|giám sát)\b)[\w-]+){0,8}"
)


def _reference_phrase(cls: str, previous: str, answer: str, referent: str) -> str:
    """What "<cls> đó/này" stands for, or "" when it cannot be told: the answer's phrase when
    the previous question asked which <cls> ("đề án gì" -> the plan the answer named), the
    previous question's own <cls> phrase ("khu công nghiệp chuyên thu hút đầu tư"), the
    answer's, or the whole previous topic for a generic noun ("sản phẩm này", "việc đó")."""
    if cls in _GENERIC:
        return referent
    if cls in ("co quan", "don vi") and question_cue(previous) == "who":
        # "Còn ai chỉ đạo UBND tỉnh ...?" answered "Ban cán sự đảng UBND tỉnh chỉ đạo ...":
        # "cơ quan đó" is the body the answer names first.
        quoted = re.findall(r"“([^”]*)”", answer)  # not the attribution ("Theo Nghị quyết của Ban ...:")
        body = _BODY.search(" ".join(quoted) or answer)
        if body:
            return body.group(0).strip()
    if cls in _DESCRIBED:  # "đề xuất đó": the previous question's whole proposal, plural markers dropped
        described = _phrase_from(previous, cls)
        described = re.sub(r"(?<!\w)(?:những|các|nhung|cac)\s+", "", described)
        if len(described.split()) > len(cls.split()):
            return _lower_first(described)
    item = asked_item(previous)
    item_text = fold(previous[item[0]:item[1]]) if item else ""
    if item_text == cls and _phrase_from(answer, cls):
        return _phrase_from(answer, cls)
    if referent and fold(referent).startswith(cls):
        return referent
    own = _phrase_from(previous, cls, item[0] if item and fold(previous).find(cls) < item[0] else None)
    if own and len(own.split()) > len(cls.split()):
        return _lower_first(own) if not own[:1].isupper() or len(own.split()) < 2 or not own.split()[1][:1].isupper() else own
    from_answer = _phrase_from(answer, cls)
    if from_answer and len(from_answer.split()) > len(cls.split()):
        return from_answer
    return ""
