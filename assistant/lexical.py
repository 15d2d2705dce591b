"""Lexical retrieval: a Vietnamese analyzer and BM25 indexes (bm25s) over chunks and sentences.

The analyzer turns a text into the terms both the index and the queries use:

- syllables of the normalized (NFC + tone placement), lowercased text, with final "y" after
  a consonant spelled "i" ("tỷ lệ" and "tỉ lệ" both occur in the corpus);
- adjacent syllable pairs inside a clause ("tỉ+trọng"): most Vietnamese words have two
  syllables that are common on their own;
- compound words from underthesea's word segmentation, joined with "_" ("công_nghiệp");
- the diacritic-folded form of each of those ("cong", "cong_nghiep"), so that a query typed
  without diacritics matches accented text, while an accented query matches both forms and
  so still prefers the exact spelling;
- number and code tokens kept whole ("45-nq/tu", "21.000", "01/9/2021") plus canonical
  forms that make spacing and padding variants meet: "13 - 14%" -> "13-14%",
  "01/9/2021" -> "01/09/2021", "21.000" -> "21000".

Segmenting a sentence costs under a millisecond; the analysis of each distinct text is
cached for the process, so re-opening a build re-segments only what changed.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from index.normalize import fold_diacritics, normalize_text

log = logging.getLogger(__name__)

_SYLLABLE = re.compile(r"[^\W_]+")
# A word glued to others by '.', '/', '-' (no spaces) and holding a digit: 45-nq/tu, 21.000,
# 01/9/2021, 2021-2025, covid-19. A trailing % stays attached (50%).
_CODE = re.compile(r"[^\W_]+(?:[./\-–][^\W_]+)+%?|\d+(?:[.,]\d+)?%")
# Numeric ranges written with spaces around the dash: "13 - 14%", "3 - 4", "2021 - 2025".
_RANGE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*[-–]\s*(\d+(?:[.,]\d+)?)(\s*%)?(?![\w])")
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”…\n]+")
# Final "y" after consonants is also written "i" ("tỷ"/"tỉ", "kỹ"/"kĩ", "lý"/"lí"); the corpus
# mixes both. Terms use the "i" spelling ("quý" keeps its y: there "u" is the glide).
_FINAL_Y = re.compile(r"(?<![\w])([bcdđghklmnprstvx]{1,3})([yýỳỷỹỵ])(?![\w])")
_Y_TO_I = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_PERCENT_SPACE = re.compile(r"(\d+(?:[.,]\d+)?)\s+%")  # "50 %" -> "50%"

# Question words and English function words carry no topic: in a small corpus they are rare,
# hence high-IDF, and would pull in whichever passage happens to contain them. Only forms
# that cannot be a topic word are listed (folded "bao" could be "bảo", so it stays).
_QUESTION_WORDS = frozenset(
    "gì nào bao_nhiêu bao_nhieu nhiêu mấy đâu thế_nào the_nao như_thế_nào nhu_the_nao ra_sao "
    "hãy cho_biết cho_biet tôi xin vậy".split()
)
_PHRASES = ["là bao nhiêu", "bao nhiêu", "như thế nào", "thế nào", "ra sao", "là gì", "những gì", "cái gì",
            "điều gì", "cho biết", "hãy", "nào", "gì", "mấy", "ở đâu", "khi nào", "thì sao"]
_QUESTION_PHRASES = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, _PHRASES)) + r")(?!\w)", re.IGNORECASE)
_QUESTION_PHRASES_FOLDED = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(fold_diacritics(p)) for p in _PHRASES if len(p.split()) > 1) + r"|gi)(?!\w)",
    re.IGNORECASE,
)
# Vietnamese function words: in a question they carry no topic, yet a short sentence that
# happens to hold several of them gets a high sentence BM25. Dropped as single syllables only
# (their bigrams stay: "cơ+sở" is kept while "của" alone is not); a folded form is dropped only
# when no topic word of the query folds to it ("có" goes, but "co" stays for "cơ sở").
_VI_FUNCTION_WORDS = frozenset(
    "các của và có để là được những cho với về vào mà thì này đó ấy một còn đã đang sẽ "
    "cần phải muốn làm hay bằng cách nhằm tới".split()
)
# Folded function words that are no topic word either (dropped from unaccented queries).
_VI_FUNCTION_FOLDED = frozenset("cac cua duoc nhung".split())
# Dropped only from a query that reads as English (see is_english).
_ENGLISH_STOP = frozenset(
    "a the of in on at to for by with from about into is are was were be been being do does did "
    "what which who whom whose when where why how many much and or its it this that these those "
    "as there their has have had will would should can could according per than s".split()
)
_ENGLISH_STOP_RE = re.compile(r"(?<![\w'])(?:" + "|".join(sorted(_ENGLISH_STOP)) + r")(?![\w'])", re.IGNORECASE)
_ENGLISH_MARKERS = frozenset("the of what which who when where why how does did is are was were and".split())


def _canonical_codes(lower: str) -> list[str]:
    """Whole number/code tokens and their canonical variants, from lowercased text."""
    out: list[str] = []
    for match in _CODE.finditer(lower):
        token = match.group(0)
        if not any(ch.isdigit() for ch in token):
            continue
        out.append(token)
        bare = token.rstrip("%")
        date = _DATE.match(bare)
        if date:
            out.append(f"{int(date.group(1)):02d}/{int(date.group(2)):02d}/{date.group(3)}")
        elif _THOUSANDS.match(bare):
            out.append(re.sub(r"[.,]", "", bare))
        if "–" in token:
            out.append(token.replace("–", "-"))
    for match in _RANGE.finditer(lower):
        low, high, percent = match.groups()
        out.append(f"{low}-{high}{'%' if percent else ''}")
    for match in _PERCENT_SPACE.finditer(lower):
        out.append(f"{match.group(1)}%")
    return out


_SEGMENT_TOKEN = re.compile(r"\w+(?:[.,/\-]\w+)*|[^\w\s]")
_WS_MODEL = ("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727")


@lru_cache(maxsize=1)
def _segmenter() -> Callable[[str], list[str]]:
    """underthesea's word segmentation (its CRF model and featurizer), loaded directly.

    Importing the `underthesea` package pulls in its whole pipeline (about 2.5 s per process,
    paid by every CLI call); the model files and `underthesea_core` load in 0.2 s. Tokens are
    cut by a simpler regex than underthesea's, which changes 0.1% of the compounds found on
    the bundled corpus. Falls back to `underthesea.word_tokenize` if the files moved.
    """
    import importlib.util
    from pathlib import Path

    try:
        import joblib
        from underthesea_core import CRFFeaturizer, CRFTagger

        spec = importlib.util.find_spec("underthesea")  # locates the package without importing it
        folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*_WS_MODEL)
        tagger = CRFTagger()
        tagger.load(str(folder / "models.bin"))
        featurizer = CRFFeaturizer(joblib.load(folder / "features.bin"), joblib.load(folder / "dictionary.bin"))
    except (ImportError, OSError, TypeError, ValueError, RuntimeError, StopIteration) as exc:
        # Another underthesea version may lay its files out differently.
        log.debug("direct CRF load failed (%s); importing underthesea", exc)
        from underthesea import word_tokenize

        return word_tokenize

    def segment(text: str) -> list[str]:
        tokens = _SEGMENT_TOKEN.findall(text)
        if not tokens:
            return []
        tags = tagger.tag(featurizer.process([[[t] for t in tokens]])[0])
        words: list[str] = []
        for tag, token in zip(tags, tokens):
            if tag == "I-W" and words:
                words[-1] += " " + token
            else:
                words.append(token)
        return words

    return segment


_SEGMENT_LOCK = threading.Lock()  # the CRF tagger is not documented as thread-safe


def _compounds(text: str) -> list[str]:
    """Multi-syllable words found by the segmenter, lowercased and joined with '_'."""
    with _SEGMENT_LOCK:
        words = _segmenter()(text)
    out = []
    for word in words:
        parts = word.lower().split()
        if len(parts) > 1 and all(_SYLLABLE.fullmatch(p) for p in parts):
            out.append("_".join(parts))
    return out


def _i_spelling(lower: str) -> str:
    """Final "y" after consonants spelled "i" (tone kept): "tỷ lệ" -> "tỉ lệ"."""
    return _FINAL_Y.sub(lambda m: m.group(1) + m.group(2).translate(_Y_TO_I), lower)


def _bigrams(lower: str) -> list[str]:
    """Adjacent syllable pairs inside each clause ("tỷ+trọng"): word order matters in
    Vietnamese, where most words have two syllables that are common on their own."""
    out = []
    for clause in _CLAUSE.split(lower):
        syllables = _SYLLABLE.findall(clause)
        out += [f"{a}+{b}" for a, b in zip(syllables, syllables[1:])]
    return out


def analyze(text: str, segment: bool = True) -> list[str]:
    """The index terms of `text` (order irrelevant, repetitions are term frequency).

    Args:
        text: any text; it is normalized here (normalize_text is idempotent).
        segment: also emit underthesea compound words (slower; on for index and queries).
    """
    normalized = normalize_text(text)
    lower = _i_spelling(normalized.lower())
    terms = _SYLLABLE.findall(lower)
    terms += _bigrams(lower)
    terms += _canonical_codes(lower)
    if segment:
        terms += [_i_spelling(c.replace("_", " ")).replace(" ", "_") for c in _compounds(normalized)]
    folded = [f for f in (fold_diacritics(t) for t in terms) if f]
    return terms + [f for f, t in zip(folded, terms) if f != t]


def is_unaccented(text: str) -> bool:
    """A Vietnamese question typed without diacritics: no syllable carries a mark, and it is
    not English."""
    words = _SYLLABLE.findall(normalize_text(text).lower())
    return len(words) >= 3 and all(fold_diacritics(w) == w for w in words) and not is_english(text)


def is_english(text: str) -> bool:
    """At least two English function words and few syllables with Vietnamese diacritics
    (an English question may still spell "Lạng Sơn" with its marks)."""
    words = _SYLLABLE.findall(normalize_text(text).lower())
    markers = sum(1 for w in words if w in _ENGLISH_MARKERS)
    accented = sum(1 for w in words if fold_diacritics(w) != w)
    return markers >= 2 and accented <= max(2, len(words) // 4)


def strip_question_phrases(query: str) -> str:
    """The query without interrogative phrases ("bao nhiêu", "như thế nào", "là gì", ...).

    Folded spellings ("bao nhieu") are removed only from a query typed without any
    diacritics, where they cannot be the folded form of a topic word the user spelled out.
    """
    normalized = normalize_text(query)  # case kept: the segmenter reads capitals as name cues
    stripped = _QUESTION_PHRASES.sub(" ", normalized)
    if fold_diacritics(normalized) == normalized:
        stripped = _QUESTION_PHRASES_FOLDED.sub(" ", stripped)
    return stripped


def query_terms(query: str) -> list[str]:
    """Distinct analyzed terms of a query, minus question words (and English function words
    when the query is English), in first-seen order."""
    english = is_english(query)
    text = strip_question_phrases(query)
    dropped = set(_QUESTION_WORDS)
    if english:
        dropped |= _ENGLISH_STOP
        # Removed from the text, not only from the terms, so that no bigram spans them.
        text = _ENGLISH_STOP_RE.sub(" ", text)
    dropped |= _function_words(text)
    kept = [t for t in analyze(text) if t not in dropped]
    return list(dict.fromkeys(kept))


def _function_words(text: str) -> set[str]:
    """The Vietnamese function-word terms of a query to drop (see _VI_FUNCTION_WORDS)."""
    syllables = set(_SYLLABLE.findall(_i_spelling(normalize_text(text).lower())))
    drop = syllables & _VI_FUNCTION_WORDS
    topic_folded = {fold_diacritics(s) for s in syllables - drop}
    drop |= {f for f in (fold_diacritics(s) for s in drop) if f not in topic_folded}
    if all(fold_diacritics(s) == s for s in syllables):
        drop |= syllables & _VI_FUNCTION_FOLDED
    return drop


def content_words(query: str) -> list[str]:
    """The query's plain syllables that carry topic (used to measure vocabulary coverage)."""
    lower = strip_question_phrases(query).lower()
    dropped = set(_QUESTION_WORDS) | (_ENGLISH_STOP if is_english(query) else set())
    return [w for w in _SYLLABLE.findall(lower) if w not in dropped]


