"""`assistant`: a thin shell over the library. Domain errors become one line on stderr."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from importlib.metadata import entry_points

from index.errors import AssistantError, IndexNotBuilt
from index.settings import Settings


def _settings(args) -> Settings:
    return Settings.from_env(
        data_dir=getattr(args, "data_dir", None),
        corpus_dir=getattr(args, "corpus", None),
    )


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", help="thư mục chỉ mục (mặc định: ASSISTANT_DATA_DIR hoặc ./data)")
    p.add_argument("--corpus", help="thư mục tài liệu (mặc định: ASSISTANT_CORPUS_DIR hoặc ./corpus)")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--province", help="chỉ tìm trong tài liệu của tỉnh này")
    p.add_argument("--doc", help="chỉ tìm trong tài liệu này (doc_id)")
    p.add_argument("--kind", choices=["resolution", "news"], help="loại tài liệu")
    p.add_argument("--date-from", help="từ ngày (YYYY-MM-DD)")
    p.add_argument("--date-to", help="đến ngày (YYYY-MM-DD)")


def _filters(args):
    from assistant.records import Filters

    return Filters(
        province=args.province, doc_id=args.doc, kind=args.kind, date_from=args.date_from, date_to=args.date_to
    )


def cmd_index(args) -> int:
    from index.build import build_index

    settings = _settings(args)
    summary = build_index(settings, progress=not args.json and sys.stderr.isatty() or args.progress)
    warm = _warm_sentence_vectors(settings) if summary.changed else None
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
        return 0
    state = "đã cập nhật" if summary.changed else "không có gì thay đổi"
    print(f"Chỉ mục {state}: {summary.documents} tài liệu, {summary.chunks} đoạn; "
          f"nhúng mới {summary.embedded}, lấy từ bộ nhớ đệm {summary.cached}; {summary.seconds:.2f} giây.")
    for label, ids in (("Thêm", summary.added), ("Cập nhật", summary.updated), ("Xóa", summary.removed)):
        if ids:
            print(f"  {label}: {', '.join(ids)}")
    for skipped in summary.skipped:
        print(f"  Bỏ qua {skipped.path}: {skipped.reason}")
    if warm is not None:
        print(f"  Vectơ từng câu cho tìm kiếm đã sẵn sàng ({warm:.1f} giây).")
    return 0


def _warm_sentence_vectors(settings) -> float | None:
    """Compute the retriever's per-sentence vectors right after a build that changed something,
    so the first search of a new process reads them from the cache instead of embedding them
    (17 s for the bundled corpus on 2 cores). Returns the seconds spent, None if nothing is served."""
    from assistant.retrieval import Retriever

    try:
        return Retriever(settings).warm_up()
    except IndexNotBuilt:  # every document was skipped: nothing to warm
        return None


def cmd_search(args) -> int:
    from assistant.retrieval import Retriever

    retriever = Retriever(_settings(args))
    result = retriever.search_with_notices(args.query, k=args.k, filters=_filters(args))
    if args.json:
        print(json.dumps({"query": args.query, "notices": result.notices,
                          "hits": [h.to_json() for h in result.hits]}, ensure_ascii=False, indent=2))
        return 0
    for notice in result.notices:
        print(f"Lưu ý: {notice}", file=sys.stderr)
    if not result.hits:
        print("Không tìm thấy đoạn văn nào.")
    for hit in result.hits:
        dense = "-" if hit.dense_score is None else f"{hit.dense_score:.3f}"
        lexical = "-" if hit.lexical_score is None else f"{hit.lexical_score:.2f}"
        print(f"[{hit.rank}] {hit.score:.3f} (dense {dense}, bm25 {lexical})  {hit.title}")
        if hit.section:
            print(f"    Mục: {hit.section}")
        print(f"    {hit.doc_id} [{hit.start}:{hit.end}]  {hit.chunk_id}")
        text = " ".join(hit.text.split())
        print(f"    {text[:300]}{'…' if len(text) > 300 else ''}\n")
    return 0


def cmd_ask(args) -> int:
    from assistant.answer import Assistant
    from assistant.citations import format_citation

    answer = Assistant(_settings(args)).ask(args.question, filters=_filters(args))
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    for notice in answer.notices:
        print(f"Lưu ý: {notice}", file=sys.stderr)
    if answer.rewritten_question and answer.rewritten_question != answer.question:
        print(f"(Đã tìm: {answer.rewritten_question})")
    print(answer.answer)
    if answer.citations:
        print("\nNguồn:")
        for c in answer.citations:
            print(f"[{c.n}] {format_citation(c)}")
    return 0


def cmd_chat(args) -> int:
    from assistant.ui import serve

    settings = _settings(args)
    overrides = {k: v for k, v in {"host": args.host, "port": args.port}.items() if v}
    serve(settings.with_(**overrides), allow_unauthenticated_remote=args.no_auth)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant", description="Trợ lý hỏi đáp nghị quyết, trích dẫn đúng nguồn."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi log chi tiết")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="xây dựng hoặc cập nhật chỉ mục")
    _add_common(p)
    p.add_argument("--json", action="store_true", help="in tóm tắt dạng JSON")
    p.add_argument("--progress", action="store_true", help="luôn hiện thanh tiến trình")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="tìm đoạn văn liên quan")
    _add_common(p)
    _add_filters(p)
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10, help="số đoạn văn trả về")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="hỏi và nhận câu trả lời có trích dẫn")
    _add_common(p)
    _add_filters(p)
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="in Answer JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="mở giao diện trò chuyện trên web")
    _add_common(p)
    p.add_argument("--host", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    p.add_argument("--port", type=int, help="cổng (mặc định 7860)")
    p.add_argument(
        "--no-auth", action="store_true",
        help="cho phép mở ra địa chỉ khác 127.0.0.1 mà KHÔNG cần đăng nhập (ai truy cập được mạng đều dùng được)",
    )
    p.set_defaults(func=cmd_chat)

    # Subcommands from other packages (evals registers `eval`), found without importing upward.
    for ep in entry_points(group="assistant.commands"):
        try:
            ep.load()(sub, _add_common)
        except ImportError as exc:  # a plugin whose dependencies are missing
            logging.getLogger(__name__).debug("command %s unavailable: %s", ep.name, exc)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args) or 0
    except AssistantError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
