"""Evaluation of retrieval and answers against a curated Q&A set (`assistant eval`).

Calls go one way: evals -> assistant -> index. Metrics are pure functions (evals.metrics);
the runner (evals.runner) feeds them what the same Retriever and Assistant the chat uses
returned, and evals.report writes report.json / report.md / plots.
"""