class AnalysisCache:
    """text -> terms, bounded, shared by the retrievers of one process (thread-safe)."""

    def __init__(self, maxsize: int = 200_000):
        self._items: OrderedDict[str, list[str]] = OrderedDict()
        self._lock = threading.Lock()
        self._maxsize = maxsize

    def get(self, text: str) -> list[str] | None:
        with self._lock:
            return self._items.get(text)

    def put(self, text: str, terms: list[str]) -> None:
        with self._lock:
            self._items[text] = terms
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)


SHARED_ANALYSES = AnalysisCache()


def cached_analyze(text: str) -> list[str]:
    """analyze(text), remembered for the process (a refresh re-segments only new text)."""
    terms = SHARED_ANALYSES.get(text)
    if terms is None:
        terms = analyze(text)
        SHARED_ANALYSES.put(text, terms)
    return terms


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;…])\s+|\n+")
# Pieces shorter than this ("a)", "- Lưu VT,") are fragments, not sentences: they still count
# for their chunk but do not compete as sentences (BM25 would favour them for being short).
MIN_SENTENCE_CHARS = 15


def split_sentences(text: str) -> list[str]:
    """Sentences and ';'-clauses of a passage, stripped (every character but separators kept)."""
    pieces, begin = [], 0
    for match in _SENTENCE_SPLIT.finditer(text):
        if "\n" not in match.group(0) and text[match.end()].islower() and text[match.start() - 1] in ".…":
            continue  # "Long Bình An, Phúc Ứng,... cơ bản đáp ứng": the sentence goes on
        pieces.append(text[begin:match.start()])
        begin = match.end()
    pieces.append(text[begin:])
    return [p.strip() for p in pieces if p.strip()]


