"""Dictionary-based query translation (English -> Vietnamese) for the lexical signal.

The corpus is Vietnamese; a question asked in English shares almost no words with it, so
BM25 cannot help and the retriever leans on the multilingual dense signal alone. A bilingual
glossary of the domain (assistant/data/glossary_en_vi.tsv: provincial industrial development,
built from the corpus's own frequent words) turns the English words it knows into Vietnamese
terms added to the BM25 query, the classic dictionary-based approach to cross-language
retrieval (Ballesteros & Croft, SIGIR 1997): longest phrase first, every listed rendering kept.

English is matched on light stems (possessive, plural, -ed, -ing and final -e removed) so that
"supervising", "supervised" and "supervise" meet, while derived words ("supervision",
"industrial") are listed in the glossary as variants of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from index.normalize import fold_diacritics, normalize_text

DEFAULT_GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary_en_vi.tsv"

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_DOUBLED = re.compile(r"([bcdfgkmnprt])\1$")
# Phrases longer than this are not looked for (the longest glossary entry has 6 words).
MAX_PHRASE_WORDS = 6


def stem(word: str) -> str:
    """A light English stem: lowercase, without possessive, plural, -ed, -ing or final -e.

    Applied to glossary keys and to query words alike, so only consistency matters:
    "policies" -> "policy", "supervising" / "supervise" -> "supervis", "planned" -> "plan".

    Args:
        word: one English word (letters, digits, maybe an apostrophe).
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    elif w.endswith("ing") and len(w) > 5:
        w = _DOUBLED.sub(r"\1", w[:-3])
    elif w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ed") and len(w) > 4:
        w = _DOUBLED.sub(r"\1", w[:-2])
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def _words(text: str) -> list[str]:
    """Words of a text; hyphens and slashes separate words ("high-tech" -> "high", "tech")."""
    return _WORD.findall(text.replace("-", " ").replace("/", " "))


def _is_english_word(word: str) -> bool:
    return word.isascii() and any(ch.isalpha() for ch in word)


@dataclass(frozen=True)
class Gloss:
    """What the glossary made of a query."""

    vietnamese: tuple[str, ...]  # Vietnamese renderings of the matched phrases, in query order
    matched: frozenset[str]  # lowercased query words that a glossary phrase covered
    # Renderings searched with a lower weight: synonyms of words the query already has.
    weak: tuple[str, ...] = ()


EMPTY_GLOSS = Gloss((), frozenset())


class Glossary:
    """English phrases (as stem tuples) -> Vietnamese renderings; read-only once built."""

    def __init__(self, entries: Mapping[tuple[str, ...], tuple[str, ...]]):
        """Wrap a mapping.

        Args:
            entries: stemmed English phrase -> Vietnamese renderings (see parse_glossary).
        """
        self._entries = dict(entries)
        self._longest = min(MAX_PHRASE_WORDS, max((len(k) for k in self._entries), default=0))

    def __len__(self) -> int:
        return len(self._entries)

    def translate(self, text: str, eligible: Callable[[str], bool] = lambda word: True) -> Gloss:
        """The Vietnamese renderings of the glossary phrases found in `text`, longest first.

        Args:
            text: the query.
            eligible: whether a (lowercased) word may be translated; a phrase is used only
                when all its words are eligible (the retriever excludes words the corpus
                itself knows when the query is not English).

        Returns:
            Renderings in the order their phrases occur, each once, and the words covered.
        """
        words = _words(text)
        stems = [stem(w) if _is_english_word(w) and eligible(w.lower()) else None for w in words]
        found: list[str] = []
        matched: set[str] = set()
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                key = tuple(stems[i:i + n])
                if None in key or key not in self._entries:
                    continue
                found += self._entries[key]
                matched.update(w.lower() for w in words[i:i + n])
                i += n
                break
            else:
                i += 1
        return Gloss(tuple(dict.fromkeys(found)), frozenset(matched))


