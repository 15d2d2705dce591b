"""Load on the web chat: N users asking at once through gradio_client (a benchmark, not a test).

Usage:
    ASSISTANT_DATA_DIR=/tmp/load-data python benchmarks/load_chat.py [--users 20] [--rounds 1]
    python benchmarks/load_chat.py --url http://127.0.0.1:7860/ [--auth user:password]

Without --url it starts the chat in-process on a free port (building the index in
ASSISTANT_DATA_DIR first if there is none), exactly as `assistant chat` would serve it.
Each simulated user has its own gradio_client session; all of them send their question at
the same instant (a barrier), through the named endpoint "/ask". Prints p50/p95/max
latency, the error count and the throughput. Target: every question answered (0 errors).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.metrics import percentile  # noqa: E402

QUESTIONS_FILE = ROOT / "evals" / "data" / "questions.jsonl"
FALLBACK_QUESTIONS = [
    "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn năm 2025 là bao nhiêu?",
    "Mục tiêu phát triển công nghiệp của Tuyên Quang giai đoạn 2021 - 2025?",
    "Long An có những giải pháp nào để tái cơ cấu ngành công nghiệp?",
    "Vì sao Lạng Sơn dừng xây dựng Đề án phát triển công nghiệp?",
    "ty trong cong nghiep lang son 2025",
]



def questions(n: int, offset: int = 0) -> list[str]:
    """n questions without history, from `offset` on: from the eval set when present, else a
    built-in list (each round asks different ones, so no round profits from another's caches)."""
    pool = []
    if QUESTIONS_FILE.exists():
        for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                if not entry.get("history"):
                    pool.append(entry["question"])
    pool = pool or FALLBACK_QUESTIONS
    return [pool[(offset + i) % len(pool)] for i in range(n)]


def start_local(cold: bool) -> tuple[object, str]:
    """Serve the chat in-process on a free 127.0.0.1 port, as `assistant chat` does.

    Args:
        cold: skip the warm-up that `assistant chat` runs in the background at start-up
            (by default it is awaited here, so that the figures are those of a warmed chat).
    """
    from assistant.ui import _open_or_build, create_app, launch_app, warm_up
    from index.settings import Settings

    settings = Settings.from_env(host="127.0.0.1")
    assistant = _open_or_build(settings)
    if not cold:
        started = time.perf_counter()
        warm_up(assistant)
        print(f"warm-up done in {time.perf_counter() - started:.1f} s")
    app = create_app(settings, assistant)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return app, launch_app(app, settings, port=port)


def run(url: str, users: int, auth: tuple[str, str] | None, offset: int = 0) -> tuple[list[float], list[str], float]:
    """Send one question per user at the same instant; return latencies (s), errors, wall time."""
    from gradio_client import Client

    asked = questions(users, offset)
    clients = [Client(url, auth=auth, verbose=False) for _ in range(users)]
    barrier = threading.Barrier(users + 1)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(i: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            result = clients[i].predict(question=asked[i], api_name="/ask")
            if not isinstance(result, dict) or "answer" not in result:
                raise ValueError(f"unexpected result: {str(result)[:100]}")
        except Exception as exc:  # counted, not raised: the point is to see how many fail
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
            return
        with lock:
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    barrier.wait()
    wall = time.perf_counter()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running chat; default: start one in-process")
    parser.add_argument("--users", type=int, default=20, help="simultaneous users")
    parser.add_argument("--rounds", type=int, default=1, help="bursts, one after the other")
    parser.add_argument("--auth", help="user:password when the chat requires a login")
    parser.add_argument("--cold", action="store_true", help="in-process chat: do not wait for the warm-up")
    args = parser.parse_args()
    auth = tuple(args.auth.split(":", 1)) if args.auth else None

    app = None
    url = args.url
    if not url:
        started = time.perf_counter()
        app, url = start_local(args.cold)
        print(f"chat started at {url} in {time.perf_counter() - started:.1f} s")
    try:
        all_latencies, all_errors = [], []
        for r in range(args.rounds):
            latencies, errors, wall = run(url, args.users, auth, offset=r * args.users)
            all_latencies += latencies
            all_errors += errors
            print(f"round {r + 1}: {len(latencies)}/{args.users} answered in {wall:.2f} s "
                  f"({len(latencies) / wall:.1f} answers/s), {len(errors)} errors")
        if all_latencies:
            print(f"latency over {len(all_latencies)} answers: p50 {percentile(all_latencies, 50):.2f} s, "
                  f"p95 {percentile(all_latencies, 95):.2f} s, max {max(all_latencies):.2f} s, "
                  f"mean {statistics.mean(all_latencies):.2f} s")
        print(f"errors: {len(all_errors)}")
        for e in sorted(set(all_errors))[:5]:
            print(f"  {e}")
    finally:
        if app is not None:
            app.close()
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main())