# Clause boundaries inside a sentence: ":" ("Mục tiêu: ...") and ";" (split_sentences already
# cuts there, so in practice ":"), and with
# commas=True also ", " (clauses of a long enumerating sentence).
_CLAUSE_SPLIT = re.compile(r"(?<=[;:])\s+")
_CLAUSE_SPLIT_COMMA = re.compile(r"(?<=[;:,])\s+")
# Clauses shorter than this ("dệt - may", "Thứ ba") name an item rather than say something.
MIN_CLAUSE_CHARS = 30


def split_clauses(sentence: str, commas: bool = False, min_chars: int = MIN_CLAUSE_CHARS) -> list[str]:
    """The clauses of a sentence long enough to stand alone ([] when it has only one).

    Args:
        sentence: one piece of split_sentences().
        commas: also cut at ", " (not only at ";" and ":").
        min_chars: shorter clauses are dropped.
    """
    pattern = _CLAUSE_SPLIT_COMMA if commas else _CLAUSE_SPLIT
    parts = [p.strip() for p in pattern.split(sentence) if p.strip()]
    if len(parts) < 2:
        return []
    return [p for p in parts if len(p) >= min_chars]


# What kind of answer a question asks for, from its interrogative words (accented, folded or
# English), and what a passage holding such an answer contains. Generic Vietnamese and English
# question forms, not the wording of any particular question.
_ASKS = {
    "quantity": re.compile(
        r"(?<!\w)(?:bao nhi[eê]u|mấy|t[iỉyỷ] l[eệ]|t[iỉyỷ] tr[oọ]ng|how (?:many|much)|what (?:share|percentage))(?!\w)",
        re.IGNORECASE),
    "time": re.compile(
        r"(?<!\w)(?:khi n[aà]o|bao gi[oờ]|th[oờ]i h[aạ]n|n[aă]m n[aà]o|ng[aà]y n[aà]o|when|what year|deadline)(?!\w)",
        re.IGNORECASE),
    "agency": re.compile(
        r"(?<!\w)(?:ai|c[oơ] quan n[aà]o|[dđ][oơ]n v[iị] n[aà]o|ban n[aà]o|s[oở] n[aà]o|who|which (?:agency|body|office))(?!\w)",
        re.IGNORECASE),
}
_HOLDS = {
    # A figure: digits with a unit, a percentage or a thousands separator, or a counted noun.
    "quantity": re.compile(r"\d+(?:[.,]\d+)*\s*(?:%|tỷ|triệu|nghìn|ngàn|ha\b|lao động|doanh nghiệp|dự án|khu|cụm|nhóm)|\d{1,3}(?:\.\d{3})+",
                           re.IGNORECASE),
    "time": re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|\d{1,2}/\d{1,2}/\d{4}|hằng năm|hàng năm|quý [IV1-4]+", re.IGNORECASE),
    "agency": re.compile(r"(?<!\w)(?:Sở|Ban|UBND|Ủy ban|Tỉnh ủy|Hội đồng|Huyện ủy|Thành ủy|Đảng ủy|Mặt trận|Bộ|Cục)(?!\w)"),
}


