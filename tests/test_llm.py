"""The generative path against a small OpenAI-compatible server on 127.0.0.1 (real HTTP,
the real /v1/chat/completions protocol that llama-index's OpenAILike speaks)."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.answer import Assistant
from assistant.llm import verify
from assistant.records import Hit
from assistant.retrieval import Retriever

QUESTION = "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn năm 2025 là bao nhiêu?"
FIGURE = "13 - 14%"


class FakeLLM:
    """What the fake endpoint answers: `reply(system, user) -> str`, and what it received."""

    def __init__(self):
        self.requests: list[dict] = []
        self.reply = lambda system, user: ""


def _passage_with(user: str, needle: str) -> int:
    """The [n] of the numbered passage (as sent to the LLM) that contains `needle`."""
    for block in re.split(r"\n\n(?=\[\d+\] )", user):
        match = re.match(r"\[(\d+)\] ", block)
        if match and needle in block:
            return int(match.group(1))
    raise AssertionError(f"{needle!r} not in any passage")


@pytest.fixture(scope="module")
def fake_llm():
    state = FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server API)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
            messages = body["messages"]
            system = next(m["content"] for m in messages if m["role"] == "system")
            user = next(m["content"] for m in messages if m["role"] == "user")
            content = state.reply(system, user)
            payload = json.dumps({
                "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def assistant(bundled_index, embedder, fake_llm) -> Assistant:
    settings = bundled_index.with_(llm_url=fake_llm.url, llm_model="fake-model", llm_api_key="secret-key")
    return Assistant(settings, retriever=Retriever(settings, embedder=embedder))


def test_a_faithful_generated_answer_is_shown_with_renumbered_citations(assistant, fake_llm):
    def reply(system, user):
        n = _passage_with(user, FIGURE)
        return f"Đến năm 2025, tỷ trọng ngành công nghiệp của Lạng Sơn trong tổng sản phẩm trên địa bàn đạt {FIGURE} [{n}]."

    fake_llm.reply = reply
    fake_llm.requests.clear()
    answer = assistant.ask(QUESTION)
    assert answer.mode == "generative"
    assert answer.answer == (
        f"Đến năm 2025, tỷ trọng ngành công nghiệp của Lạng Sơn trong tổng sản phẩm trên địa bàn đạt {FIGURE} [1]."
    )
    [c] = answer.citations
    assert c.doc_id == "lang-son-nq45-tin-ban-hanh" and FIGURE in c.quote
    text, _ = assistant.retriever.document(c.doc_id)
    assert text[c.start:c.end] == c.quote
    # What OpenAILike sent over the wire.
    [request] = fake_llm.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer secret-key"
    assert request["body"]["model"] == "fake-model"
    assert [m["role"] for m in request["body"]["messages"]] == ["system", "user"]
    assert QUESTION in request["body"]["messages"][1]["content"]


def test_an_answer_citing_the_wrong_passage_falls_back_to_the_extractive_answer(assistant, fake_llm):
    def reply(system, user):
        wrong = 1 if _passage_with(user, FIGURE) != 1 else 2
        return f"Tỷ trọng ngành công nghiệp Lạng Sơn đạt {FIGURE} [{wrong}]."

    fake_llm.reply = reply
    answer = assistant.ask(QUESTION)
    assert answer.mode == "extractive"
    assert answer.answer.startswith("Theo bài tin về Nghị quyết số 45-NQ/TU (Lạng Sơn): “Giai đoạn 2021-2025: …")
    assert answer.notices == [
        "Câu trả lời do mô hình ngôn ngữ viết không qua được bước kiểm tra trích dẫn (số 13 không có trong đoạn "
        "được trích); đây là câu trả lời trích nguyên văn từ tài liệu."
    ]


def test_an_answer_with_an_invented_number_falls_back(assistant, fake_llm):
    def reply(system, user):
        return f"Tỷ trọng ngành công nghiệp Lạng Sơn đạt 19% vào năm 2025 [{_passage_with(user, FIGURE)}]."

    fake_llm.reply = reply
    answer = assistant.ask(QUESTION)
    assert answer.mode == "extractive"
    assert "19%" not in answer.answer and FIGURE in answer.answer
    assert "số 19 không có trong đoạn được trích" in answer.notices[0]


def test_an_answer_citing_a_passage_it_was_not_given_falls_back(assistant, fake_llm):
    fake_llm.reply = lambda system, user: f"Tỷ trọng đạt {FIGURE} [9]."
    answer = assistant.ask(QUESTION)
    assert answer.mode == "extractive"
    assert "trích dẫn đoạn không được cung cấp [9]" in answer.notices[0]


def test_an_uncited_sentence_falls_back(assistant, fake_llm):
    fake_llm.reply = lambda system, user: f"Tỷ trọng đạt {FIGURE} [{_passage_with(user, FIGURE)}]. Đây là mục tiêu lớn."
    answer = assistant.ask(QUESTION)
    assert answer.mode == "extractive"
    assert "câu không có trích dẫn" in answer.notices[0]


def test_the_llm_condenses_follow_ups(assistant, fake_llm):
    standalone = "Tỷ trọng công nghiệp trong GRDP của Tuyên Quang đến năm 2025 là bao nhiêu?"

    def reply(system, user):
        if "Viết lại câu hỏi cuối" in system:
            return standalone
        return f"Cơ cấu ngành công nghiệp trong GRDP của tỉnh đạt trên 24,7% [{_passage_with(user, '24,7%')}]."

    fake_llm.reply = reply
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": f"{FIGURE} [1]."}]
    answer = assistant.ask("Còn Tuyên Quang thì sao?", history=history)
    assert answer.rewritten_question == standalone
    assert answer.mode == "generative"
    assert answer.answer == "Cơ cấu ngành công nghiệp trong GRDP của tỉnh đạt trên 24,7% [1]."


def test_an_unreachable_endpoint_falls_back(bundled_index, embedder):
    settings = bundled_index.with_(llm_url="http://127.0.0.1:9/v1", llm_model="m")
    answer = Assistant(settings, retriever=Retriever(settings, embedder=embedder)).ask(QUESTION)
    assert answer.mode == "extractive" and FIGURE in answer.answer
    assert "không kết nối được mô hình ngôn ngữ" in answer.notices[-1]


def _hit(n: int, text: str) -> Hit:
    return Hit(chunk_id=f"c{n}", doc_id="d", text=text, section="", start=0, end=len(text), score=1.0, rank=n)


def test_verify_rules_on_plain_passages():
    hits = [_hit(1, "Sản lượng điện đạt 890.000.000 kwh, tăng 4,1%."), _hit(2, "Xi măng đạt 950.000 tấn.")]
    assert verify("Sản lượng điện đạt 890.000.000 kwh [1]. Xi măng đạt 950.000 tấn [2].", hits) == ""
    assert verify("Sản lượng điện đạt 890.000.000 kwh, tăng 4,1% [1].", hits) == ""
    assert verify("Xi măng đạt 950.000 tấn [1].", hits) == "số 950.000 không có trong đoạn được trích"
    assert verify("Sản lượng điện tăng 5% [1].", hits) == "số 5 không có trong đoạn được trích"
    assert verify("Sản lượng điện đạt 890.000.000 kwh [3].", hits) == "trích dẫn đoạn không được cung cấp [3]"
    assert verify("Sản lượng điện đạt 890.000.000 kwh.", hits).startswith("câu không có trích dẫn")
    assert verify("Du lịch phát triển mạnh mẽ [1].", hits).startswith("câu không khớp với đoạn được trích")
