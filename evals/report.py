"""Writing a run: report.json (the DESIGN.md schema), report.md, PNG plots, comparisons.

report.md and the printed tables are read by whoever keeps the corpus, so their words are
Vietnamese; metric names stay as they are (hit@5, MRR@10, ...).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from evals.metrics import ALL_METRICS, AnswerView, aggregate_by_kind, contains_any, fold_all, score_question
from evals.runner import QuestionResult, RunResult

WORST = 10  # questions shown with what was retrieved
SNIPPET = 220  # characters of a passage shown in report.md

# Columns of the side-by-side tables: retrieval, then answers (each fits a terminal line).
RETRIEVAL_COLUMNS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10", "recall@10", "passage_chars_mean")
ANSWER_COLUMNS = (
    "fact_accuracy", "citation_support", "unsupported_number_rate", "abstention_precision",
    "abstention_recall", "false_abstention_rate", "answer_chars_median", "latency_p50_ms", "latency_p95_ms",
)
COMPARE_COLUMNS = RETRIEVAL_COLUMNS + ANSWER_COLUMNS
KIND_COLUMNS = ("questions", "hit@1", "hit@5", "mrr@10", "ndcg@10", "recall@10",
                "fact_accuracy", "citation_support", "abstention_recall")
LABELS = {
    "questions": "số câu", "with_gold": "có trích dẫn chuẩn",
    "fact_accuracy": "đúng dữ kiện", "citation_support": "trích dẫn đúng",
    "unsupported_number_rate": "số liệu không nguồn (tỷ lệ)", "unsupported_numbers": "số liệu không nguồn (số)",
    "abstention_precision": "từ chối: precision", "abstention_recall": "từ chối: recall",
    "answer_chars_median": "độ dài trả lời (ký tự, trung vị)",
    "false_abstention_rate": "từ chối câu có lời giải (tỷ lệ)",
    "passage_chars_mean": "độ dài đoạn tìm được (ký tự, trung bình)",
    "latency_p50_ms": "độ trễ p50 (ms)", "latency_p95_ms": "độ trễ p95 (ms)",
}


def fmt(value, metric: str = "") -> str:
    """A metric value for a table: rates with 3 decimals, ms with 0, counts as integers."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "có" if value else "không"
    if metric.endswith("_ms") or metric in {"passage_chars_mean", "answer_chars_median"}:
        return f"{value:.0f}"
    if isinstance(value, int) or metric in {"questions", "with_gold", "unsupported_numbers"}:
        return str(int(value))
    return f"{value:.3f}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured markdown table, columns padded for reading in a terminal."""
    cells = [list(header)] + [list(r) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


# --------------------------------------------------------------------------- report.json
def _hit_json(hit, folded_quotes: list[str]) -> dict:
    return {
        "rank": hit.rank, "chunk_id": hit.chunk_id, "doc_id": hit.doc_id, "text": hit.text,
        "score": hit.score, "section": hit.section, "start": hit.start, "end": hit.end,
        "relevant": contains_any(fold_all([hit.text])[0], folded_quotes) if folded_quotes else False,
    }


def _answer_json(answer) -> dict | None:
    if answer is None:
        return None
    return {
        "text": answer.answer,
        "abstained": answer.abstained,
        "citations": [
            {"n": c.n, "chunk_id": c.chunk_id, "doc_id": c.doc_id, "quote": c.quote, "text": c.passage,
             "section": c.section, "start": c.start, "end": c.end,
             "title": c.title, "number": c.number, "date": c.date}
            for c in answer.citations
        ],
        "rewritten_question": answer.rewritten_question,
        "mode": answer.mode,
        "timings_ms": answer.timings_ms,
    }


def question_json(result: QuestionResult) -> dict:
    """One question of report.json: what was asked, retrieved, answered, and its scores."""
    item, outcome = result.item, result.outcome
    quotes = [q for q in fold_all(item.gold_quotes) if q]
    return {
        "id": item.id,
        "question": item.question,
        "kind": item.kind,
        "split": item.split,
        "answerable": item.answerable,
        "history": item.history_json(),
        "gold_quotes": list(item.gold_quotes),
        "answer_facts": list(item.answer_facts),
        "searched": outcome.searched,
        "retrieved": [_hit_json(h, quotes) for h in outcome.retrieved],
        "relevant_in_index": result.relevant_in_index,
        "answer": _answer_json(outcome.answer),
        "latency_ms": outcome.latency_ms,
        "error": outcome.error or None,
        "scores": result.scores.to_json(),
    }


def report_json(run: RunResult, warnings: Sequence[str] = ()) -> dict:
    """The report of one run in the DESIGN.md schema (config, metrics, questions)."""
    return {
        "config": run.config,
        "metrics": run.metrics,
        "questions": [question_json(r) for r in run.results],
        "warnings": list(warnings),
        "seconds": round(run.seconds, 3),
    }


def rescore(report: dict) -> dict:
    """Metrics recomputed from a report.json alone (passage texts, answers, citations).

    Returns:
        {"overall": ..., "by_kind": ...}, equal to the report's own metrics when it was
        written by this version of the runner.
    """
    answers = bool(report.get("config", {}).get("answers", True))
    scores = []
    for q in report["questions"]:
        answer = q.get("answer")
        view = None
        if answers:
            cits = (answer or {}).get("citations") or []
            view = AnswerView(
                text=(answer or {}).get("text", ""),
                abstained=bool((answer or {}).get("abstained", True)),
                cited_passages=tuple(c.get("text") or c.get("quote", "") for c in cits),
                cited_metadata=tuple(
                    " ".join(x for x in (c.get("number"), c.get("date"), c.get("section"), c.get("title")) if x)
                    for c in cits
                ),
            )
        scores.append(score_question(
            q.get("kind", "other"), bool(q.get("answerable", True)), q.get("gold_quotes", []),
            q.get("answer_facts", []), [h["text"] for h in q.get("retrieved", [])], float(q.get("latency_ms", 0.0)),
            view, q.get("relevant_in_index"),
        ))
    return aggregate_by_kind(scores)


# --------------------------------------------------------------------------- report.md
def _overall_table(metrics: dict) -> str:
    rows = [[LABELS.get(m, m), fmt(metrics.get(m), m)] for m in ("questions", "with_gold", *ALL_METRICS)]
    return markdown_table(["chỉ số", "giá trị"], rows)


def kind_table(by_kind: dict, overall: dict | None = None) -> str:
    """Rows = kinds (and "tất cả"), columns = the main metrics."""
    rows = [[kind, *(fmt(m.get(c), c) for c in KIND_COLUMNS)] for kind, m in by_kind.items()]
    if overall is not None:
        rows.append(["**tất cả**", *(fmt(overall.get(c), c) for c in KIND_COLUMNS)])
    return markdown_table(["loại", *(LABELS.get(c, c) for c in KIND_COLUMNS)], rows)


def _snippet(text: str, n: int = SNIPPET) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def worst_questions(run: RunResult, n: int = WORST) -> list[QuestionResult]:
    """Answerable questions retrieval served worst: first relevant rank, quote recall, facts."""
    scored = [r for r in run.results if r.scores.rr is not None]
    scored.sort(key=lambda r: (r.scores.rr, r.scores.recall or 0.0, bool(r.scores.fact_correct), r.item.id))
    return scored[:n]


def _question_block(result: QuestionResult) -> list[str]:
    item, out, s = result.item, result.outcome, result.scores
    quotes = [q for q in fold_all(item.gold_quotes) if q]
    rank = s.first_relevant if s.first_relevant is not None else "không có trong top 10"
    lines = [f"#### `{item.id}` ({item.kind}) — đoạn đúng đầu tiên: {rank}", "", f"- Câu hỏi: {item.question}"]
    if item.history:
        lines.append(f"- Lịch sử: {' / '.join(_snippet(t.content, 80) for t in item.history)}")
    if out.searched and out.searched != item.question:
        lines.append(f"- Đã tìm: {out.searched}")
    for q in item.gold_quotes:
        lines.append(f"- Trích dẫn chuẩn: «{q}»")
    if out.error:
        lines.append(f"- Lỗi: {out.error}")
    for hit in out.retrieved[:3]:
        mark = "✓" if contains_any(fold_all([hit.text])[0], quotes) else "✗"
        lines.append(f"  {hit.rank}. {mark} `{hit.doc_id}` {_snippet(hit.section or '', 60)} — {_snippet(hit.text)}")
    if out.answer is not None:
        state = "từ chối" if out.answer.abstained else ("đúng dữ kiện" if s.fact_correct else "thiếu dữ kiện")
        lines.append(f"- Trả lời ({state}): {_snippet(out.answer.answer, 300)}")
    lines.append("")
    return lines


def report_markdown(run: RunResult, warnings: Sequence[str] = ()) -> str:
    """report.md: configuration, overall and per-kind tables, worst questions, warnings."""
    cfg = run.config
    m = run.metrics
    lines = [
        f"# Báo cáo đánh giá: {cfg.get('name')}",
        "",
        f"- Cấu hình: {cfg.get('description', '')}",
        f"- Tập câu hỏi: `{cfg.get('dataset', '')}`, phần `{cfg.get('split', '')}`, {m['overall']['questions']} câu",
        f"- Chỉ mục: `{cfg.get('index', '')}`; mô hình nhúng `{cfg.get('embed_model', '')}`",
        f"- Thời gian chạy: {run.seconds:.1f} giây; lúc {cfg.get('started', '')}",
        "",
        "Một đoạn được coi là đúng khi chứa một trích dẫn chuẩn (so sánh sau khi chuẩn hóa dấu, chữ hoa, khoảng trắng).",
        "",
        "## Tổng thể",
        "",
        _overall_table(m["overall"]),
        "",
        "## Theo loại câu hỏi",
        "",
        kind_table(m["by_kind"], m["overall"]),
        "",
        "![chỉ số](metrics.png)",
        "",
        "![độ trễ](latency.png)",
        "",
    ]
    if run.errors:
        lines += ["## Lỗi", ""] + [f"- `{r.item.id}`: {r.outcome.error}" for r in run.errors] + [""]
    if warnings:
        lines += ["## Cảnh báo", ""] + [f"- {w}" for w in warnings] + [""]
    lines += ["## Những câu tìm kém nhất", ""]
    for result in worst_questions(run):
        lines += _question_block(result)
    lines += _answer_sections(run)
    return "\n".join(lines)


def _answer_sections(run: RunResult) -> list[str]:
    """Answers that went wrong: missing facts, needless abstentions, unanswerable answered."""
    lines: list[str] = []
    missing = [r for r in run.results if r.scores.fact_correct is False and r.scores.abstained is False]
    refused = [r for r in run.results if r.item.answerable and r.scores.abstained]
    answered = [r for r in run.results if not r.item.answerable and r.scores.abstained is False]
    sections = (
        ("Câu trả lời thiếu dữ kiện", missing,
         lambda r: f"cần: {', '.join(r.item.answer_facts)} → {_snippet(r.outcome.answer.answer, 200)}"),
        ("Câu có lời giải nhưng bị từ chối", refused,
         lambda r: f"trích dẫn chuẩn: «{_snippet(r.item.gold_quotes[0], 120)}»" if r.item.gold_quotes else ""),
        ("Câu không có lời giải nhưng vẫn được trả lời", answered,
         lambda r: f"→ {_snippet(r.outcome.answer.answer, 200)}"),
    )
    for title, results, detail in sections:
        if not results:
            continue
        lines += [f"## {title} ({len(results)})", ""]
        lines += [f"- `{r.item.id}` ({r.item.kind}) {r.item.question} — {detail(r)}" for r in results[:WORST * 2]]
        lines.append("")
    return lines


# --------------------------------------------------------------------------- plots
PLOT_METRICS = ("hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10", "recall@10",
                "fact_accuracy", "citation_support", "abstention_precision", "abstention_recall")


def plot_metrics(runs: Sequence[RunResult], path: Path) -> None:
    """Grouped bars: the main metrics, one bar per configuration."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(max(8, 1.1 * len(PLOT_METRICS) * max(1, len(runs)) / 2), 4.5))
    width = 0.8 / max(1, len(runs))
    for i, run in enumerate(runs):
        values = [run.metrics["overall"].get(m) for m in PLOT_METRICS]
        xs = [j + (i - (len(runs) - 1) / 2) * width for j in range(len(PLOT_METRICS))]
        bars = ax.bar(xs, [v if v is not None else 0.0 for v in values], width, label=run.name)
        if len(runs) == 1:
            ax.bar_label(bars, labels=["–" if v is None else f"{v:.2f}" for v in values], fontsize=8)
    ax.set_xticks(range(len(PLOT_METRICS)))
    ax.set_xticklabels(PLOT_METRICS, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("giá trị")
    ax.set_title("Chỉ số theo cấu hình (– vẽ là 0: không áp dụng)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_latency(runs: Sequence[RunResult], path: Path) -> None:
    """Latency distribution per configuration (box plot, log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = [[max(r.outcome.latency_ms, 0.01) for r in run.results] or [0.01] for run in runs]
    fig, ax = plt.subplots(figsize=(max(6, 1.4 * len(runs)), 4))
    ax.boxplot(data, showfliers=True)
    ax.set_xticks(range(1, len(runs) + 1))
    ax.set_xticklabels([run.name for run in runs], rotation=15)
    ax.set_yscale("log")
    ax.set_ylabel("ms (thang log)")
    ax.set_title("Độ trễ mỗi câu hỏi")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --------------------------------------------------------------------------- writing
def write_report(run: RunResult, out_dir: Path, warnings: Sequence[str] = ()) -> Path:
    """Write report.json, report.md, metrics.png and latency.png into out_dir.

    Returns:
        The path of report.json.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.json"
    path.write_text(json.dumps(report_json(run, warnings), ensure_ascii=False, indent=1), encoding="utf-8")
    (out_dir / "report.md").write_text(report_markdown(run, warnings), encoding="utf-8")
    plot_metrics([run], out_dir / "metrics.png")
    plot_latency([run], out_dir / "latency.png")
    return path


def compare_table(runs: Sequence[RunResult], columns: Sequence[str] = COMPARE_COLUMNS) -> str:
    """Configurations side by side on the overall metrics."""
    rows = [[run.name, *(fmt(run.metrics["overall"].get(c), c) for c in columns)] for run in runs]
    return markdown_table(["cấu hình", *columns], rows)


def compare_by_kind(runs: Sequence[RunResult], metric: str = "mrr@10") -> str:
    """One metric per kind (rows) and configuration (columns)."""
    kinds = sorted({k for run in runs for k in run.metrics["by_kind"]})
    rows = [[kind, *(fmt(run.metrics["by_kind"].get(kind, {}).get(metric), metric) for run in runs)] for kind in kinds]
    return markdown_table([f"{metric} theo loại", *(run.name for run in runs)], rows)


def compare_markdown(runs: Sequence[RunResult]) -> str:
    """compare.md: the side-by-side table, per-kind MRR and fact accuracy, what each config is."""
    lines = ["# So sánh cấu hình", "", compare_table(runs, RETRIEVAL_COLUMNS), "",
             compare_table(runs, ANSWER_COLUMNS), ""]
    for metric in ("mrr@10", "fact_accuracy"):
        lines += [compare_by_kind(runs, metric), ""]
    lines += ["![so sánh](compare.png)", "", "## Các cấu hình", ""]
    lines += [f"- `{run.name}`: {run.config.get('description', '')} ([báo cáo]({run.name}/report.md))" for run in runs]
    lines += ["", "Chỉ số trả lời để trống (–) với cấu hình chỉ truy xuất; độ trễ của chúng là độ trễ tìm kiếm."]
    return "\n".join(lines) + "\n"


def write_compare(runs: Sequence[RunResult], out_dir: Path) -> Path:
    """Write compare.md and compare.png (the per-configuration reports are written apart)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "compare.md"
    path.write_text(compare_markdown(runs), encoding="utf-8")
    plot_metrics(runs, out_dir / "compare.png")
    plot_latency(runs, out_dir / "compare-latency.png")
    return path