ANSWER_TYPES = tuple(_ASKS)


def asked_types(query: str) -> frozenset[str]:
    """The answer types a question asks for ("quantity", "time", "agency"); empty for others."""
    text = normalize_text(query)
    return frozenset(kind for kind, pattern in _ASKS.items() if pattern.search(text))


def holds_type(text: str, kind: str) -> bool:
    """Whether a passage contains something of the answer type `kind` (see asked_types)."""
    return bool(_HOLDS[kind].search(text))


@dataclass(frozen=True)
class ChunkTerms:
    """A chunk's index terms (context header + text) and the terms of each of its sentences."""

    terms: list[str]
    sentences: list[list[str]]


def analyze_chunk(header: str, text: str) -> ChunkTerms:
    """Terms of a chunk seen with its context header, and of its own sentences.

    Args:
        header: index.chunking.context_header(title, province, section).
        text: the chunk's text (what a citation quotes).
    """
    pieces = split_sentences(text)
    piece_terms = [cached_analyze(p) for p in pieces]
    terms = cached_analyze(header) + [t for pt in piece_terms for t in pt]
    sentences = [pt for piece, pt in zip(pieces, piece_terms) if len(piece) >= MIN_SENTENCE_CHARS]
    return ChunkTerms(terms, sentences)


@dataclass(frozen=True)
class LexicalScores:
    """BM25 scores of one query: per chunk, and of each chunk's best-matching sentence."""

    scores: np.ndarray  # one score per chunk, index order
    sentence_scores: np.ndarray  # per chunk: the highest BM25 score among its sentences
    matched_terms: tuple[str, ...]


