"""`assistant eval`: registered into the assistant CLI through the "assistant.commands" entry point.

    assistant eval [--dataset PATH] [--split dev|test|all] [--compare CONFIG ...] [--out DIR]
                   [--gate [THRESHOLDS]] [--limit N] [--quiet]
    assistant eval --from-feedback [PATH] [--out FILE]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from evals.configs import CONFIG_NAMES
from evals.dataset import DEFAULT_DATASET, SPLITS
from evals.gate import DEFAULT_THRESHOLDS
from index.settings import PROJECT_ROOT, Settings

SHOW_WARNINGS = 5  # gold-quote warnings printed; all of them go into the report


def register(subparsers, add_common) -> None:
    """Add the `eval` subcommand to the assistant CLI.

    Args:
        subparsers: the CLI's argparse subparsers action.
        add_common: adds --data-dir/--corpus to a parser.
    """
    p = subparsers.add_parser(
        "eval", help="đánh giá truy xuất và câu trả lời trên bộ câu hỏi chuẩn",
        description="Chạy bộ câu hỏi qua cùng Retriever/Assistant mà khung chat dùng; ghi report.json, report.md và biểu đồ.",
    )
    add_common(p)
    p.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="tệp JSONL câu hỏi (mặc định: evals/data/questions.jsonl)")
    p.add_argument("--split", choices=SPLITS, default="test",
                   help="phần của bộ câu hỏi (mặc định test; tệp không ghi split thì chạy toàn bộ)")
    p.add_argument("--compare", nargs="+", metavar="CONFIG", choices=CONFIG_NAMES,
                   help=f"so sánh nhiều cấu hình: {', '.join(CONFIG_NAMES)}")
    p.add_argument("--out", type=Path, help="thư mục kết quả (mặc định runs/<thời điểm>); với --from-feedback: tệp JSONL")
    p.add_argument("--gate", nargs="?", const=DEFAULT_THRESHOLDS, type=Path, metavar="THRESHOLDS",
                   help="so với ngưỡng (mặc định evals/thresholds.toml); mã thoát 1 nếu một chỉ số dưới ngưỡng")
    p.add_argument("--from-feedback", nargs="?", const="", default=None, metavar="PATH",
                   help="biến các đánh giá 'không hài lòng' trong tệp phản hồi thành câu hỏi nháp")
    p.add_argument("--rescore", type=Path, metavar="REPORT",
                   help="tính lại chỉ số từ một report.json có sẵn (không cần chỉ mục); dùng được với --gate")
    p.add_argument("--limit", type=int, help="chỉ chạy N câu đầu (để thử nhanh)")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.add_argument("--no-warm-up", dest="warm_up", action="store_false",
                   help="không nhúng trước các câu của kho tài liệu (độ trễ khi đó gồm cả lần nhúng đầu)")
    p.set_defaults(func=cmd_eval)


def _settings(args) -> Settings:
    return Settings.from_env(data_dir=args.data_dir, corpus_dir=args.corpus)


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_eval(args) -> int:
    """Entry point of `assistant eval` (returns the exit code)."""
    settings = _settings(args)
    if args.from_feedback is not None:
        return cmd_feedback(args, settings)
    if args.rescore:
        return cmd_rescore(args)
    if args.gate and args.compare:
        _err("Lỗi: --gate kiểm tra cấu hình hệ thống; không dùng cùng --compare.")
        return 2
    from evals.dataset import load_dataset

    try:
        dataset = load_dataset(args.dataset, args.split)
    except FileNotFoundError:
        _err(f"Lỗi: không có tệp câu hỏi {args.dataset}")
        return 2
    for problem in dataset.problems:
        _err(f"Cảnh báo: {args.dataset}: {problem}")
    if not dataset.has_splits and args.split != "all":
        _err(f"Lưu ý: {args.dataset} không ghi split; chạy toàn bộ {dataset.total} câu.")
    items = list(dataset.items[: args.limit] if args.limit else dataset.items)
    if not items:
        _err(f"Lỗi: không có câu hỏi nào trong phần '{args.split}' của {args.dataset}.")
        return 2
    if args.gate and args.split != "test":
        _err("Lưu ý: ngưỡng được đặt cho phần test; đang kiểm tra trên phần khác.")

    out = Path(args.out) if args.out else Path("runs") / time.strftime("%Y%m%d-%H%M%S")
    runs, _ = run_all(settings, items, dataset, args.compare or ["system"], out,
                      compared=bool(args.compare), progress=not args.quiet, warm_up=args.warm_up)
    print_summary(runs, out, compared=bool(args.compare))
    if args.gate:
        return gate(runs[0], args.gate)
    return 0


def _ensure_index(res) -> str:
    """The served build's name; builds the index first when there is none."""
    from index.build import build_index
    from index.vectors import model_id

    build = res.store.served(model_id(res.embedder))
    if build is None:
        _err("Chưa có chỉ mục: đang xây dựng từ kho tài liệu (assistant index)...")
        build_index(res.settings, embedder=res.embedder, store=res.store, progress=sys.stderr.isatty())
        build = res.store.served(model_id(res.embedder))
    return build.name if build else ""


