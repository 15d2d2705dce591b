"""Build side: load, normalize, chunk, embed and store the corpus in Chroma."""

from index.offline import enforce_offline

enforce_offline()