class LexicalIndex:
    """BM25 (bm25s, Lucene variant) over chunks and over their sentences; read-only once built.

    The sentence index is passage-level evidence (Callan, SIGIR 1994): a chunk whose one
    sentence holds most of the query's terms is a better answer than one that scatters them,
    which chunk-level BM25 cannot see.
    """

    def __init__(self, chunks: Sequence[ChunkTerms], k1: float = 1.2, b: float = 0.75):
        """Build both indexes.

        Args:
            chunks: analyze_chunk(...) of each chunk, in index order.
            k1, b: BM25 parameters; the usual 1.2 / 0.75 (a dev-split grid from 0.6 to 2.0
                and 0.3 to 0.9 moved MRR@10 by less than 0.01).
        """
        self.size = len(chunks)
        self._chunks, self._vocab = _bm25([c.terms for c in chunks], k1, b)
        self._term_sets = [frozenset(c.terms) for c in chunks]  # for phrase_match
        units = [(i, terms) for i, c in enumerate(chunks) for terms in c.sentences]
        self._owner = np.array([i for i, _ in units], dtype=np.int64)
        self._sentences, self._sentence_vocab = _bm25([t for _, t in units], k1, b)

    def knows(self, term: str) -> bool:
        return term in self._vocab

    def score(self, terms: Sequence[str]) -> LexicalScores:
        """BM25 scores of every chunk and of every chunk's best sentence for the query terms.

        Args:
            terms: query terms (query_terms(query)); unknown terms are ignored.
        """
        unique = [t for t in dict.fromkeys(terms) if t]
        known = [t for t in unique if t in self._vocab]
        chunk_scores = np.zeros(self.size, dtype=np.float32)
        best_sentence = np.zeros(self.size, dtype=np.float32)
        if known:
            ids = [self._vocab[t] for t in known]
            chunk_scores = np.asarray(self._chunks.get_scores_from_ids(ids), dtype=np.float32)
        sentence_ids = [self._sentence_vocab[t] for t in unique if t in self._sentence_vocab]
        if sentence_ids:
            per_sentence = self._sentences.get_scores_from_ids(sentence_ids)
            np.maximum.at(best_sentence, self._owner, per_sentence.astype(np.float32))
        return LexicalScores(chunk_scores, best_sentence, tuple(known))

    def phrase_match(self, terms: Sequence[str], chunks: Sequence[int]) -> float:
        """The highest share of the query's syllable pairs ("công+nghiệp") that one of the given
        chunks contains: how literally the best lexical candidates repeat the question's wording.

        Args:
            terms: query terms (query_terms(query)); only the pairs count.
            chunks: index positions of the candidates (e.g. the BM25 top 5).

        Returns:
            A share in [0, 1]; 1.0 when the query has no pair (nothing to judge by).
        """
        pairs = {t for t in terms if "+" in t}
        if not pairs:
            return 1.0
        best = max((len(pairs & self._term_sets[i]) for i in chunks), default=0)
        return best / len(pairs)