def _git_commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                              capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def run_all(settings, items, dataset, names, out: Path, compared: bool, progress: bool = True,
            warm_up: bool = True):
    """Prepare each configuration, run it over the items and write its report.

    With warm_up, the assistant's per-sentence vectors are computed (or read from the cache)
    before timing, so every configuration's latency is measured the same, warm way.

    Returns:
        (runs in the order asked, gold-quote warnings)
    """
    from evals.configs import Resources, make_config
    from evals.dataset import missing_quotes
    from evals.report import write_compare, write_report
    from evals.runner import run_config

    res = Resources(settings)
    index_name = _ensure_index(res)
    warnings = [str(w) for w in missing_quotes(items, [t for _, t, _ in res.documents()], res.chunk_texts())]
    if warnings:
        _err(f"Cảnh báo: {len(warnings)} trích dẫn chuẩn không khớp kho tài liệu (chi tiết trong report.md):")
        for w in warnings[:SHOW_WARNINGS]:
            _err(f"  {w}")
    info = {
        "dataset": str(dataset.path), "split": dataset.split if dataset.has_splits else "(toàn bộ)",
        "questions": len(items), "index": index_name, "embed_model": getattr(res.embedder, "model_name", ""),
        "chunk_tokens": settings.chunk_tokens, "data_dir": str(settings.data_dir),
        "corpus_dir": str(settings.corpus_dir), "chroma_url": settings.chroma_url or None,
        "llm_url": settings.llm_url or None, "llm_model": settings.llm_model or None,
        "commit": _git_commit(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    runs = []
    for name in names:
        config = make_config(name, res)
        if warm_up and hasattr(config, "warm_up"):
            started = time.perf_counter()
            config.warm_up()
            if time.perf_counter() - started > 2:
                _err(f"Đã nhúng trước các câu của kho tài liệu ({time.perf_counter() - started:.0f} giây, lưu đệm cho lần sau).")
        run = run_config(config, items, info, progress=progress)
        write_report(run, out / name if compared else out, warnings)
        if run.errors:
            _err(f"Cảnh báo: {len(run.errors)} câu gặp lỗi trong cấu hình {name} (xem report.md).")
        runs.append(run)
    if compared:
        write_compare(runs, out)
    return runs, warnings


def print_summary(runs, out: Path, compared: bool) -> None:
    """The side-by-side table (compare) or the overall and per-kind tables (one run)."""
    from evals.report import ANSWER_COLUMNS, RETRIEVAL_COLUMNS, compare_by_kind, compare_table, kind_table

    print(compare_table(runs, RETRIEVAL_COLUMNS))
    print()
    print(compare_table(runs, ANSWER_COLUMNS))
    print()
    if compared:
        print(compare_by_kind(runs, "mrr@10"))
        print(f"\nBáo cáo: {out}/compare.md và {out}/<cấu hình>/report.md")
        return
    run = runs[0]
    print(kind_table(run.metrics["by_kind"], run.metrics["overall"]))
    print(f"\nBáo cáo: {out}/report.md, {out}/report.json")


def cmd_rescore(args) -> int:
    """`--rescore REPORT`: metrics recomputed from a report.json alone, printed (and gated)."""
    import json

    from evals.report import ANSWER_COLUMNS, RETRIEVAL_COLUMNS, kind_table, markdown_table, fmt, rescore

    try:
        report = json.loads(Path(args.rescore).read_text(encoding="utf-8"))
        metrics = rescore(report)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _err(f"Lỗi: không đọc được báo cáo {args.rescore}: {exc}")
        return 2
    name = report.get("config", {}).get("name", "?")
    for columns in (RETRIEVAL_COLUMNS, ANSWER_COLUMNS):
        print(markdown_table(["cấu hình", *columns], [[name, *(fmt(metrics["overall"].get(c), c) for c in columns)]]))
        print()
    print(kind_table(metrics["by_kind"], metrics["overall"]))
    if args.gate:
        return gate(metrics, args.gate)
    return 0


def gate(run_or_metrics, thresholds: Path) -> int:
    """Check overall metrics (of a RunResult or a metrics dict) against the thresholds.

    Returns:
        1 when any bound is broken, else 0.
    """
    from evals.gate import check, load_thresholds

    metrics = getattr(run_or_metrics, "metrics", run_or_metrics)
    failures = check(metrics["overall"], load_thresholds(thresholds))
    if failures:
        _err(f"Kiểm tra ngưỡng THẤT BẠI ({len(failures)} chỉ số, ngưỡng trong {thresholds}):")
        for failure in failures:
            _err(f"  {failure}")
        return 1
    print(f"Kiểm tra ngưỡng: đạt ({thresholds}).")
    return 0


def cmd_feedback(args, settings: Settings) -> int:
    """`--from-feedback`: thumbs-down items to draft entries (stdout, or --out FILE)."""
    from evals.feedback import drafts_from_file, to_jsonl

    path = Path(args.from_feedback) if args.from_feedback else settings.feedback_file
    try:
        drafts = drafts_from_file(path)
    except FileNotFoundError:
        _err(f"Lỗi: chưa có tệp phản hồi {path}")
        return 2
    for problem in drafts.problems:
        _err(f"Cảnh báo: {path}: {problem}")
    text = to_jsonl(drafts.entries)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    _err(f"{len(drafts.entries)} câu nháp từ phản hồi 'không hài lòng' ({drafts.duplicates} trùng, "
         f"{drafts.thumbs_up} phản hồi khác bỏ qua){f' -> {args.out}' if args.out else ''}. "
         "Hãy điền gold_quotes, answer_facts, answerable, kind, split rồi bỏ \"draft\" trước khi thêm vào bộ câu hỏi.")
    return 0


if __name__ == "__main__":  # pragma: no cover - for `python -m evals.cli`
    parser = argparse.ArgumentParser(prog="assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub, lambda p: (p.add_argument("--data-dir"), p.add_argument("--corpus")))
    parsed = parser.parse_args()
    sys.exit(parsed.func(parsed))
