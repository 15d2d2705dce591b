"""Styles of the web chat (a Python string so that it ships with the package, no data files)."""

CSS = """
.user-question { white-space: normal; }
.user-question.empty, .answer.pending { color: var(--body-text-color-subdued); font-style: italic; }
.answer .rewritten { font-size: 0.85em; color: var(--body-text-color-subdued); margin-bottom: 0.4em; font-style: italic; }
.answer .abstain-banner, .sources .abstain-banner {
  display: inline-block; font-weight: 600; color: #92400e; background: #fef3c7;
  border: 1px solid #f59e0b; border-radius: 6px; padding: 0.15em 0.6em; margin-bottom: 0.4em;
}
.answer .answer-sources { margin-top: 0.5em; font-size: 0.9em; }
.answer .notice { font-size: 0.85em; color: var(--body-text-color-subdued); margin-top: 0.3em; }
.answer.error .error-text { color: #b91c1c; }
.cite-marker {
  color: var(--color-accent); cursor: pointer; font-weight: 600; text-decoration: underline dotted;
  padding: 0 0.1em; border-radius: 3px;
}
.cite-marker:hover, .cite-marker:focus { background: var(--color-accent-soft); outline: none; }
.sources { position: relative; display: flex; flex-direction: column; gap: 0.6em; max-height: 38vh; overflow-y: auto; padding-right: 0.3em; }
.sources.empty { color: var(--body-text-color-subdued); padding: 0.5em; }
.sources-head { font-weight: 600; }
.source-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6em 0.8em; }
.source-card.active { border-color: var(--color-accent); box-shadow: 0 0 0 1px var(--color-accent); }
.source-title { font-weight: 600; }
.source-n { color: var(--color-accent); }
.source-meta, .source-section, .memo-label { font-size: 0.85em; color: var(--body-text-color-subdued); }
.source-passage { margin: 0.4em 0; padding-left: 0.6em; border-left: 3px solid var(--border-color-primary); font-size: 0.92em;
  max-height: 9em; overflow-y: auto; white-space: pre-wrap; }
.source-passage mark, .doc-viewer mark { background: #fde68a; color: inherit; padding: 0 0.1em; }
.memo-citation { font-size: 0.9em; margin: 0.2em 0 0.4em; }
.source-actions { display: flex; gap: 0.5em; flex-wrap: wrap; }
.source-actions button {
  border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.2em 0.6em;
  background: var(--button-secondary-background-fill); cursor: pointer; font-size: 0.85em;
}
.doc-viewer { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6em 0.8em; }
.doc-viewer.empty { color: var(--body-text-color-subdued); }
.doc-title { font-weight: 600; }
.doc-meta, .doc-note { font-size: 0.85em; color: var(--body-text-color-subdued); }
.doc-text { white-space: pre-wrap; position: relative; max-height: 42vh; overflow-y: auto; margin-top: 0.5em; line-height: 1.55; font-size: 0.92em; }
.corpus-head { margin-bottom: 0.5em; font-weight: 600; }
.corpus-table { width: 100%; border-collapse: collapse; font-size: 0.92em; }
.corpus-table th, .corpus-table td { border-bottom: 1px solid var(--border-color-primary); padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
.corpus-table td.num { text-align: right; }
.corpus-table .doc-id { font-size: 0.8em; color: var(--body-text-color-subdued); }
"""
