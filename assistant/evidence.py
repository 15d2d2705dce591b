"""Evidence selection: split retrieved passages into sentences and clauses, read the question,
score each unit against it, and decide whether the evidence supports an answer.

Everything here is pure (no index, no model): the Assistant passes hits, vectors and corpus
facts in, so each step can be tested with plain lists.

A *unit* is the smallest span that can be quoted on its own: a clause of a sentence split at
";" (list items), or a whole sentence, or a bullet line. Its *lead-in* is the text of the same
sentence before the clause up to a colon ("Giai đoạn 2026 – 2030:"), which often carries the
period and subject a clause needs to be read correctly.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from assistant.glossary import load_abbreviations, load_glossary, load_synonyms
from assistant.records import Hit
from assistant.lexical import AFTER_YEAR, REFERENCE_YEAR
from index.chunking import SIGNATURE_SECTION
from index.normalize import fold_diacritics, normalize_text

# --------------------------------------------------------------------------- text units

# A sentence ends at . ! ? … followed by spaces and a capital, digit, bullet or quote; or at a
# line break. "21.000" and "45/NQ-TU" never match (no space after the dot).
_SENTENCE_END = re.compile(r"(?<=[.!?…])[ \t]+(?=[\"“(\-–•*\d\w])|\n+")
_CLAUSE_SEP = re.compile(r";\s*")
_BULLET = re.compile(r"^\s*(?:[-–•*+]|\(?\d{1,2}[).]|[a-zđ][).])\s+")
_ENUM = re.compile(r"\(\d{1,2}\)")


@dataclass(frozen=True)
class Unit:
    """A quotable span of a retrieved passage, with the context that gives it meaning.

    Offsets are in the source document: `document_text[start:end] == text`.
    """

    hit: Hit
    start: int
    end: int
    text: str
    sentence_start: int  # document offset of the sentence holding the unit
    sentence_end: int
    lead_in: str = ""  # sentence text before the clause, from its last colon (may be "")
    context: str = ""  # earlier text of the passage the unit continues ("Trong đó, ..."), may be ""
    index: int = 0  # position of the unit in its passage

    @property
    def sentence(self) -> str:
        """The whole sentence the unit belongs to."""
        return _slice(self.hit, self.sentence_start, self.sentence_end)

    @property
    def is_clause(self) -> bool:
        return (self.start, self.end) != (self.sentence_start, self.sentence_end)


def _slice(hit: Hit, start: int, end: int) -> str:
    return hit.text[start - hit.start:end - hit.start]


_LEADING_BULLET = re.compile(r"[-–•*+]\s+")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of text[start:end] without surrounding spaces, a leading bullet ("- ") and
    trailing separators."""
    while start < end and text[start] in " \t\n\u00a0|":
        start += 1
    bullet = _LEADING_BULLET.match(text, start, end)
    if bullet:
        start = bullet.end()
    while end > start and text[end - 1] in " \t\n\u00a0;|":
        end -= 1
    return start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences (and lines) of a passage, trimmed, empty ones dropped."""
    spans, begin = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group(0)[0] != "\n" and text[match.end()].islower():
            # "các khu, cụm công nghiệp như ..., Phúc Ứng,... cơ bản đáp ứng": an ellipsis
            # that closes an enumeration, and the sentence goes on; a sentence opens with a capital.
            continue
        spans.append(_trimmed(text, begin, match.start()))
        begin = match.end()
    spans.append(_trimmed(text, begin, len(text)))
    return [(s, e) for s, e in spans if e - s >= 2 and any(ch.isalnum() for ch in text[s:e])]


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of the sentence text[start:end], split at ";" (the list separator)."""
    out, begin = [], start
    for match in _CLAUSE_SEP.finditer(text, start, end):
        out.append(_trimmed(text, begin, match.start()))
        begin = match.end()
    out.append(_trimmed(text, begin, end))
    return [(s, e) for s, e in out if e > s and any(ch.isalnum() for ch in text[s:e])]


def _lead_in(text: str, sentence_start: int, clause_start: int) -> str:
    """The sentence head before a clause that ends with a colon ("Giai đoạn 2026 – 2030:")."""
    head = text[sentence_start:clause_start]
    colon = head.rfind(":")
    if colon < 0:
        return ""
    # From the previous colon (or the sentence start) to this colon: the nearest header only.
    previous = head.rfind(":", 0, colon)
    return head[previous + 1:colon + 1].strip() if previous >= 0 else head[:colon + 1].strip()


_CONTINUATION = re.compile(
    r"^(?:trong đó|theo đó|cụ thể|đồng thời|bên cạnh đó|ngoài ra|tuy nhiên|vì vậy|do đó|cùng với đó|như vậy)\b",
    re.IGNORECASE,
)


def continues_previous(sentence: str) -> bool:
    """Whether a sentence opens by carrying on the previous one ("Trong đó, ...")."""
    return _CONTINUATION.match(sentence) is not None


def split_units(hit: Hit, before: str = "") -> list[Unit]:
    """The quotable units of a passage, in text order.

    Every sentence gives one unit per ";"-clause (a sentence without ";" is one unit).
    A sentence that continues the previous one ("Trong đó, ...") keeps that one as context.

    Args:
        hit: a retrieved passage (its `start` is the document offset of its text).
        before: the sentence before the passage in its document, context of a passage that
            opens "Theo đó, ..." ("" when unknown).
    """
    text = hit.text
    units: list[Unit] = []
    previous_sentence = before
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        context = previous_sentence if _CONTINUATION.match(sentence) else ""
        for cs, ce in clause_spans(text, s, e):
            units.append(Unit(
                hit=hit, start=hit.start + cs, end=hit.start + ce, text=text[cs:ce],
                sentence_start=hit.start + s, sentence_end=hit.start + e,
                lead_in=_lead_in(text, s, cs), context=context, index=len(units),
            ))
        previous_sentence = sentence
    return units


def is_list_sentence(sentence: str) -> bool:
    """A sentence that enumerates: ";"-items, numbered items (1) (2), or a colon then commas."""
    if len(_ENUM.findall(sentence)) >= 2 or sentence.count(";") >= 2:
        return True
    colon = sentence.find(":")
    if colon >= 0 and (sentence.count(";", colon) >= 1 or sentence.count(",", colon) >= 2):
        return True
    # Items in parentheses or after "như"/"gồm": "các ngành công nghiệp hỗ trợ chủ lực
    # (dệt - may, da - giày, cơ khí chế tạo)", "... chủ lực như dệt - may, da - giày, ...".
    if any(inner.count(",") >= 2 for inner in re.findall(r"\(([^()]*)\)", sentence)):
        return True
    introducer = _ITEMS_FOLLOW.search(sentence)
    if introducer is not None and sentence.count(",", introducer.end()) >= 2:
        return True
    # Short items joined "A, B và C": "rác thải đô thị, chất thải rắn và sinh khối".
    return _SHORT_ITEMS.search(sentence) is not None


_SHORT_ITEMS = re.compile(r"(?:(?<=[\s(])|^)(?:[^\W\d_]+ ){0,3}[^\W\d_]+(?:, (?:[^\W\d_]+ ){0,3}[^\W\d_]+)+ và "
                          r"(?:[^\W\d_]+ ){0,3}[^\W\d_]+(?=[\s.,;)]|$)")


# Words after which a sentence names items ("như", "gồm", "bao gồm"), not "cũng như", "như vậy".
_ITEMS_FOLLOW = re.compile(r"(?<!cũng )\b(?:như|gồm)\b(?!\s+(?:vậy|thế|sau|trên))", re.IGNORECASE)


# --------------------------------------------------------------------------- terms

_SYLLABLE = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
_YEAR = re.compile(r"(?<![\d.,/])((?:19|20)\d{2})(?![\d.,/]?\d)")
# Syllables that carry no topic in a question (folded). Years and numbers are handled apart.
# Syllables that carry no topic in a question. Vietnamese ones are matched with their
# diacritics: folded, "đất" (land) and "đạt" (reach), "đầu tư" and "đâu", "trọng" and "trong"
# would be the same word. Text typed without any diacritics uses only the folded forms that
# cannot be a topic word.
_STOP_VI = frozenset(
    """
    là của và các những có được trong cho với về theo để đến từ thì này đó ấy kia nào gì sao thế như
    một bao nhiêu mấy đâu khi lúc ra ai hãy biết xin vậy còn ở tại trên dưới sau trước nhất rất cũng
    đã đang sẽ cần phải muốn năm giai đoạn đạt tỉnh
    """.split()
)
_STOP_FOLDED = frozenset(
    """
    la cua va cac nhung duoc cho voi ve theo de thi nay nao gi sao the nhu mot bao nhieu may khi ra ai
    hay biet xin vay con o tai tren duoi sau truoc nhat rat cung da dang se can phai muon nam giai doan tinh
    """.split()
)
_STOP_EN = frozenset(
    """
    what which who whom whose when where why how many much does did do is are was were the a an of
    in on at to for by with from and or its it this that these those be been as there their has have
    had will would should can could according per than about into s compare
    """.split()
)
_STOP = _STOP_FOLDED | _STOP_EN  # folded forms, for callers that only have folded words


# Generic words of the domain: present in almost every passage, so weighted by IDF anyway;
# listed so that they never count as the "topic" a question needs covered.
_GENERIC = frozenset(
    "cong nghiep phat trien tinh nghi quyet industrial industry province resolution development".split()
)


def fold(text: str) -> str:
    """Lowercase, normalized, diacritic-free text ("Lạng Sơn" -> "lang son")."""
    return fold_diacritics(normalize_text(text).lower())


def syllables(text: str) -> list[str]:
    """Folded syllables of a text, in order."""
    return _SYLLABLE.findall(fold(text))


def terms(text: str) -> set[str]:
    """Folded content syllables and adjacent-syllable bigrams ("ty+trong") of a text."""
    lower = _SYLLABLE.findall(normalize_text(text).lower())
    words = [fold_diacritics(w) for w in lower]
    accented = any(f != w for f, w in zip(words, lower))
    stop = [
        (w in _STOP_VI or f in _STOP_EN) if accented else (f in _STOP_FOLDED or f in _STOP_EN)
        for w, f in zip(lower, words)
    ]
    out = {f for f, is_stop in zip(words, stop) if not is_stop and not f.isdigit()}
    out |= {f"{a}+{b}" for a, b, sa, sb in zip(words, words[1:], stop, stop[1:]) if not (sa and sb)}
    return out


def numbers(text: str) -> list[str]:
    """Numbers as written ("21.000", "01/9/2021", "4,1"), citation markers excluded."""
    return _NUMBER.findall(re.sub(r"\[\d+\]", " ", text))


