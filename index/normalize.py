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
from pathlib import Path

_WORD = re.compile(r"\w+")
_RULES_FILE = "tn_rules_2023_07_14.bin"  # the table underthesea 9.x ships and uses


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, str], dict[str, str]]:
    """underthesea's normalization tables (character map, syllable map).

    Read straight from the data file its token normalizer uses, applied the way its
    `token_normalize` applies them: importing the `underthesea` package itself pulls in
    transformers and costs about two seconds, which every CLI call and build would pay.
    """
    import importlib.util

    import joblib

    spec = importlib.util.find_spec("underthesea")  # locates the package without importing it
    folder = Path(next(iter(spec.submodule_search_locations))) / "pipeline" / "text_normalize"
    data = joblib.load(folder / _RULES_FILE)
    return data["character"], data["token"]


def _token_normalize(token: str) -> str:
    """underthesea.pipeline.text_normalize.token_normalize, over the same tables."""
    if len(token) > 6:
        return token
    characters, tokens = _rules()
    for nonstandard, standard in characters.items():
        token = token.replace(nonstandard, standard)
    return tokens.get(token, token)


@lru_cache(maxsize=65536)
def _syllable(word: str) -> str:
    fixed = _token_normalize(word)
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
