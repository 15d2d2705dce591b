"""Vietnamese text normalization, applied once when a document is loaded.

NFC alone leaves tone placement mixed ("hoá" vs "hóa", "thuỷ" vs "thủy"); the corpus mixes
both. underthesea's token-level normalizer maps each syllable to the modern placement and
keeps every other character (spacing, punctuation) where it was, so text stays readable.
Its `text_normalize` also re-spaces punctuation, which must not touch text people read.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _token_normalize():
    # Imported lazily: loading underthesea's rule table takes about two seconds.
    from underthesea.pipeline.text_normalize.token_normalize import token_normalize

    return token_normalize


@lru_cache(maxsize=65536)
def _syllable(word: str) -> str:
    fixed = _token_normalize()(word)
    # The normalizer maps one syllable to one syllable; anything else is kept as written.
    return fixed if len(fixed) == len(word) else word


def normalize_text(text: str) -> str:
    """NFC plus modern Vietnamese tone placement; spacing and punctuation untouched."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return _WORD.sub(lambda m: _syllable(m.group(0)), text)


_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def fold_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics: "Lạng Sơn" -> "Lang Son", "đạt" -> "dat"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_for_match(text: str) -> str:
    """The folding used to compare quotes and facts: normalized, lowercased, spaces collapsed."""
    return " ".join(normalize_text(text).lower().split())