def years(text: str) -> list[str]:
    """Four-digit years 1900-2099 mentioned in a text ("2021-2025" gives both)."""
    return _YEAR.findall(normalize_text(text))


# "tăng trưởng ... so với năm 2020": a report's baseline is the year before the one it reports.
_BASELINE_YEAR = re.compile(r"(?i)\bso với\s+(?:kết quả\s+)?(?:của\s+)?năm\s+((?:19|20)\d{2})(?!\d)")


def passage_years(unit: Unit) -> set[str]:
    """The year a report is about, for a unit whose own words, lead-in and section name
    none, when its passage names no year before it but a baseline ("Tuy nhiên, dù có mức
    tăng trưởng sản lượng so với năm 2020, ..."): the year after the baseline. Empty when
    the passage names a year of its own (the unit is then outside that year's sentences)."""
    before = normalize_text(_slice(unit.hit, unit.hit.start, unit.sentence_start) + " " + unit.sentence)
    if years(REFERENCE_YEAR.sub(" ", before)):
        return set()
    return {str(int(m.group(1)) + 1) for m in _BASELINE_YEAR.finditer(before)}


def number_occurs(number: str, source: str) -> bool:
    """Whether `number` occurs whole in `source` ("1" is not in "10", "000" not in "136.000")."""
    pattern = rf"(?<!\d)(?<!\d[.,/]){re.escape(number)}(?!\d)(?![.,/]\d)"
    return re.search(pattern, source) is not None


def unsupported_numbers(answer: str, sources: Iterable[str]) -> list[str]:
    """Numbers of an answer that none of the sources contains (markers "[n]" ignored)."""
    sources = [normalize_text(s) for s in sources]
    return [n for n in numbers(normalize_text(answer)) if not any(number_occurs(n, s) for s in sources)]


@dataclass(frozen=True)
class TermStats:
    """Document frequencies of terms over the corpus units, for IDF weights."""

    df: Mapping[str, int]
    n: int

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "TermStats":
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            df.update(terms(text))
            n += 1
        return cls(dict(df), n)

    def idf(self, term: str) -> float:
        """Smoothed IDF; unknown terms get the IDF of a term seen once."""
        return math.log(1.0 + (self.n + 1) / (self.df.get(term, 0) + 1))

    def knows(self, term: str) -> bool:
        return term in self.df


# --------------------------------------------------------------------------- the question

# Vietnam's provinces and centrally-run cities (folded), to notice a question about a place
# the corpus does not cover. Older names still used in documents are included.
PROVINCES = tuple(
    """
    An Giang|Ba Ria Vung Tau|Bac Giang|Bac Kan|Bac Lieu|Bac Ninh|Ben Tre|Binh Dinh|Binh Duong|Binh Phuoc|
    Binh Thuan|Ca Mau|Can Tho|Cao Bang|Da Nang|Dak Lak|Dak Nong|Dien Bien|Dong Nai|Dong Thap|Gia Lai|
    Ha Giang|Ha Nam|Ha Noi|Ha Tinh|Hai Duong|Hai Phong|Hau Giang|Hoa Binh|Hung Yen|Khanh Hoa|Kien Giang|
    Kon Tum|Lai Chau|Lam Dong|Lang Son|Lao Cai|Long An|Nam Dinh|Nghe An|Ninh Binh|Ninh Thuan|Phu Tho|
    Phu Yen|Quang Binh|Quang Nam|Quang Ngai|Quang Ninh|Quang Tri|Soc Trang|Son La|Tay Ninh|Thai Binh|
    Thai Nguyen|Thanh Hoa|Thua Thien Hue|Tien Giang|Ho Chi Minh|Tra Vinh|Tuyen Quang|Vinh Long|Vinh Phuc|
    Yen Bai|Hue
    """.replace("\n", "").split("|")
)
_PROVINCE_PATTERNS = [
    (name.strip().lower(), re.compile(r"(?<![\w])" + r"\s+".join(name.strip().lower().split()) + r"(?![\w])"))
    for name in PROVINCES if name.strip()
]
# A document number: "45-NQ/TU", "45/NQ-TU", "121/QĐ-UBND"; or "Nghị quyết (số) 52".
_DOC_NUMBER = re.compile(r"(?<![\w/])(\d{1,4})\s*[-/]\s*(?:nq|qd|kh|ct|tb|nd|tt)\b", re.IGNORECASE)
_RESOLUTION_NUMBER = re.compile(r"(?:nghi quyet|resolution|nq)\s*(?:so|no\.?|number)?\s*(\d{1,4})(?![\d.,])")

# What a "how much" question asks for: (pattern of the folded question, pattern of an answer
# figure in lowercased text with diacritics). Answer patterns need a digit before the unit, so
# "hạ tầng" is not an area in hectares and "đồng bộ" is not money.
_FIGURE = r"\d[\d.,]*\s*"
QUANTITY_KINDS: dict[str, tuple[str, str]] = {
    # "Đại hội lần thứ mấy", "khóa mấy": a rank, often a Roman numeral ("lần thứ XVII").
    "ordinal": (r"\b(?:thu|khoa) may\b|\bwhich (?:congress|term|session|tenure)\b",
                r"\b(?:lần thứ|thứ|khóa|khoá|nhiệm kỳ)\s+(?:[ivxlc]+|\d+)\b"),
    # "miễn thuế bao nhiêu năm", "mấy năm": a duration, not any figure ("bao nhiêu năm 2025"
    # asks a figure of that year).
    # "mấy năm trước/qua/gần đây" is "the last few years", a time frame, not the ask.
    "duration": ((r"\b(?:bao nhieu|may) nam\b(?!\s*(?:19|20)\d{2})(?!\s+(?:truoc|qua|gan day|vua qua|sau do|toi))"
                  r"|how many years"), _FIGURE + r"năm\b"),
    # A sum in a foreign currency ("bao nhiêu triệu USD"): a sum in đồng does not answer it.
    "foreign money": (r"\busd\b|\bdo la\b|\bdollars?\b|\$|\beuro?s?\b",
                      _FIGURE + r"(?:tỷ|triệu|nghìn|ngàn)?\s*(?:usd|đô la|đôla|\$|euro)"),
    "money": ((r"\bvon\b|kinh phi|ngan sach|so tien|bao nhieu tien\b|ty dong|trieu dong|usd|capital|budget|funding|"
               r"\bcost|vnd|\bprice|tariff"),
              _FIGURE + r"(?:tỷ|triệu|nghìn|ngàn)?\s*(?:đồng|usd|vnd)\b"),
    "power": (r"\bmw\b|megawatt|cong suat|capacity", _FIGURE + r"(?:mw|kw|kwh|megawatt)\b"),
    "area": (r"dien tich|hecta|\bm2\b|km2|\barea\b|hectare", _FIGURE + r"(?:ha|hecta|m2|km2)\b"),
    "visitors": (r"luot khach|du khach|tourist|visitor", _FIGURE + r"lượt"),
    "workers": (r"bao nhieu (?:nguoi|lao dong)|so lao dong|how many (?:\w+ )?(?:workers|people|employees|labou?rers)",
                _FIGURE + r"(?:lao động|người)"),
    "tonnes": (r"\btan\b|tonne|\bton\b", _FIGURE + r"tấn"),
    "energy": (r"\bkwh\b|dien (?:thuong pham|san xuat)", _FIGURE + r"kwh"),
    "volume": (r"\bm3\b|cubic", _FIGURE + r"m3"),
    "percent": (r"ty (?:trong|le)|ti (?:trong|le)|phan tram|percent|share|\brate\b|toc do|growth|%",
                _FIGURE + r"%|phần trăm"),
}
_HOW_MUCH = re.compile(
    r"bao nhieu|how (?:much|many|large|big)|what (?:\w+ ){0,3}(?:share|percentage|proportion|rate|amount|growth|"
    r"target|value|output|volume|figure|number|price|tariff|cost|area|size|capacity)|muc nao|"
    r"(?<!nha )\bmay\b(?! moc| mac| bay| tinh| thiet bi)|\bin (?:hectares|tonnes|tons|kwh|mw|percent)\b"
)
# A question asking for the day ("ban hành ngày nào", "on what exact date"), not a year or
# a period: the evidence must write a day (see answer.admissible).
_DAY_ASK = re.compile(r"\bngay (?:nao|thang nam nao|bao nhieu)\b|\bwhat (?:exact )?(?:date|day)\b|\bwhich (?:date|day)\b"
                      # "... có số hiệu và ngày ban hành là gì?": the day it was issued
                      r"|\bngay ban hanh (?:la|vao)?\s*(?:gi|nao|khi nao|bao gio)\b")