def _bm25(corpus: list[list[str]], k1: float, b: float):
    """A bm25s index of pre-analyzed texts and its vocabulary (None, {} when empty)."""
    if not corpus:
        return None, {}
    import bm25s

    # bm25s sets its own logger to DEBUG, which prints a line per index build.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    index = bm25s.BM25(k1=k1, b=b)
    index.index([list(terms) or [""] for terms in corpus], show_progress=False)
    return index, dict(index.vocab_dict)


# Years and periods. Resolutions set targets for several horizons in the same passages
# ("giai đoạn 2021-2025", "đến năm 2025", "định hướng đến năm 2030"): a question naming a year
# should meet the passage about that year rather than the one about another horizon.
# A year is 19xx/20xx standing alone (not part of 27.700 or 45-NQ); a period is two years
# joined by a dash, with or without spaces ("2021-2025", "2026 – 2030", "(2021 - 2025)").
_YEAR_TOKEN = r"(?:19|20)\d{2}"
# A period is written "2021 - 2025" or in words, "2015 đến năm 2020", "2015 tới 2020",
# "2015 to 2020" ("từ năm 2015 đến năm 2020" is the same period as "giai đoạn 2015 - 2020").
_PERIOD_OR_YEAR = re.compile(
    rf"(?<![\w.,/])({_YEAR_TOKEN})(?:(?:\s*[-–—]\s*|\s+(?:đến|tới|den|toi|to|until|through)\s+(?:(?:năm|nam)\s+)?)"
    rf"({_YEAR_TOKEN}))?(?![\w%/]|[.,]\d)",
    re.IGNORECASE,
)
# A date "01/9/2021" names its year too.
_DATE_YEAR = re.compile(rf"(?<![\w/])\d{{1,2}}/\d{{1,2}}/({_YEAR_TOKEN})(?!\w)")
# Years that are a reference point, not a horizon: a baseline ("so với năm 2020", "so với
# cùng kỳ năm 2021") or a price base ("giá so sánh 2010"). Ignored in passages.
REFERENCE_YEAR = re.compile(
    rf"(?:so với|so sánh)\s+(?:(?:cùng kỳ|mức|kết quả)\s+)?(?:(?:của\s+)?năm\s+)?{_YEAR_TOKEN}", re.IGNORECASE
)
# The longest span read as a period; a longer one ("1990-2030") is taken as its two ends.
MAX_PERIOD_YEARS = 15
# "sau năm 2025", "after 2025": the horizon after a year, i.e. the next five-year plan period
# (provincial plans run 2021-2025, 2026-2030); the year itself is not asked about.
AFTER_YEAR = re.compile(rf"(?<!\w)(?:sau|after|beyond)\s+(?:(?:năm|nam|the year)\s+)?({_YEAR_TOKEN})(?!\d)",
                        re.IGNORECASE)
