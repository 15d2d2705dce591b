"""Latency of `Assistant.ask` on the bundled corpus over every eval question (a benchmark,
not a test).

Usage:
    ASSISTANT_DATA_DIR=/tmp/bench-data python benchmarks/bench_ask.py [--rounds 3] [--cold]

Builds the bundled index in ASSISTANT_DATA_DIR (default: a fresh temp dir) unless it is
already there, embeds the sentences of every passage once (`Assistant.warm_up`, cached on
disk like the passage vectors; `--cold` skips it, so questions pay for the sentences they
meet first), then prints p50/p95 of `ask` (with the conversation history of follow-ups) and
of the bare query embedding, and their ratio. Target: p50 ask <= 3x p50 query embedding.
Each ask pays for its query embedding (the retriever's query cache is cleared).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer import Assistant  # noqa: E402
from assistant.retrieval import Retriever  # noqa: E402
from benchmarks.bundled import bundled_index  # noqa: E402
from evals.metrics import percentile  # noqa: E402

QUESTIONS = ROOT / "evals" / "data" / "questions.jsonl"



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the questions")
    parser.add_argument("--cold", action="store_true", help="do not embed the corpus sentences beforehand")
    args = parser.parse_args()

    settings, embedder = bundled_index("bench-ask-", llm_url="")

    started = time.perf_counter()
    retriever = Retriever(settings, embedder=embedder)
    assistant = Assistant(settings, retriever=retriever)
    assistant.corpus()
    print(f"assistant start-up: {time.perf_counter() - started:.2f} s")
    if not args.cold:
        started = time.perf_counter()
        units = assistant.warm_up()
        print(f"sentence vectors: {units} units ready in {time.perf_counter() - started:.1f} s")

    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    for item in items[:5]:  # warm-up: model, segmenter, Chroma caches
        assistant.ask(item["question"], history=item.get("history", []))

    ask_ms, embed_ms, answer_ms = [], [], []
    abstained = 0
    for _ in range(args.rounds):
        for item in items:
            retriever.clear_query_cache()  # every ask pays for its query embedding
            t0 = time.perf_counter()
            answer = assistant.ask(item["question"], history=item.get("history", []))
            ask_ms.append((time.perf_counter() - t0) * 1000)
            answer_ms.append(answer.timings_ms.get("answer", 0.0))
            abstained += answer.abstained
            t0 = time.perf_counter()
            embedder.get_query_embedding(item["question"])
            embed_ms.append((time.perf_counter() - t0) * 1000)

    a50, a95 = percentile(ask_ms, 50), percentile(ask_ms, 95)
    e50, e95 = percentile(embed_ms, 50), percentile(embed_ms, 95)
    print(f"questions: {len(items)} x {args.rounds} rounds ({abstained // args.rounds} abstained per round)")
    print(f"ask:             p50 {a50:7.1f} ms   p95 {a95:7.1f} ms   mean {statistics.mean(ask_ms):7.1f} ms")
    print(f"  of which answer composition: p50 {percentile(answer_ms, 50):.1f} ms")
    print(f"query embedding: p50 {e50:7.1f} ms   p95 {e95:7.1f} ms")
    ratio = a50 / e50 if e50 else float("inf")
    verdict = "OK" if ratio <= 3.0 else "ABOVE TARGET"
    print(f"p50 ask / p50 query embedding = {ratio:.2f} (target <= 3.0): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