# A question asking for a document's number ("có số hiệu là gì", "what is its document number").
_NUMBER_ASK = re.compile(r"\bso hieu\b|\b(?:document|reference|resolution|decision) number\b")
# A question asking which document ("làm theo văn bản nào", "which resolution"): best answered
# by a sentence naming one by its number, else by what names it otherwise (answer.select).
_DOCUMENT_ASK = re.compile(r"\b(?:van ban|nghi quyet|quyet dinh|chi thi) nao\b|\bwhich (?:document|resolution|decision)\b")
# The words before a district's, commune's or town's name.
_PLACE_WORDS = "huyện|xã|thị xã|thành phố|thị trấn|phường"
# A question asking which district or town ("đặt tại huyện nào", "which district").
_PLACE_ASK = re.compile(rf"\b(?:{fold_diacritics(_PLACE_WORDS)}) nao\b|\bwhich (?:district|commune|town|city)\b")
# A place named in a text: a place word or "tại"/"ở" before a capitalized name ("tại Cảng
# quốc tế Long An", "huyện Yên Sơn", "các huyện Hàm Yên, Sơn Dương").
NAMES_PLACE = re.compile(rf"(?<!\w)(?:{_PLACE_WORDS}|tại|ở)\s+(?:các\s+huyện\s+)?[A-ZĐÀ-Ỹ]")
_LIST_ASK = re.compile(
    r"nhung\b.*\b(?:nao|gi)\b|\bcac\b.*\bnao\b|gom (?:nhung )?(?:gi|nao)|nhung (?:gi|noi dung)|ke ten|liet ke|"
    r"what are|which (?:\w+ )*(?:are|were|does|do|did)\b|list\b|what (?:\w+ )*(?:sectors|industries|projects|groups|tasks|areas|zones|products)"
    # "Which key industrial products will ...", "what external factors held back ...": a plural
    # noun right after the question word (up to four words in), not a verb taking an object.
    r"|\b(?:which|what) (?!(?:share|kind|type|rate|number|percentage|proportion|amount)\b)(?:[\w-]+,? ){0,2}"
    r"(?!(?:does|is|was|has|its|this|us|plus|thus|process|business|less)\b)"
    r"[a-z]{3,}[^s\W]s\b(?!,| (?:the|a|an|up|out)\b)"  # "which committee advises the ...": a verb
)
# "Ba giải pháp ... là gì?", "6 nhóm nhiệm vụ gồm những gì": a counted set of items.
_COUNT_ASK = re.compile(
    r"(?<!\w)(?:hai|ba|bon|sau|bay|tam|chin|muoi|\d{1,2}) (?:nhom )?(?:giai phap|nhiem vu|muc tieu|quan diem|"
    r"noi dung|dot pha|chuong trinh|linh vuc|nganh|khau dot pha)\b.*\b(?:la gi|gom|nhung gi|nao)\b"
)
# What kind of answer a question word asks for, and the words such an answer tends to carry
# (question pattern on folded text, answer pattern on lowercased text with diacritics).
ANSWER_CUES: dict[str, tuple[str, str]] = {
    "why": (r"vi sao|tai sao|\bwhy\b|ly do|nguyen nhan|de lam gi|nham muc dich",
            # "vì vậy", "vì thế" (therefore) introduce a consequence, not a reason.
            r"\bđể\b|\bdo\b|\bvì\b(?!\s+(?:vậy|thế))|nhằm|nguyên nhân|lý do|bởi"),
    "where": (r"o dau|tai dau|\bwhere\b|huyen nao|noi nao|dia diem|nam o",
              r"\btại\b|\bở\b|huyện|thành phố|thị xã|khu vực|\bxã\b"),
    "who": (r"\bai\b|\bwho\b|co quan nao|don vi nao|which (?:body|agency|organ)",
            # Agencies, and the other actors the documents give roles to.
            (r"\bsở\b|\bban\b|ủy ban|ubnd|văn phòng|hội đồng|\bbà\b|\bông\b|đảng đoàn|ban cán sự|mặt trận|tỉnh ủy|"
             r"doanh nghiệp|nhà đầu tư|tập đoàn|hợp tác xã|lực lượng")),
    "when": (r"khi nao|ngay nao|thoi gian nao|luc nao|\bwhen\b|what date",
             r"\d{1,2}/\d{1,2}|\bngày\b|\bsau khi\b|\btrước khi\b|\btháng\b"),
}

# "Phó Giám đốc" is not "Giám đốc": a role asked without "phó" needs a match without it.
_ROLES = ("giam doc", "chu tich", "bi thu", "truong ban", "truong phong", "director", "chairman", "secretary")


@dataclass(frozen=True)
class Question:
    """What the answerer reads from a question (all terms folded)."""

    text: str
    terms: frozenset[str]
    focus: frozenset[str]  # terms of the part that matters most (a follow-up's new words)
    provinces: tuple[str, ...]  # folded province names mentioned
    years: tuple[str, ...]
    doc_numbers: tuple[str, ...]  # leading numbers of document numbers mentioned ("45")
    quantity: str | None  # a QUANTITY_KINDS key, "number" for an unqualified "bao nhiêu", or None
    asks_day: bool
    is_list: bool
    is_compare: bool
    roles: tuple[str, ...] = ()  # role titles asked without "phó" in a "who" question
    english: bool = False
    cue: str | None = None
    words: frozenset[str] = frozenset()  # terms the question itself uses (no glossary additions)
    # Syllables naming what a "bao nhiêu <unit> <thing>" question measures ("than sạch" in
    # "bao nhiêu tấn than sạch"), with glossary renderings; an answer must name one of them.
    measured: frozenset[str] = frozenset()
    measured_words: tuple[str, ...] = ()  # the measured thing's own syllables (measured_words)
    # The question asks for a proper name (of a company, an investor, a plant): an answer
    # must name one that the question does not already give.
    asks_name: str | None = None  # "name" (tên là gì), "business" (which investor), or None
    # What a question opening with a figure ("Mức lương ... là bao nhiêu?") measures
    # (subject_item); an answer must name it.
    subject: frozenset[str] = frozenset()
    # Proper names the question gives that the corpus also names (folded, "na duong 2"):
    # the evidence must come from a passage naming them (see asked_names).
    names: tuple[str, ...] = ()
    asks_signer: bool = False  # "Ai ký Nghị quyết?": the answer is the signature block
    # A follow-up turn that points back at what was just said ("Việc đó được làm khi nào?"):
    # the units of the previous answer are favoured (Weights.recall).
    points_back: bool = False
    # "Văn bản ... có số hiệu là gì?": the evidence must write a document number.
    asks_number: bool = False
    asks_document: bool = False  # which document: a number preferred, not required
    # Per everyday phrase of the question the synonym table knows: its terms, and the terms
    # of each of the documents' wordings of it ("khai khoáng" for "khai thác mỏ").
    wordings: Wordings = ()
    # "... đặt tại huyện nào?": the evidence must name a place, not "tại những nơi phù hợp".
    asks_place: bool = False
    # Folded spellings of the one agency whose task is asked (answer.agency_asked): only a
    # sentence naming it can say what it must do.
    agency: tuple[str, ...] = ()
    # Counts the question gives of the things it asks about, folded ("4 cụm công nghiệp ...
    # nằm ở huyện nào?" -> ("4", "cum cong nghiep")): they say which things; evidence must give
    # the same count of them (see counted).
    counts: tuple[tuple[str, str], ...] = ()


# Domain glossary: words a question may use for what the documents say otherwise (English,
# abbreviations, everyday Vietnamese). Keys and values are folded; each key found in a
# question adds the value's terms to the question's terms. General vocabulary of provincial
# industry planning, not phrases of particular questions.
GLOSSARY: dict[str, str] = {
    "grdp": "tong san pham tren dia ban",
    "gdp": "tong san pham",
    "fdi": "dau tu nuoc ngoai",
    "nha dau tu ngoai": "dau tu nuoc ngoai",
    "nguoi lam viec": "lao dong",
    "nuoc sach": "nuoc may",
    "tap water": "nuoc may",
    "cong nhan": "lao dong",
    "industry": "cong nghiep",
    "industrial": "cong nghiep",
    "manufacturing": "che bien che tao",
    "processing": "che bien",
    "growth": "tang truong tang binh quan toc do",
    "grow": "tang",
    "average": "binh quan",
    "annual": "nam",
    "share": "ty trong",
    "proportion": "ty trong ty le",
    "target": "muc tieu phan dau dat",
    "goal": "muc tieu",
    "objective": "muc tieu",
    "workers": "lao dong",
    "labour": "lao dong",
    "labor": "lao dong",
    "workforce": "lao dong",
    "trained": "qua dao tao",
    "training": "dao tao",
    "hydropower": "thuy dien",
    "hydroelectric": "thuy dien",
    "power plant": "nha may dien",
    "thermal power": "nhiet dien",
    "wind power": "dien gio",
    "solar": "dien mat troi",
    "biomass": "sinh khoi",
    "electricity": "dien",
    "renewable": "nang luong tai tao",
    "energy": "nang luong",
    "industrial park": "khu cong nghiep",
    "industrial zone": "khu cong nghiep",
    "industrial cluster": "cum cong nghiep",
    "cluster": "cum",
    "occupancy": "ty le lap day",
    "fill rate": "ty le lap day",
    "resolution": "nghi quyet",
    "province": "tinh",
    "provincial": "tinh",
    "party committee": "tinh uy",
    "standing committee": "ban thuong vu",
    "people's committee": "uy ban nhan dan ubnd",
    "peoples committee": "uy ban nhan dan ubnd",
    "department of industry and trade": "so cong thuong",
    "inspection": "kiem tra",
    "inspecting": "kiem tra",
    "supervising": "giam sat",
    "supervision": "giam sat",
    "monitoring": "theo doi",
    "investment": "dau tu",
    "investors": "nha dau tu",
    "attract": "thu hut",
    "projects": "du an",
    "project": "du an",
    "capital": "von",
    "billion": "ty",
    "million": "trieu",
    "output": "gia tri san xuat san luong",
    "production": "san xuat",
    "value": "gia tri",
    "export": "xuat khau",
    "textile": "det may",
    "garment": "det may",
    "footwear": "da giay",
    "leather": "da giay",
    "mining": "khai khoang khoang san",
    "minerals": "khoang san",
    "mineral": "khoang san",
    "steel": "gang thep",
    "paper": "giay",
    "pharmaceutical": "duoc pham",
    "electronics": "dien tu",
    "supporting industry": "cong nghiep ho tro phu tro",
    "supporting industries": "cong nghiep ho tro phu tro",
    "handicraft": "tieu thu cong nghiep",
    "craft village": "lang nghe",
    "scheme": "de an",
    "plan": "ke hoach quy hoach",
    "planning": "quy hoach",
    "stop": "dung",
    "stopped": "dung",
    "experts": "chuyen gia",
    "artisans": "nghe nhan",
    "skilled": "tay nghe cao",
    "policies": "chinh sach",
    "policy": "chinh sach",
    "infrastructure": "ha tang",
    "land": "dat dai quy dat",
    "tasks": "nhiem vu",
    "solutions": "giai phap",
    "weaknesses": "ton tai han che",
    "limitations": "han che",
    "sectors": "nganh",
    "sector": "nganh",
    "science and technology": "khoa hoc cong nghe",
    "technology": "cong nghe",
    "enterprises": "doanh nghiep",
    "businesses": "doanh nghiep",
    "companies": "doanh nghiep",
    "district": "huyen",
    "logistics": "logistic",
    "water": "nuoc",
    "cement": "xi mang",
    "coal": "than",
    "stone": "da cac loai",
    "timber": "go",
    "wood": "go",
    "date": "ngay",
    "issued": "ban hanh",
}
_GLOSSARY_PATTERNS = [(re.compile(rf"(?<![\w]){re.escape(k)}(?![\w])"), v) for k, v in GLOSSARY.items()]


def expand(folded_question: str) -> str:
    """Glossary renderings of the question's words, joined (folded), or ""."""
    return " ".join(v for pattern, v in _GLOSSARY_PATTERNS if pattern.search(folded_question))


def _synonym_renderings(folded_phrase: str) -> str:
    """The documents' wordings of an everyday phrase (assistant.glossary synonyms), folded; ""
    without the table."""
    try:
        return fold(" ".join(load_synonyms().expand(folded_phrase).vietnamese))
    except (OSError, ValueError):  # a missing or malformed table: read the question without it
        return ""