PLAN_PERIOD_YEARS = 5


# "trong năm năm trước khi có nghị quyết", "giai đoạn trước", "before the resolution": the
# plan period before the one the document sets (its assessment of the past period).
BEFORE_DOCUMENT = re.compile(
    r"(?<!\w)(?:trước khi (?:có|ban hành|ra|ký) (?:nghị quyết|văn bản|đề án|kế hoạch)|giai đoạn trước|nhiệm kỳ trước|"
    r"(?:before|prior to) (?:the |this )?(?:resolution|document|plan)|previous (?:plan )?period)(?!\w)",
    re.IGNORECASE,
)


def period_before(title_years: Sequence[frozenset[int]]) -> frozenset[int]:
    """The plan period before the one a document's title names ("giai đoạn 2021 - 2025" ->
    2015-2020: five-year periods are written both "2015 - 2020" and "2016 - 2020"), or an
    empty set when the title names no period."""
    periods = [years for years in title_years if len(years) > 1]
    if not periods:
        return frozenset()
    start = min(periods[0])
    return frozenset(range(start - PLAN_PERIOD_YEARS - 1, start))


@lru_cache(maxsize=64)
def period_before_title(title: str) -> frozenset[int]:
    """period_before of a document title's years, read once per title (every candidate chunk
    of a "trước khi có nghị quyết" question asks it of its document's title)."""
    return period_before(year_mentions(title))


def year_mentions(text: str, skip_references: bool = False) -> list[frozenset[int]]:
    """The years a text names, one set per mention: a year, or every year of a period.

    Args:
        text: a question or a passage.
        skip_references: drop baseline and price-base years ("so với năm 2020"), as for
            passages, where they are not what the passage is about.

    Returns:
        In text order; "giai đoạn 2021 - 2025" gives {2021, ..., 2025}, "01/9/2021" {2021}.
    """
    normalized = normalize_text(text)
    if skip_references:
        normalized = REFERENCE_YEAR.sub(" ", normalized)
    found: list[tuple[int, frozenset[int]]] = []
    for match in AFTER_YEAR.finditer(normalized):
        after = int(match.group(1))
        found.append((match.start(), frozenset(range(after + 1, after + 1 + PLAN_PERIOD_YEARS))))
    normalized = AFTER_YEAR.sub(lambda m: " " * len(m.group(0)), normalized)
    for match in _PERIOD_OR_YEAR.finditer(normalized):
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) else low
        if low < high <= low + MAX_PERIOD_YEARS:
            found.append((match.start(), frozenset(range(low, high + 1))))
        else:
            found += [(match.start(), frozenset({low})), (match.start(), frozenset({high}))][: 1 + (high != low)]
    found += [(m.start(), frozenset({int(m.group(1))})) for m in _DATE_YEAR.finditer(normalized)]
    return [years for _, years in sorted(found, key=lambda item: item[0])]


def year_match(asked: frozenset[int], mentions: Sequence[frozenset[int]]) -> float | None:
    """Share of a passage's year mentions that cover a year the question names.

    Args:
        asked: the years of the question (union of its year_mentions).
        mentions: year_mentions(passage, skip_references=True).

    Returns:
        A share in [0, 1], or None when the passage names no year (nothing to judge by).
    """
    if not mentions:
        return None
    return sum(1 for years in mentions if years & asked) / len(mentions)