def parse_glossary(lines: Iterable[str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Entries of a glossary file: `english|variants<TAB>vietnamese|renderings`, # comments.

    A phrase listed on several lines gets the renderings of all of them.

    Args:
        lines: the file's lines.

    Raises:
        ValueError: a non-comment line without exactly one tab.
    """
    entries: dict[tuple[str, ...], list[str]] = {}
    for phrases, renderings in _table_rows(lines, "glossary", "english<TAB>vietnamese"):
        for phrase in phrases:
            key = tuple(stem(w) for w in _words(phrase))
            if key:
                known = entries.setdefault(key, [])
                known += [r for r in renderings if r not in known]
    return {key: tuple(values) for key, values in entries.items()}


def _table_rows(lines: Iterable[str], kind: str, form: str) -> Iterator[tuple[list[str], list[str]]]:
    """The rows of a two-column table file (`a|a2<TAB>b|b2`, # comments, blank lines), as
    (left variants, right variants), stripped and without empty ones.

    Raises:
        ValueError: a row without exactly one tab ("<kind> line N: expected '<form>'").
    """
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise ValueError(f"{kind} line {number}: expected '{form}': {line!r}")
        yield [v.strip() for v in parts[0].split("|") if v.strip()], [v.strip() for v in parts[1].split("|") if v.strip()]


@lru_cache(maxsize=4)
def load_glossary(path: Path | str = DEFAULT_GLOSSARY) -> Glossary:
    """The glossary in a file (the bundled English -> Vietnamese one by default), cached.

    Args:
        path: a glossary file (see parse_glossary for its format).
    """
    return Glossary(parse_glossary(Path(path).read_text(encoding="utf-8").splitlines()))


DEFAULT_ABBREVIATIONS = Path(__file__).resolve().parent / "data" / "abbreviations_vi.tsv"
# Not glued to a code: "NQ" in "45-NQ/TU" is part of a document number, not "Nghị quyết".
_ABBREVIATION_EDGE = r"(?<![\w\-/&]){}(?![\w\-/&])"


def _folded_lower(text: str) -> str:
    return " ".join(fold_diacritics(normalize_text(text)).lower().split())


class Abbreviations:
    """Vietnamese administrative abbreviations ("KCN") <-> full forms ("khu công nghiệp")."""

    def __init__(self, entries: Mapping[str, tuple[str, ...]]):
        """Wrap a mapping.

        Args:
            entries: abbreviation (in capitals) -> full forms (see parse_abbreviations).
        """
        self._short = [
            (abbreviation, fulls, re.compile(
                "|".join(_ABBREVIATION_EDGE.format(re.escape(v)) for v in dict.fromkeys(
                    [abbreviation, fold_diacritics(abbreviation)]))))
            for abbreviation, fulls in entries.items()
        ]
        self._long = [
            (abbreviation, re.compile(r"(?<!\w)" + re.escape(_folded_lower(full)) + r"(?!\w)"))
            for abbreviation, fulls in entries.items() for full in fulls
        ]

    def __len__(self) -> int:
        return len(self._short)

    def expand(self, text: str) -> Gloss:
        """The other spelling of each abbreviation or full form found in `text`.

        Args:
            text: the query.

        Returns:
            A Gloss: the full forms of the abbreviations written in capitals, and the
            abbreviations of the full forms (matched ignoring case and diacritics), in table
            order; `matched` holds the lowercased abbreviations found (words the corpus may not
            know but whose meaning is now searched).
        """
        found: list[str] = []
        matched: set[str] = set()
        for abbreviation, fulls, pattern in self._short:
            hit = pattern.search(text)
            if hit:
                found += fulls
                matched.add(hit.group(0).lower())
        folded = _folded_lower(text)
        for abbreviation, pattern in self._long:
            if pattern.search(folded):
                found.append(abbreviation)
        return Gloss(tuple(dict.fromkeys(found)), frozenset(matched))


def parse_abbreviations(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Entries of an abbreviation file: `ABBREVIATION<TAB>full form|other`, # comments.

    Args:
        lines: the file's lines.

    Raises:
        ValueError: a non-comment line without exactly one tab.
    """
    return {
        "|".join(short): tuple(fulls) for short, fulls in _table_rows(lines, "abbreviation", "ABBR<TAB>full form")
    }


@lru_cache(maxsize=4)
def load_abbreviations(path: Path | str = DEFAULT_ABBREVIATIONS) -> Abbreviations:
    """The abbreviation table in a file (the bundled Vietnamese one by default), cached.

    Args:
        path: an abbreviation file (see parse_abbreviations for its format).
    """
    return Abbreviations(parse_abbreviations(Path(path).read_text(encoding="utf-8").splitlines()))


DEFAULT_SYNONYMS = Path(__file__).resolve().parent / "data" / "synonyms_vi.tsv"


class Synonyms:
    """Everyday Vietnamese wordings ("vốn ngoại", "đền bù") -> the administrative wording of
    the documents ("FDI", "bồi thường"): a synonym table like a search engine's synonym
    filter, applied to the query only. Phrases are matched as whole words, ignoring case and
    diacritics, longest first, without overlap."""

    def __init__(self, entries: Mapping[str, tuple[str, ...]]):
        """Wrap a mapping.

        Args:
            entries: folded lowercase phrase -> document wordings (see parse_synonyms).
        """
        self._entries = dict(entries)
        phrases = sorted(self._entries, key=lambda p: (-len(p), p))
        self._pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases) + r")(?!\w)"
        ) if phrases else None

    def __len__(self) -> int:
        return len(self._entries)

    def expand(self, text: str) -> Gloss:
        """The document wordings of the everyday phrases found in `text`.

        Returns:
            A Gloss: the renderings in query order; `matched` holds the folded phrases found.
        """
        if self._pattern is None:
            return EMPTY_GLOSS
        found: list[str] = []
        matched: set[str] = set()
        for phrase, renderings in self.found(text):
            found += renderings
            matched.add(phrase)
        return Gloss(tuple(dict.fromkeys(found)), frozenset(matched))

    def found(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """The everyday phrases of `text` the table knows (folded), in text order, each with
        the documents' wordings of it."""
        return [(phrase, self._entries[phrase]) for _, _, phrase in self._hits(_folded_lower(text))]

    def _hits(self, folded: str) -> Iterator[tuple[int, int, str]]:
        """Start, end and phrase of each table phrase in a folded, lowercased text."""
        if self._pattern is None:
            return
        for hit in self._pattern.finditer(folded):
            yield hit.start(), hit.end(), " ".join(hit.group(0).split())

    def reworded(self, text: str) -> str | None:
        """`text` with each everyday phrase replaced by the documents' first wording of it
        ("... một đầu mối kho bãi ..." -> "... một đầu mối trung tâm logistic ..."), spaces
        collapsed; None when no phrase is found."""
        spaced = " ".join(normalize_text(text).split())
        folded = fold_diacritics(spaced).lower()
        if len(folded) != len(spaced):  # a character folding does not map one to one
            return None
        pieces, last = [], 0
        for start, end, phrase in self._hits(folded):
            wording = self._entries[phrase][0]
            if _folded_lower(wording).replace("y", "i") == phrase.replace("y", "i"):
                continue  # a spelling ("tỷ trọng" / "tỉ trọng"), not another wording
            pieces += [spaced[last:start], wording]
            last = end
        return "".join(pieces) + spaced[last:] if pieces else None


def parse_synonyms(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Entries of a synonym file: `everyday|other everyday<TAB>document wording|other`, with
    # comments. Keys are folded and lowercased; a phrase listed twice keeps every rendering.

    Args:
        lines: the file's lines.

    Raises:
        ValueError: a non-comment line without exactly one tab.
    """
    entries: dict[str, list[str]] = {}
    for phrases, renderings in _table_rows(lines, "synonym", "everyday<TAB>document wording"):
        for phrase in phrases:
            key = _folded_lower(phrase)
            if key:
                known = entries.setdefault(key, [])
                known += [r for r in renderings if r not in known and _folded_lower(r) != key]
    return {key: tuple(values) for key, values in entries.items() if values}


@lru_cache(maxsize=4)
def load_synonyms(path: Path | str = DEFAULT_SYNONYMS) -> Synonyms:
    """The synonym table in a file (the bundled Vietnamese one by default), cached.

    Args:
        path: a synonym file (see parse_synonyms for its format).
    """
    return Synonyms(parse_synonyms(Path(path).read_text(encoding="utf-8").splitlines()))