Wordings = tuple[tuple[frozenset[str], tuple[frozenset[str], ...]], ...]


def synonym_groups(folded_text: str) -> Wordings:
    """For each everyday phrase of a text the synonym table knows: its terms and the terms of
    each of the documents' wordings of it; () without the table."""
    try:
        return tuple((frozenset(terms(phrase)), tuple(frozenset(terms(r)) for r in renderings))
                     for phrase, renderings in load_synonyms().found(folded_text))
    except (OSError, ValueError):  # a missing or malformed table: read the question without it
        return ()


def translate_english(text: str) -> str:
    """Vietnamese renderings (folded) of the English phrases of a question that the domain
    glossary (assistant.glossary, shared with retrieval) knows, joined; "" without it."""
    try:
        return fold(" ".join(load_glossary().translate(text).vietnamese))
    except (OSError, ValueError):  # a missing or malformed glossary file: answer without it
        return ""


def spelled_out(text: str) -> str:
    """The other spelling (folded) of the administrative abbreviations of a question ("HĐND"
    -> "hoi dong nhan dan"; assistant.glossary abbreviations, shared with retrieval), joined;
    "" without the table."""
    try:
        return fold(" ".join(load_abbreviations().expand(text).vietnamese))
    except (OSError, ValueError):  # a missing or malformed table: read the question without it
        return ""


def display_name(text: str, folded_name: str) -> str:
    """A folded name as `text` spells it ("cao bang" in "... Cao Bằng ..." -> "Cao Bằng")."""
    normalized = normalize_text(text)
    match = re.search(r"(?<![\w])" + r"\s+".join(folded_name.split()) + r"(?![\w])", fold(normalized))
    # fold() keeps one character per character of NFC text, so offsets carry over.
    return normalized[match.start():match.end()] if match else folded_name.title()


def _blank(text: str, folded: str, patterns: Sequence[str]) -> str:
    """`text` with the spans where `folded` (its folded form, same length) matches any of
    the patterns replaced by spaces."""
    chars = list(text)
    for pattern in patterns:
        for m in re.finditer(rf"(?<![\w]){pattern}(?![\w])", folded):
            chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


def provinces_in(text: str) -> list[str]:
    """Folded province names mentioned in a text, in order of appearance, without repeats."""
    folded = fold(text)
    found = []
    for name, pattern in _PROVINCE_PATTERNS:
        match = pattern.search(folded)
        if match:
            found.append((match.start(), name))
    # "Bac Giang" inside "Bac Giang" only; drop a name inside a longer one ("hue" in "thua thien hue").
    names = [n for _, n in sorted(found)]
    return [n for n in names if not any(n != m and n in m for m in names)]


def years_by_place(text: str, places: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Years a comparison question attaches to each place: those written between the place
    and the next place ("Tuyên Quang for 2021-2025 and Long An to 2030"); a place with none
    gets the years written outside every place's stretch ("đến 2025 của Lạng Sơn và ...")."""
    folded = fold(text)
    positions = sorted(
        (m.start(), name) for name in places
        for m in [re.search(r"(?<![\w])" + r"\s+".join(name.split()) + r"(?![\w])", folded)] if m
    )
    own: dict[str, tuple[str, ...]] = {}
    inside: set[str] = set()
    for i, (start, name) in enumerate(positions):
        end = positions[i + 1][0] if i + 1 < len(positions) else len(folded)
        found = tuple(dict.fromkeys(years(folded[start:end])))
        own[name] = found
        inside |= set(found)
    shared = tuple(y for y in dict.fromkeys(years(folded)) if y not in inside)
    return {name: own.get(name) or shared for name in places}


def doc_numbers_in(text: str) -> list[str]:
    """Leading numbers of the document numbers a text mentions ("45-NQ/TU" -> "45")."""
    folded = fold(text)
    found = [m.group(1) for m in _DOC_NUMBER.finditer(folded)]
    found += [m.group(1) for m in _RESOLUTION_NUMBER.finditer(folded)]
    return list(dict.fromkeys(n.lstrip("0") or "0" for n in found))


def quantity_kind(folded_question: str) -> str | None:
    """What kind of figure a question asks for (a QUANTITY_KINDS key, "number"), or None."""
    asks = list(_HOW_MUCH.finditer(folded_question))
    if not asks:
        return None
    if len(asks) == 1 and asks[0].group(0) == "may" and not folded_question[:asks[0].start()].strip(" ,") \
            and _LIST_ASK.search(folded_question):
        # "Mấy huyện phía Bắc được ưu tiên những ngành nào?": an opening "mấy" is "the few",
        # the question asks for the list.
        return None
    for kind, (asked, _) in QUANTITY_KINDS.items():
        if re.search(asked, folded_question):
            if kind != "percent" and _GROWTH_ASK.search(folded_question) and not _UNIT_NAMED.search(folded_question):
                # "sản lượng điện tăng mỗi năm ở mức nào": a growth, given as a rate or an
                # amount; the measured thing ("điện sản xuất") does not fix the unit.
                return "number"
            return kind
    return "number"


# A question about how much something grows ("tăng bao nhiêu", "tăng mỗi năm ở mức nào").
_GROWTH_ASK = re.compile(r"\btang\b(?!\s+cuong)|\bgrowth\b|\bgrow\b|\bincrease\b")
# A unit written in the question fixes the figure's kind even for a growth.
_UNIT_NAMED = re.compile(r"\b(?:kwh|mw|kw|tan|m3|ha|hecta|ty dong|trieu dong|usd|luot|tonnes?|hectares?)\b")


def has_quantity(kind: str | None, text: str) -> bool:
    """Whether a text carries a figure of the asked kind."""
    if kind is None:
        return True
    if kind == "number":
        # "ít nhất một cụm" has no digit but answers "bao nhiêu cụm". A year alone is not
        # the figure asked for ("kế hoạch phát triển công nghiệp 2022 ...").
        text = _NOT_FIGURES.sub(" ", normalize_text(text))
        return bool(_NUMBER.search(_YEAR.sub(" ", text))) or bool(re.search(_NUMBER_WORDS, text.lower()))
    return re.search(QUANTITY_KINDS[kind][1], normalize_text(text).lower()) is not None


# Digits that are not a figure of anything: a day ("ngày 01/9/2021"), a document's number
# ("Nghị quyết số 45-NQ/TU", "Quyết định số 1617"), a name holding a digit ("Seshin VN2",
# "Sông Lô 8B", "Covid-19") and the numbering of an item ("5- Ủy ban ...", "(1)Tăng cường").
_NOT_FIGURES = re.compile(
    r"(?<![\w/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\w/])"
    r"|(?<![\w/])\d{1,5}\s*[-/]\s*(?:NQ|QĐ|QD|KH|CT|TB|NĐ|ND|TT|UBND|TU|HĐND)(?:[-/][\wĐđ]+)*"
    r"|(?i:\b(?:số|số hiệu|no\.?)\s+)\d+"
    r"|(?<!\w)[A-ZĐ][^\W\d_]*-?\d+[^\W\d_]*|(?<![\w.,])\d+[A-Z](?!\w)"
    r"|^\s*\(?\d{1,2}[-.)](?!\d)\s*|\(\d{1,2}\)"
)


# "năm" is left out: as "year" ("các năm tiếp theo") it is far more common than as "five".
_NUMBER_WORDS = r"\b(?:một|hai|ba|bốn|sáu|bảy|tám|chín|mười|trăm|nghìn|triệu|tỷ)\s+\w"


def _not_tonnes(lower: str) -> str:
    """`lower` with the accented words that fold to "tan"/"ton" but are not "tấn" (tonnes)
    set apart ("tốn ít điện" is "costs less power"); unaccented "tan"/"ton" are kept (a
    question typed without diacritics)."""
    return re.sub(r"(?<!\w)t\wn(?!\w)", lambda m: m.group(0) if m.group(0) in ("tấn", "tan", "ton")
                  or fold(m.group(0)) not in ("tan", "ton") else "_", lower)


def question_cue(text: str) -> str | None:
    """The ANSWER_CUES key of what a question asks (why / where / who / when), or None.
    The year word "năm" is set apart first: folded, "mỗi năm ở mức nào" would read as
    "nằm ở" (is located at); so are "lực" and "khí", which folded would make "chủ lực nào",
    "nguồn lực nào" and "khí nào" read as "lúc nào" / "khi nào" (when)."""
    lower = re.sub(r"(?<!\w)năm(?!\w)", "year", normalize_text(text).lower())
    lower = re.sub(r"(?<!\w)(?:lực|khí)(?!\w)", "_", lower)
    folded = fold_diacritics(lower)
    return next((k for k, (asked, _) in ANSWER_CUES.items() if re.search(asked, folded)), None)


# The year a figure is compared with ("tăng bao nhiêu so với năm 2021", "nhiều hơn năm 2020
# bao nhiêu"): the passage gives it as a baseline too ("tăng 45% so với năm 2020"), so it is
# not a year the evidence must be about. Nor is a price base ("theo giá so sánh 2010", "at
# constant 2010 prices"), which is no period to compare either.
ASKED_BASELINE = re.compile(
    r"\bso voi\s+(?:cung ky\s+)?(?:nam\s+)?(?:19|20)\d{2}(?!\d)"
    r"|\bgia so sanh\s+(?:cua\s+)?(?:nam\s+)?(?:19|20)\d{2}(?!\d)|\bconstant\s+(?:19|20)\d{2}\s+prices\b"
    r"|\b(?:nhieu|cao|tang|lon|them) hon\s+(?:so voi\s+)?(?:(?:cung ky\s+)?nam\s+)?(?:19|20)\d{2}(?!\d)"
    r"|\b(?:over|compared (?:with|to)|than(?: in)?|relative to|versus)\s+(?:the year\s+|in\s+)?(?:19|20)\d{2}(?!\d)"
)


def read_question(text: str, focus: str = "") -> Question:
    """Analyze a (standalone) question.

    Args:
        text: the question as searched.
        focus: the part of it that the user actually typed last (a follow-up's new words);
            defaults to the whole question.
    """
    folded = fold(text)
    asks_who = re.search(r"\bai\b|\bwho\b", folded) is not None
    roles = tuple(
        r for r in _ROLES
        if asks_who and re.search(rf"(?<!pho )\b{r}\b", folded) and not re.search(rf"deputy {r}", folded)
    )
    provinces = tuple(provinces_in(text))
    is_compare = len(provinces) >= 2
    # "máy" (machine, "nhà máy") folds to "may" like "mấy" (how many): told apart before folding.
    # Likewise "tốn" (costs), "tồn", "tân" fold to "ton"/"tan" like "tấn" (tonnes).
    quantity = quantity_kind(fold(re.sub(r"\bmáy\b", "machine", _not_tonnes(normalize_text(text).lower()))))
    if quantity is None and is_compare:  # "So sánh tỷ trọng ...": a figure per side
        quantity = next((k for k, (asked, _) in QUANTITY_KINDS.items() if re.search(asked, folded)), None)
    # Places are checked apart (constraints), so they do not count as topic words.
    topical = _blank(normalize_text(text).lower(), folded, [re.escape(name) for name in provinces])
    # Instructions, not topic.
    topical = _blank(topical, fold(topical), [r"so sanh", r"cho biet", r"hay neu"])
    # "Ngoài dạy nghề cho người dân trong tỉnh, Tuyên Quang còn ...": what is set aside is not
    # what is asked.
    topical = _blank(topical, fold(topical), [r"^\s*(?:ngoai|besides|apart from)\s[^,?]*,"])
    extra = f"{expand(folded)} {spelled_out(text)}".strip()
    if is_english(text):
        extra = f"{extra} {translate_english(text)}"
    focus_folded = normalize_text(focus).lower() if focus else topical
    return Question(
        text=text,
        terms=frozenset(terms(f"{topical} {extra}")),
        focus=frozenset(terms(f"{focus_folded} {expand(fold(focus_folded))}")) if focus else frozenset(terms(f"{topical} {extra}")),
        provinces=provinces,
        years=tuple(dict.fromkeys(years(AFTER_YEAR.sub(" ", ASKED_BASELINE.sub(" ", folded))))),
        doc_numbers=tuple(doc_numbers_in(text)),
        quantity=quantity,
        asks_day=bool(_DAY_ASK.search(folded)),
        asks_number=bool(_NUMBER_ASK.search(folded)),
        asks_document=bool(_DOCUMENT_ASK.search(folded)),
        wordings=() if is_english(text) else synonym_groups(fold(topical)),
        asks_place=bool(_PLACE_ASK.search(folded)),
        is_list=bool(_LIST_ASK.search(folded) or _COUNT_ASK.search(folded)),
        is_compare=is_compare,
        roles=roles,
        asks_signer=asks_signer(text),
        english=is_english(text),
        cue=question_cue(text),
        words=frozenset(terms(topical)),
        measured=measured_item(folded),
        measured_words=measured_words(folded),
        asks_name="business" if _BUSINESS_ASK.search(folded) else "name" if _NAME_ASK.search(folded) else None,
        subject=subject_item(text),
        counts=tuple(dict.fromkeys((str(int(m.group(1))), m.group(2)) for m in _COUNTED.finditer(folded))),
    )


# "4 cụm công nghiệp", "ít nhất 05 dự án": a count of the things a question asks about (not a
# year, a share, a sum or a document number). Things, not items of a list: "3 giải pháp ...
# gồm những gì?" is answered by "Thứ nhất, ... Thứ hai, ...", which never writes the count.
_COUNTED_THINGS = r"cum cong nghiep|khu cong nghiep|khu|cum|du an|doanh nghiep|nha may|co so|cong ty|lang nghe"
_COUNTED = re.compile(r"(?<![\w.,/-])(\d{1,3})\s+(" + _COUNTED_THINGS + r")(?!\w)")


def counted(question: "Question", text: str) -> bool:
    """Whether a text agrees with the counts the question gives of the things it asks about:
    it gives no count of them (an enumeration, "Khu công nghiệp A, B và C", need not write its
    length) or gives the same one ("còn 4 cụm công nghiệp ..." for "4 cụm công nghiệp ... nằm ở
    huyện nào?"; not "có 3 cụm công nghiệp đủ điều kiện", which are other clusters). Leading
    zeros do not count ("05")."""
    folded = fold(normalize_text(text))
    for n, noun in question.counts:
        given = {str(int(m.group(1))) for m in _COUNTED.finditer(folded) if m.group(2) == noun}
        if given and n not in given:
            return False
    return True


# Questions whose answer is a proper name (folded): "tên là gì", "what is the name" (any
# named thing), and questions for an investor or contractor, whose answer is a business.
_NAME_ASK = re.compile(r"\bten (?:la )?gi\b|\bco ten\b|\bten cua\b|\bten goi\b|what is (?:the |its )?name|\bnamed\b|\bcalled\b")
_BUSINESS_ASK = re.compile(
    r"(?:chu dau tu|nha dau tu|doanh nghiep|cong ty|tap doan|nha thau)\s+(?:nao|la ai|la gi)\b|"
    r"\b(?:ai|doanh nghiep nao|cong ty nao|tap doan nao|don vi nao) (?:la|lam) (?:chu dau tu|nha dau tu|nha thau)|"
    r"which (?:company|enterprise|investor|firm|developer|contractor)|"
    r"who (?:is|are|was|were) (?:the )?(?:investor|developer|owner|contractor)"
)
# How a business or a person is named in the documents ("Công ty Cổ phần ...", "bà Châu Thị Lệ").
_BUSINESS_NAME = re.compile(
    r"\b(?:công ty|tập đoàn|tổng công ty|doanh nghiệp|hợp tác xã|ông|bà)\s+(?:[\w-]+\s+){0,3}?[A-ZĐÀ-Ỹ]|"
    r"\b(?:tnhh|jsc|corporation|group)\b",
    re.IGNORECASE,
)
# Administrative bodies act in every document; they are not the named thing a question asks for.
_BODIES = frozenset("ubnd hdnd bo so ban uy tinh van dang mat chinh quoc trung hoi".split())


def names_answer(question: "Question", text: str, stats: "TermStats | None" = None) -> bool:
    """Whether a text can answer a question that asks for a name: it names a business or a
    person (investor questions), or has a proper name that the question does not already
    give and that is not an administrative body or a province. With corpus statistics, the
    text must share one of the rarer word pairs of the named thing (IDF at or above their
    median: "chuyên về", not "khu công" of every "khu công nghiệp")."""
    normalized = normalize_text(text)
    if question.asks_name == "business":
        return any(m.group(0)[-1:].isupper() or m.group(0).strip().isalpha() and m.group(0).isupper()
                   for m in _BUSINESS_NAME.finditer(normalized)) or bool(
            re.search(r"\b(?:TNHH|JSC|Corporation|Group)\b", normalized))
    asked = fold(question.text)
    named = named_thing(question.text)
    if named and stats is not None:
        weights = {pair: stats.idf(pair) for pair in named if stats.knows(pair)}
        if weights:
            median = sorted(weights.values())[len(weights) // 2]
            named = frozenset(pair for pair, weight in weights.items() if weight >= median)
    if named and not named & terms(normalized) and not _near_pairs(named, syllables(normalized)):
        return False  # names something, but not the thing asked about
    return any(
        fold(n) not in asked and not provinces_in(n) and fold(n.split()[0]) not in _BODIES
        and not (n.isupper() and expand(fold(n)))  # "GRDP", "FDI": domain terms, not names
        for n in proper_names(normalized)
    )


def _near_pairs(pairs: Iterable[str], words: Sequence[str]) -> bool:
    """Whether the two words of one of `pairs` occur in order with one word at most between
    them: "nhà máy điện" is met by "Nhà máy nhiệt điện". Not for a place ("huyện Yên" is not
    met by "huyện Hàm Yên")."""
    for pair in pairs:
        first, second = pair.split("+", 1)
        if first in _PLACE_TYPES or second in _PLACE_TYPES:
            continue
        if any(w == first and second in words[i + 2:i + 3] for i, w in enumerate(words)):
            return True
    return False


# A district, commune or town named in a question ("huyện Yên Sơn"), with its place word.
_PLACE_NAMED = re.compile(rf"(?<!\w)(?:[Ởở]\s+)?(?:{_PLACE_WORDS})\s+[A-ZĐÀ-Ỹ][^\W\d_]*(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]*){{0,2}}")
# Where the named thing of a "<thing> ... tên là gì" question ends (folded).
_NAME_TAIL = re.compile(r"\s(?:ma|co ten|ten la|ten goi|ten gi|duoc goi|la gi)\b")


def named_thing(question_text: str) -> frozenset[str]:
    """Word pairs of the thing whose name a question asks ("Nhà máy điện sinh khối mà ...
    tên là gì" -> nha+may, may+dien, dien+sinh, sinh+khoi), without domain-generic pairs;
    empty when the question does not open with it. An answer naming something else (a
    cluster in a sentence about a plant) does not answer."""
    folded = fold(question_text)
    if not _NAME_ASK.search(folded) or re.match(r"\s*(?:what|which|who)\b", folded):
        return frozenset()
    # "ở huyện Yên Sơn" says where the thing is, not what it is called.
    chars = list(folded)
    for m in _PLACE_NAMED.finditer(normalize_text(question_text)):
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    folded = "".join(chars)
    tail = _NAME_TAIL.search(folded)
    head = folded[:tail.start()] if tail else ""
    head = _blank(head, head, [re.escape(p) for p in provinces_in(head)])
    pairs = {t for t in terms(head) if "+" in t and not all(w in _GENERIC for w in t.split("+"))}
    return frozenset(pairs)


_NAME_WORD = re.compile(r"[^\W_]+")
# A capitalized word after these is a place, not the name a question asks for.
_PLACE_TYPES = frozenset("huyen xa tinh phuong thi tran thanh pho vung quan".split())


def proper_names(text: str) -> list[str]:
    """Proper names in a text: runs of two or more capitalized words ("Công ty Cổ phần
    Xi măng Đồng Bành", "Sông Lô 9"; a number may end a run) and acronyms ("UBND"), not
    counting a run that is only the sentence's first word, nor places ("huyện Yên Sơn")."""
    normalized = normalize_text(text)
    words = [(m.start(), m.group(0)) for m in _NAME_WORD.finditer(normalized)]
    names, run = [], []

    def close() -> None:
        while run and run[-1][1].isdigit():  # a name may end with a number, not be one
            if len(run) >= 2 and run[-2][1][0].isupper():
                break
            run.pop()
        if run and _opens_sentence(normalized, run[0][0]) and _is_name(run[1:]):
            # The first word of a sentence is capitalized by position: "Theo Sở Công
            # Thương ..." names "Sở Công Thương" ("Sông Lô 9" keeps its first word).
            del run[0]
        if _is_name(run):
            names.append(" ".join(w for _, w in run))
        run.clear()

    for i, (start, word) in enumerate(words):
        previous = fold(words[i - 1][1]) if i else ""
        if run and normalized[run[-1][0] + len(run[-1][1]):start].strip(" -"):
            close()  # a comma or a parenthesis ends a name ("Long An, Đại hội ...")
        if word[0].isupper() and previous not in _PLACE_TYPES or (word.isdigit() and run):
            run.append((start, word))
        else:
            close()
    close()
    return names


# Roman numerals ("khóa XVII", "lần thứ XI") are not acronyms of a name.
_ROMAN = re.compile(r"[IVXLC]+")


def _is_name(run: Sequence[tuple[int, str]]) -> bool:
    """Whether a run of capitalized words is a name: two capitalized words, or an acronym."""
    capitals = [w for _, w in run if not w.isdigit()]
    return len(capitals) >= 2 or any(len(w) >= 2 and w.isupper() and not _ROMAN.fullmatch(w) for w in capitals)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` is the first of a sentence (or of the text)."""
    before = text[:start].rstrip(" \t\"“(")
    return not before or before[-1] in ".!?:;\n…"


_MEASURED = re.compile(r"bao nhieu\s+([^,.;:?!()]*)")
# The same question in English: "how many tonnes of cement ...", "how much tap water ...".
_MEASURED_EN = re.compile(r"how (?:much|many)\s+([^,.;:?!()]*)")
_MEASURE_STOP = frozenset(
    "moi nam thang ngay so voi truoc sau nua khoang tren duoi it nhat hon kem la cua trong tai o de vao "
    "cho duoc da dang se co the nao gi va hoac theo nay do lam di den toi du dat tang giam chiem thuoc hien con".split()  # "bao nhiêu người (đi) làm ...": a worker
)
# English words that end the measured noun phrase (a verb or preposition follows it).
_MEASURE_STOP_EN = frozenset(
    "did does do is are was were will would should can could has have had in on at by for to from per "
    "each every this that these those the a an according than planned".split()
)
_UNIT_WORDS = frozenset(
    "tan m3 khoi vien kwh ha hecta mw kw phan tram ty trieu dong usd nguoi luot lan "
    "tonnes tons tonne ton hectares hectare cubic metres meters percent billion million times "
    "people persons workers employees labourers laborers".split()
)


def measured_item(folded_question: str) -> frozenset[str]:
    """What a "bao nhiêu <unit> <thing>" ("how many <unit> of <thing>") question measures:
    the thing's content syllables (up to the first function word) and their glossary
    renderings; empty when none."""
    return _measured(folded_question)[1]


def measured_words(folded_question: str) -> tuple[str, ...]:
    """The content syllables of measured_item as the question writes them (no renderings)."""
    return _measured(folded_question)[0]


def names_measured(question: Question, text_syllables: set[str]) -> bool:
    """Whether a text names what a "bao nhiêu <thing>" question measures: one of its syllables
    or renderings, and two of its own syllables when it has three or more ("khu kinh tế cửa
    khẩu" is not any "khu"; a rendering counts as one; "cụm xưởng" may be a "cụm công nghiệp")."""
    if not question.measured:
        return True
    found = question.measured & text_syllables
    if not found or question.english:  # English words never occur in the text: one rendering will do
        return bool(found)
    own = set(question.measured_words[:3])  # the head of the noun phrase
    matched = len(own & text_syllables) + (1 if found - set(question.measured_words) else 0)
    return matched >= (2 if len(own) >= 3 else 1)


@lru_cache(maxsize=256)
def _measured(folded_question: str) -> tuple[tuple[str, ...], frozenset[str]]:
    match = _MEASURED.search(folded_question)
    english = match is None
    if english:
        match = _MEASURED_EN.search(folded_question)
    if not match:
        return (), frozenset()
    stop = _MEASURE_STOP_EN if english else _MEASURE_STOP
    words = []
    for word in match.group(1).split()[:5]:
        if word in stop:
            break
        if word == "of" and english:
            continue
        if not any(ch.isdigit() for ch in word):  # "m3", "km2" are units
            words.append(word)
    # "than" is coal in Vietnamese: each language is filtered with its own stop words.
    stopwords = _STOP_EN if english else _STOP_FOLDED
    content = [w for w in words if w not in _UNIT_WORDS and w not in _GENERIC and w not in stopwords]
    if not content and not english and re.match(r"nam\b", match.group(1)):
        # "miễn thuế thu nhập doanh nghiệp (trong) bao nhiêu năm": a duration measures what
        # comes before it; "sau gần 2 năm triển khai" does not answer it.
        # Its own words only: the synonym table's renderings ("ưu đãi đầu tư" for "miễn
        # thuế") hold words every passage has.
        content = [w for w in _before_duration(folded_question[:match.start()])
                   if w not in _GENERIC and w not in stopwords]
        return tuple(content), frozenset(content)
    if not content:
        return (), frozenset()
    phrase = " ".join(words)
    # The TSV glossary renders the thing's words only ("tonnes" would add "tấn", met by any tonnage);
    # a Vietnamese thing also counts in the documents' wording ("giấy tờ" -> "thủ tục hành chính").
    translated = translate_english(" ".join(content)) if english else _synonym_renderings(" ".join(content))
    rendered = [w for w in syllables(f"{expand(phrase)} {translated}") if w not in _GENERIC]
    return tuple(content), frozenset(content) | frozenset(rendered)


# Words between what lasts and "bao nhiêu năm" ("được miễn thuế ... trong bao nhiêu năm").
_DURATION_LINK = frozenset(("trong", "duoc", "la", "thi", "keo", "dai", "mat", "phai", "can", "se", "da", "con", "vong"))


def _before_duration(folded_head: str) -> list[str]:
    """Up to six words of the clause right before a duration ask, link words left out."""
    clause = re.split(r"[,;:?!]", folded_head)[-1].split()
    while clause and clause[-1] in _DURATION_LINK:
        clause.pop()
    return [w for w in clause[-6:] if w not in _DURATION_LINK and not w.isdigit()]


_ENGLISH_MARKERS = frozenset("the of what which who when where why how does did is are was were and to for".split())


def is_english(text: str) -> bool:
    """Whether a question reads as English: several English function words, few accents."""
    words = _SYLLABLE.findall(normalize_text(text).lower())
    markers = sum(1 for w in words if w in _ENGLISH_MARKERS)
    accented = sum(1 for w in words if fold_diacritics(w) != w)
    return markers >= 2 and accented <= max(2, len(words) // 4)


# --------------------------------------------------------------------------- scoring

@dataclass(frozen=True)
class Weights:
    """How unit features combine into one score. Tuned on the dev split (see bench/notes)."""

    dense: float = 1.0  # cosine(question, unit) minus the candidates' median cosine, x10
    lexical: float = 1.0  # IDF-weighted share of the question's terms found in the unit + context
    focus: float = 0.5  # same, for the focus terms only (follow-ups)
    passage: float = 0.3  # the passage's fused retrieval score (0..1)
    rank_decay: float = 0.05  # subtracted per passage rank below the first
    quantity: float = 0.4  # bonus when a "how much" question's unit carries such a figure
    year: float = 0.5  # bonus per question year found in the unit's context; penalty when missing
    # The unit has the words an answer to why/where/who/when carries: what tells an answer
    # from a sentence that only restates the question (0.4 on dev; 0.2-0.6 all within 1 question).
    cue: float = 0.4
    listing: float = 0.3  # a list question and the unit's sentence enumerates
    # A follow-up's unit that the previous answer already gave: penalized when the question
    # asks for something else ("Ngoài mấy nhà máy đó, ..."), favoured when it points back
    # at it ("Việc đó được làm khi nào?").
    repeat: float = 0.6
    recall: float = 0.3


@dataclass(frozen=True)
class Scored:
    """A unit and its score, with the features that made it (for debugging and calibration)."""

    unit: Unit
    score: float
    features: Mapping[str, float] = field(default_factory=dict)

    @property
    def plain(self) -> float:
        """The score without the credit for the documents' wording of the question's phrases:
        that credit orders units, while thresholds and margins stay as calibrated without it."""
        return self.score - self.features.get("wording", 0.0)




def unit_context(unit: Unit) -> str:
    """The unit with what gives it meaning: lead-in, continued sentence and section path."""
    return " ".join(x for x in (unit.hit.section, unit.context, unit.lead_in, unit.text) if x)


def coverage(question_terms: Iterable[str], text_terms: set[str], stats: TermStats) -> float:
    """IDF-weighted share of the question's terms present in a text (0..1)."""
    total = found = 0.0
    for term in question_terms:
        # A term no corpus unit contains cannot tell passages apart (English words, a
        # paraphrase's own vocabulary): counting it would only shrink every unit's share
        # and hand the ranking to the other signals.
        if term in _GENERIC or not stats.knows(term):
            continue
        weight = stats.idf(term) * (0.5 if "+" in term else 1.0)
        total += weight
        if term in text_terms:
            found += weight
    return found / total if total else 0.0


def score_units(
    question: Question,
    units: Sequence[Unit],
    similarities: Sequence[float],
    stats: TermStats,
    weights: Weights = Weights(),
    avoid: str = "",
) -> list[Scored]:
    """Score every unit against the question, best first.

    Args:
        question: read_question() of the standalone question.
        units: candidate units (from the top passages).
        similarities: cosine similarity of the question to each unit (same order).
        stats: corpus term statistics (IDF).
        weights: feature weights.
        avoid: text the user was just given (previous answer of a follow-up); units it
            already contains are penalized ("Ngoài mấy nhà máy đó, ...").
    """
    lowered = normalize_text(question.text).lower()
    excluding = bool(_EXCLUDING.search(lowered))
    # "Trong số đó, cụm nào ...": a part of what was just said, not all of it again.
    narrowing = bool(_NARROWING.match(lowered))
    # "Ngoài mấy nhà máy đó, ...": the things the previous answer named are not the answer.
    excluded = _specific(avoid) if excluding and avoid else frozenset()
    avoid = fold(avoid) if avoid else ""
    if not units:
        return []
    ordered = sorted(similarities)
    median = ordered[len(ordered) // 2]
    cue = _cue_pattern(question) if question.cue else None
    scored = []
    for unit, sim in zip(units, similarities):
        if excluded and _names_only(unit.text, excluded):
            continue  # names only what the user has just been given
        own = terms(unit.text)
        context = terms(unit_context(unit)) | terms(unit.hit.title) | terms(unit.hit.province)
        lexical = 0.6 * coverage(question.terms, own, stats) + 0.4 * coverage(question.terms, context, stats)
        wording = 0.0
        if question.wordings:
            # The question read in the documents' wording of its everyday phrases, each phrase
            # in the wording this unit uses ("khai khoáng" for "khai thác mỏ"): credit, never
            # a cost.
            reading = _reading(question.terms, question.wordings, own | context, stats)
            wording = max(0.0, 0.6 * coverage(reading, own, stats) + 0.4 * coverage(reading, context, stats) - lexical)
        focus = coverage(question.focus, own | terms(unit.lead_in), stats) if question.focus != question.terms else 0.0
        features = {
            "dense": (sim - median) * 10.0,
            "cos": sim,
            "lexical": lexical,
            "focus": focus,
            "passage": unit.hit.score if unit.hit.rank > 0 else 0.0,
            "rank": max(unit.hit.rank - 1, 0),
            "wording": weights.lexical * wording,
        }
        quantity = 0.0
        if question.quantity:
            quantity = 1.0 if has_quantity(question.quantity, unit.text) else -1.0
        features["quantity"] = quantity
        year_score = 0.0
        if question.years and question.cue != "why" and not question.asks_signer:
            # (Not for "Vì sao năm 2021 ... chưa đạt kế hoạch?": the year places the fact to be
            # explained; the sentence that explains it rarely repeats the year, and those that
            # repeat it restate the fact. Nor for "Ai ký Nghị quyết ... giai đoạn 2021 - 2025?",
            # whose years name the document.)
            text_years = set(years(unit.text + " " + unit.lead_in + " " + unit.context + " " + unit.hit.section))
            if not text_years:
                text_years = passage_years(unit)
            year_score = sum(1.0 if y in text_years else -1.0 for y in question.years) / len(question.years)
        features["year"] = year_score
        lower = normalize_text(f"{unit.lead_in} {unit.text}").lower()
        features["cue"] = 1.0 if cue and re.search(cue, lower) else 0.0
        features["listing"] = 1.0 if question.is_list and is_list_sentence(unit.sentence) else 0.0
        overlap = _repeated(unit.text, avoid) if avoid else 0.0
        features["repeat"] = overlap if excluding or narrowing else 0.0
        features["recall"] = overlap if question.points_back and not (excluding or narrowing) else 0.0
        score = (
            weights.dense * features["dense"]
            + weights.lexical * lexical
            + features["wording"]
            + weights.focus * focus
            + weights.passage * features["passage"]
            - weights.rank_decay * features["rank"]
            + weights.quantity * quantity
            + weights.year * year_score
            + weights.cue * features["cue"] * (2.0 if question.cue == "why" else 1.0)
            + weights.listing * features["listing"]
            - weights.repeat * features["repeat"]
            + weights.recall * features["recall"]
        )
        scored.append(Scored(unit, score, features))
    scored.sort(key=lambda s: (-s.score, s.unit.hit.rank or 99, s.unit.start))
    return scored


def _reading(question_terms: frozenset[str], groups: Wordings, found: set[str], stats: TermStats) -> frozenset[str]:
    """The question's terms with each everyday phrase put in the wording that `found` (a
    unit's terms) has most of, when that beats the phrase's own words."""
    reading = set(question_terms)
    for own, alternatives in groups:
        best, best_share = own, None
        for alt in alternatives:
            # Judged on the words the two readings do not share ("phụ trợ" against "hỗ trợ"
            # in "công nghiệp phụ trợ" for "công nghiệp hỗ trợ").
            if not alt - own:
                continue
            share = coverage(alt - own, found, stats)
            base = coverage(own - alt, found, stats) if own - alt else 0.0
            if share > base and (best_share is None or share > best_share):
                best, best_share = alt, share
        if best is not own:
            reading = (reading - own) | best
    return frozenset(reading)


# A why-question about what someone means to do ("Vì sao Lạng Sơn muốn khuyến khích ...") is
# answered by a purpose ("để", "nhằm"); one about what happened ("Vì sao năm 2021 ... không
# đạt ...") by a cause, and "để triển khai" in "đủ điều kiện ... để triển khai" is no cause.
_INTENT_ASKED = re.compile(r"\b(?:muon|dinh|de lam gi|muc dich|chu truong|khuyen khich|uu tien|co vu|dat ra|"
                           r"can|phai|nen|lai (?:chon|dat|xay)|want|aim|intend|purpose)\b")
_CAUSE_WORDS = r"\bdo\b|\bvì\b(?!\s+(?:vậy|thế))|nguyên nhân|lý do|bởi|thực tế cho thấy|sở dĩ"


def _cue_pattern(question: Question) -> str:
    """What the answer to the question's cue (why / where / who / when) carries."""
    if question.cue == "why" and not _INTENT_ASKED.search(fold(question.text)):
        return _CAUSE_WORDS
    return ANSWER_CUES[question.cue][1]


def _specific(text: str) -> frozenset[str]:
    """Folded proper names of two or more words in `text`."""
    return frozenset(fold(n) for n in proper_names(text) if len(n.split()) >= 2)


def _names_only(text: str, names: frozenset[str]) -> bool:
    """Whether `text` names something and every name it gives is among `names`."""
    own = _specific(text)
    return bool(own) and own <= names


# The head word of a body as the documents name it ("UBND tỉnh", "Ban Tuyên giáo Tỉnh ủy",
# "cấp huyện"): questions listing agencies (answer.agency_parts), follow-ups naming one.
AGENCY_HEAD = (r"(?:HĐND|UBND|MTTQ|Hội đồng nhân dân|[ỦU][ỷy] ban|Mặt trận|Văn phòng|Ban|Sở|Đảng đoàn|Đảng ủy|"
               r"Tỉnh ủy|Tỉnh đoàn|Công an|[Cc]ấp (?:huyện|tỉnh|xã))\b")


# A follow-up that asks for something other than what was just said.
# With diacritics: folded "ngoai" is also "ngoại" (foreign).
_EXCLUDING = re.compile(r"\b(?:ngoài|khác|besides|other|apart from|except|else)\b")


_NARROWING = re.compile(r"\s*(?:trong số|among|of (?:these|those|them))\b")


def _repeated(text: str, folded_avoid: str) -> float:
    """Share of a unit's words (3-word shingles) found in an earlier answer (0..1)."""
    words = syllables(text)
    shingles = {" ".join(words[i:i + 3]) for i in range(max(len(words) - 2, 0))}
    if not shingles:
        return 0.0
    return sum(1 for sh in shingles if sh in folded_avoid) / len(shingles)


# --------------------------------------------------------------------------- coverage checks

@dataclass(frozen=True)
class CorpusFacts:
    """What the corpus covers, for questions about things it does not: provinces of the
    indexed documents, document numbers, and every year and number its texts mention."""

    provinces: frozenset[str]  # folded
    doc_numbers: frozenset[str]  # leading numbers of document numbers (metadata and texts)
    years: frozenset[str]
    # Lowercased words with their diacritics ("lượng", not "lương"); empty: not checked.
    vocabulary: frozenset[str] = frozenset()
    # Folded proper names of two or more words that the texts write ("long binh an").
    names: frozenset[str] = frozenset()
    # The documents' texts and titles, folded and joined by newlines (for unknown_names).
    folded_text: str = ""

    @classmethod
    def from_documents(cls, documents: Sequence[tuple[str, Mapping]]) -> "CorpusFacts":
        """Args: documents: (full text, metadata) per indexed document."""
        provinces, numbers_, years_, words, names = set(), set(), set(), set(), set()
        folded = []
        for text, meta in documents:
            folded.append(" ".join(syllables(f"{meta.get('title', '')} {text}")))
            for line in text.splitlines():
                names.update(_specific_names(line))
            if meta.get("province"):
                provinces.add(fold(str(meta["province"])))
            for value in (str(meta.get("number", "")), text):
                numbers_.update(doc_numbers_in(value))
            for value in (text, str(meta.get("title", "")), str(meta.get("date", ""))[:4]):
                years_.update(years(value))
            words.update(_SYLLABLE.findall(normalize_text(f"{meta.get('title', '')} {text}").lower()))
        return cls(frozenset(provinces), frozenset(numbers_), frozenset(years_), frozenset(words),
                   frozenset(names), "\n".join(folded))


# A particular park, cluster, plant, company or project named after its kind: "Khu công nghiệp
# Hòa Phú", "Nhà máy thủy điện Sơn La 2", "Công ty Woodsland". The name runs over capitalized
# words and numbers.
_NAMED_THING = re.compile(
    r"(?<!\w)(?i:khu công nghiệp|khu kinh tế|cụm công nghiệp|nhà máy(?: thủy điện| thuỷ điện| nhiệt điện| điện)?|"
    r"công ty|tập đoàn|dự án|làng nghề|cửa khẩu|khu cong nghiep|khu kinh te|cum cong nghiep|"
    r"nha may(?: thuy dien| nhiet dien| dien)?|cong ty|tap doan|du an|lang nghe|cua khau)\s+([\w-]+(?:\s+[\w-]+){0,5})"
)


def unknown_names(question_text: str, corpus: CorpusFacts) -> list[str]:
    """Names of particular things the question asks about that no document writes ("Khu công
    nghiệp Hòa Phú" when the corpus has none): nothing in the documents is about them, however
    many other words a passage shares. As the question writes them; [] when the corpus texts
    are not known."""
    if not corpus.folded_text:
        return []
    text = normalize_text(question_text)
    found = []
    for match in _NAMED_THING.finditer(text):
        words = []
        # "Nhà máy xi măng Đồng Bành": a few lowercase words of kind may precede the name;
        # "nhà máy nào", "dự án trọng điểm" name nothing.
        for i, word in enumerate(match.group(1).split()):
            if word[:1].isupper() or word[:1].isdigit():
                words.append(word)
            elif words or i >= 3:
                break
        name = " ".join(words)
        if not name:
            continue
        if provinces_in(name):
            continue  # "Khu công nghiệp Tuyên Quang": the province's parks
        if f" {' '.join(syllables(name))} " not in f" {corpus.folded_text} ":
            found.append(name)
    return found


def _specific_names(text: str) -> list[str]:
    """Folded proper names of two or more words in a text that name a particular thing
    ("Long Bình An", "Na Dương 2"): not provinces, administrative bodies or acronyms."""
    return [
        fold(n) for n in proper_names(text)
        if len(n.split()) >= 2 and not n.isupper() and not provinces_in(n) and fold(n.split()[0]) not in _BODIES
    ]


def asked_names(question_text: str, corpus: CorpusFacts) -> tuple[str, ...]:
    """The particular things a question names that the corpus names too ("Tỷ lệ lấp đầy
    của Khu công nghiệp Long Bình An ..." -> "long binh an"). A figure found elsewhere (the
    province's average occupancy) does not answer for them."""
    return tuple(n for n in dict.fromkeys(_specific_names(question_text)) if n in corpus.names)


def lacks_name(question: Question, unit: Unit) -> bool:
    """The question names a particular thing (asked_names) and the unit does not (with its
    lead-in, the sentence it continues and its section): a passage that names it in another
    sentence gives figures of other things."""
    if not question.names:
        return False
    own = " " + " ".join(syllables(f"{unit.hit.section} {unit.context} {unit.lead_in} {unit.text}")) + " "
    return any(f" {name} " not in own for name in question.names)


def uncovered(question: Question, corpus: CorpusFacts) -> str | None:
    """Why the corpus cannot answer the question, before looking at evidence; None if it may.

    A province that no indexed document is about (unless the question also names one that
    is: "Bản Nhùng, Bắc Giang" is a place inside a Lạng Sơn text), a document number that
    appears nowhere, a year that no document mentions.
    """
    foreign = [p for p in question.provinces if p not in corpus.provinces]
    if foreign and not any(p in corpus.provinces for p in question.provinces):
        return "province"
    if any(n not in corpus.doc_numbers for n in question.doc_numbers):
        return "document"
    if any(y not in corpus.years for y in question.years):
        return "year"
    if unknown_names(question.text, corpus):
        return "unknown name"
    return None


# "<measure> <thing> ... là bao nhiêu": the question opens with the figure it asks for
# ("Mức lương bình quân ... là bao nhiêu?", "Tỷ lệ lấp đầy ... đạt bao nhiêu?").
_SUBJECT_ASK = re.compile(r"\b(?:là|đạt|bằng|chiếm|có)\s+(?:bao nhiêu|mấy)\b|\blà\s+(?:mức|con số)\s+nào\b")
# The English form: "What is the average monthly wage of ...": the head noun before "of".
_SUBJECT_ASK_EN = re.compile(r"^what (?:is|was|are|were) the (?:[a-z]+ ){0,2}?([a-z]+) (?:of|in|for)\b")
_MEASURE_NOUN = re.compile(
    r"^(?:các |những )?(?:mức|tỷ lệ|tỉ lệ|tỷ trọng|tỉ trọng|số lượng|sản lượng|lượng|tổng|giá trị|tốc độ|"
    r"chỉ số|quy mô|diện tích|công suất|kinh phí|chi phí|giá)\s+"
)
# What may come before the measure noun: a period, the place and the verb of a target ("Đến
# năm 2025, Long An đặt mục tiêu tỷ lệ lấp đầy ... là bao nhiêu?").
_SUBJECT_LEAD = re.compile(
    r"^(?:(?:đến |trong |vào )?năm \d{4},?\s+|giai đoạn \d{4}\s*[-–]\s*\d{4},?\s+)?(?:tỉnh\s+)?"
    r"(?P<place>(?:[^\W\d_]+\s+){1,3}?)(?:đặt mục tiêu|đặt ra mục tiêu|phấn đấu|dự kiến|muốn|đề ra)\s+(?:đạt\s+)?"
)


# A comparison that opens with its verb ("Hãy so sánh ...").
_COMPARE_LEAD = re.compile(r"^(?:hãy\s+)?so sánh\s+(?:giữa\s+)?")


def subject_item(question_text: str, asked: bool = True) -> frozenset[str]:
    """What a question that opens with a figure measures: the first content word after the
    measure noun ("Mức lương bình quân ... là bao nhiêu?" -> "lương"), lowercased with its
    diacritics ("lương" is not "lượng"); none for a question typed without them. In an
    English question ("What is the average monthly wage of ..."), the glossary renderings
    of the head noun, folded and marked with a leading "=" ("=thu nhap", "=tien luong").
    Empty when the question is not of that form or the word is generic ("công nghiệp").
    Like `measured_item` for "bao nhiêu <thing>", an answer must name it. With asked=False
    the question need not ask "là bao nhiêu" (one side of a comparison: "Sản lượng nước máy
    ... năm 2021 so với năm 2022"), and what is measured is the whole noun phrase after the
    measure noun, generic words left out, as one item of which an answer must name two thirds
    of the words (names_subject): "tỷ lệ lao động qua đào tạo" -> "lao động qua đào tạo", which
    a side giving only its labour count does not answer; "tỷ trọng công nghiệp chế biến, chế
    tạo" -> "chế biến")."""
    text = normalize_text(question_text).strip().lower()
    english = _SUBJECT_ASK_EN.match(text)
    if english:
        return frozenset(f"={fold(v)}" for v in load_glossary().translate(english.group(1)).vietnamese)
    if asked and not _SUBJECT_ASK.search(text):
        return frozenset()
    if fold(text) == text:
        return frozenset()  # folded, "luong" would be both "lương" and "lượng"
    if not asked:
        text = _COMPARE_LEAD.sub("", text)  # "So sánh (mục tiêu) sản lượng điện thương phẩm ..."
        text = re.sub(r"^(?:mục tiêu|chỉ tiêu)\s+", "", text)
    lead = _SUBJECT_LEAD.match(text)
    if lead and fold(lead.group("place")).strip() in provinces_in(lead.group("place")):
        text = text[lead.end():]
    match = _MEASURE_NOUN.match(text)
    if match is None:
        return frozenset()
    if not asked:
        phrase = []
        # The figure's status ("thực tế", "mục tiêu" ...) ends what is measured, as punctuation does.
        head = re.split(r"[,;:?!.()]|\b(?:thực tế|thực hiện|mục tiêu|chỉ tiêu|kế hoạch|dự kiến|đặt ra|đề ra|phấn đấu)\b",
                        text[match.end():])[0]
        for word in head.split():
            if word.isdigit() or word in _STOP_VI or provinces_in(word):
                break
            if fold(word) not in _GENERIC and word not in ("ngành", "lĩnh", "vực"):
                phrase.append(word)
        return frozenset({" ".join(phrase[:6])}) if phrase else frozenset()
    for word in _SYLLABLE.findall(text[match.end():])[:1]:
        if word.isdigit() or word in _STOP_VI or fold(word) in _GENERIC or provinces_in(word):
            return frozenset()
        return frozenset({word})
    return frozenset()


def names_subject(question: "Question", text: str) -> bool:
    """Whether a text names what the question's figure measures (see subject_item)."""
    if not question.subject:
        return True
    words = _SYLLABLE.findall(normalize_text(text).lower())
    folded = " " + " ".join(fold(w) for w in words) + " "
    return any(f" {item[1:]} " in folded if item.startswith("=") else _names_most(item.split(), set(words))
               for item in question.subject)


def _names_most(phrase: Sequence[str], words: set[str]) -> bool:
    """Whether `words` hold at least two thirds of the phrase's words (all of a one- or
    two-word phrase): "tốc độ tăng thêm bình quân giá trị ngành công nghiệp" measures
    "tăng giá trị sản xuất bình quân"; "số lao động" does not measure "lao động qua đào tạo"."""
    return 3 * len(set(phrase) & words) >= 2 * len(set(phrase))


# Letters-only acronyms that are not a topic: administrative bodies, document-number parts,
# Roman numerals are excluded where they are read.
_ACRONYM = re.compile(r"(?<![\w/-])([A-ZĐ]{2,6})(?![\w/-])")


def question_acronyms(question_text: str) -> list[str]:
    """Folded acronyms a question uses as its topic ("FDI", "GRDP"), not administrative
    bodies ("UBND"), parts of a document number ("45-NQ/TU") or Roman numerals."""
    found = []
    for match in _ACRONYM.finditer(normalize_text(question_text)):
        word = match.group(1)
        if _ROMAN.fullmatch(word) or fold(word) in _BODIES or fold(word) in ("hdnd", "ubnd"):
            continue
        found.append(fold(word))
    return list(dict.fromkeys(found))


def lacks_acronym(question: Question, unit: Unit, stats: TermStats) -> bool:
    """The question's topic is an acronym the corpus uses ("FDI"), and neither it nor its
    glossary rendering ("đầu tư nước ngoài") occurs in the unit's passage: the passage is
    about something else. Acronyms the corpus never uses ("CN" for công nghiệp) are not
    checked; the coverage checks deal with them."""
    passage = None
    for acronym in question_acronyms(question.text):
        if not stats.knows(acronym):
            continue
        if passage is None:
            passage = _passage_syllables(unit.hit.title, unit.hit.section, unit.hit.text)
        rendering = expand(acronym)
        if not re.search(rf"\b{acronym}\b", passage) and not (rendering and rendering in passage):
            return True
    return False


@lru_cache(maxsize=64)
def _passage_syllables(title: str, section: str, text: str) -> str:
    """A passage's folded syllables with its title and section, once per passage (every unit
    of a passage asks for the same)."""
    return " ".join(syllables(f"{title} {section} {text}"))


_WHO = r"\b(?:ai|nguoi nao|who)\b"
# "ký" (to sign) folds to "ky" like "kỳ" (period: "nhiệm kỳ", "cùng kỳ") and "kỹ" (skill).
_SIGN_FOLDED = r"(?<!nhiem )(?<!dinh )(?<!cung )(?<!thoi )(?<!hoc )\bky\b(?! nang| thuat| luat| vong)"


def asks_signer(question_text: str) -> bool:
    """Whether a question asks who signed a document ("Ai ký Nghị quyết?", "người ký là
    ai", "who signed")."""
    lower = normalize_text(question_text).lower()
    folded = fold_diacritics(lower)
    if re.search(r"\bwho signed\b|\bsignator(?:y|ies)\b|\bsigner\b|\bsigned by\b", folded):
        return True
    if not re.search(_WHO, folded):
        return False
    if lower != folded:  # typed with diacritics: "ký" itself
        return re.search(r"\bký\b", lower) is not None
    return re.search(_SIGN_FOLDED, folded) is not None


def signs(unit: Unit) -> bool:
    """Whether a unit can say who signed: it names a person, in a document's signature block
    or in a sentence about signing."""
    in_block = unit.hit.section == SIGNATURE_SECTION
    if not in_block and not re.search(r"\bký\b", normalize_text(unit.text).lower()):
        return False
    return any(not name.isupper() for name in proper_names(unit.text))


def role_mismatch(question: Question, text: str) -> bool:
    """The question asks who holds a role ("giám đốc") and the text does not name that role
    (naming only a deputy, "Phó Giám đốc", does not count)."""
    folded = fold(text)
    return any(not re.search(rf"(?<!pho )(?<!deputy )\b{role}\b", folded) for role in question.roles)
