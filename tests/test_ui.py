"""The web chat over the real bundled index: API round trip, feedback, export, errors, upload.

The app is launched in-process on a free port; gradio_client talks to it over real HTTP.
"""

from __future__ import annotations

import html
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from assistant.records import Filters
from index.errors import ConfigError
from index.settings import Settings

QUESTION = "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn năm 2025 là bao nhiêu?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(bundled_index, embedder, tmp_path_factory):
    """The chat over the bundled index, with its feedback file in a temp dir."""
    from assistant.answer import Assistant
    from assistant.retrieval import Retriever
    from assistant.ui import create_app, launch_app

    settings = bundled_index.with_(feedback_path=tmp_path_factory.mktemp("feedback") / "feedback.jsonl")
    assistant = Assistant(settings, retriever=Retriever(settings, embedder=embedder))
    app = create_app(settings, assistant)
    url = launch_app(app, settings, port=free_port())
    yield app, url, settings
    app.close()


def test_api_returns_cited_answer_json(served):
    from gradio_client import Client

    app, url, _ = served
    result = Client(url, verbose=False).predict(question=QUESTION, api_name="/ask")
    assert result["question"] == QUESTION
    assert result["abstained"] is False
    assert "[1]" in result["answer"]
    first = result["citations"][0]
    assert first["n"] == 1
    assert set(first) >= {"n", "doc_id", "title", "section", "quote", "start", "end", "passage"}
    text, _ = app.service.document(first["doc_id"])
    assert text[first["start"]:first["end"]] == first["quote"]
    assert result == app.service.assistant.ask(QUESTION).to_json() | {"timings_ms": result["timings_ms"]}


def test_api_rejects_empty_question_in_vietnamese(served):
    from gradio_client import Client

    _, url, _ = served
    with pytest.raises(Exception, match="Vui lòng nhập câu hỏi"):
        Client(url, verbose=False).predict(question="   ", api_name="/ask")


def _run_ask(app, question: str, turns=(), province: str = "", doc_id: str = ""):
    """Drive the chat's submit handler to its final state."""
    from assistant.ui import _ask_handler

    *_, final = _ask_handler(app.service)(question, list(turns), province, doc_id)
    return final


def test_chat_follow_up_passes_history(served):
    app, _, _ = served
    turns, messages, cleared, panel, memo, index = _run_ask(app, QUESTION)
    turns, messages, *_ = _run_ask(app, "còn Tuyên Quang thì sao?", turns)
    assert len(turns) == 2 and len(messages) == 4 and index == 0
    expected = app.service.assistant.ask(
        "còn Tuyên Quang thì sao?",
        history=[{"role": "user", "content": QUESTION}, {"role": "assistant", "content": turns[0].answer.answer}],
    )
    assert turns[1].answer.answer == expected.answer
    assert turns[1].answer.rewritten_question == expected.rewritten_question
    if expected.rewritten_question:
        assert "Đã tìm:" in messages[3]["content"]


@pytest.mark.parametrize(
    ("question", "province", "message"),
    [
        ("", "", "Vui lòng nhập câu hỏi trước khi gửi."),
        (QUESTION, "Atlantis", "Atlantis"),
    ],
)
def test_chat_shows_errors_as_messages(served, question, province, message):
    app, _, _ = served
    turns, messages, *_ = _run_ask(app, question, province=province)
    assert turns[-1].answer is None
    assert message in turns[-1].error
    assert message in messages[-1]["content"]
    assert "Traceback" not in messages[-1]["content"]


def test_chat_without_index_says_so(tmp_path):
    from assistant.ui import create_app

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")
    app = create_app(settings)
    turns, messages, *_ = _run_ask(app, QUESTION)
    assert "assistant index" in turns[-1].error
    app.close()


def test_feedback_is_appended_and_read_back(served):
    from assistant.ui import _feedback
    from assistant.ui_feedback import read_feedback

    app, _, settings = served
    turns, *_ = _run_ask(app, QUESTION)
    turns, *_ = _run_ask(app, "còn Tuyên Quang thì sao?", turns)
    before = len(read_feedback(settings.feedback_file))
    ack = _feedback(app.service, turns, 1, "down", "thiếu số liệu")
    assert ack.startswith("Đã ghi nhận")
    records = read_feedback(settings.feedback_file)
    assert len(records) == before + 1
    record = records[-1]
    answer = turns[1].answer
    assert record["rating"] == "down"
    assert record["comment"] == "thiếu số liệu"
    assert record["question"] == "còn Tuyên Quang thì sao?"
    assert record["answer"] == answer.answer
    assert record["citations"] == [c.to_json() for c in answer.citations]
    assert record["retrieved_chunk_ids"] == [h.chunk_id for h in answer.retrieved]
    assert record["history"] == [{"role": "user", "content": QUESTION},
                                 {"role": "assistant", "content": turns[0].answer.answer}]
    assert record["timestamp"][:2] == "20"
    # One complete JSON object per line, nothing else.
    lines = settings.feedback_file.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1]) == record


def test_export_keeps_citations(served, tmp_path):
    from docx import Document

    from assistant.citations import format_citation
    from assistant.ui_export import conversation_markdown, write_docx

    app, _, _ = served
    turns, *_ = _run_ask(app, QUESTION)
    answer = turns[0].answer
    markdown = conversation_markdown(turns, format_citation)
    assert QUESTION in markdown
    assert answer.answer.splitlines()[0] in markdown
    for c in answer.citations:
        assert f"{c.n}. {format_citation(c)}" in markdown
    path = write_docx(turns, tmp_path / "chat.docx", format_citation)
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert QUESTION in paragraphs
    for c in answer.citations:
        assert any(p.startswith(f"[{c.n}] {format_citation(c)}") for p in paragraphs)


def test_filters_come_from_the_manifest(served):
    app, _, _ = served
    provinces, docs = app.service.filter_choices()
    assert [v for _, v in provinces] == ["", "Lạng Sơn", "Long An", "Tuyên Quang"]
    assert [v for _, v in docs][1:] == sorted(d["doc_id"] for d in app.service.documents())
    question = "Mục tiêu phát triển công nghiệp đến năm 2025 là gì?"
    turns, *_ = _run_ask(app, question, province="Tuyên Quang")
    answer = turns[-1].answer
    assert answer.retrieved
    assert {h.province for h in answer.retrieved} == {"Tuyên Quang"}
    assert answer.to_json() == app.service.assistant.ask(
        question, filters=Filters(province="Tuyên Quang")).to_json() | {"timings_ms": answer.timings_ms}


def test_open_citation_highlights_the_quote(served):
    from assistant.ui import _open_handler

    app, _, _ = served
    turns, *_ = _run_ask(app, QUESTION)
    citation = turns[0].answer.citations[0]

    class Event:
        _data = {"turn": 0, "n": citation.n}

    viewer, panel, memo, index = _open_handler(app.service)(turns, Event())
    assert f'<mark class="cited" id="cited-span">{html.escape(citation.quote)}</mark>' in viewer
    assert 'class="source-card active"' in panel
    assert index == 0


@pytest.mark.parametrize(
    ("host", "user", "password", "flag", "ok"),
    [
        ("127.0.0.1", "", "", False, True),
        ("0.0.0.0", "", "", False, False),
        ("0.0.0.0", "", "", True, True),
        ("0.0.0.0", "staff", "s3cret", False, True),
        ("127.0.0.1", "staff", "", False, False),
    ],
)
def test_binding_elsewhere_requires_credentials(host, user, password, flag, ok):
    from assistant.ui import check_bind

    settings = Settings(host=host, auth_user=user, auth_password=password)
    if ok:
        auth = check_bind(settings, allow_unauthenticated_remote=flag)
        assert auth == ((user, password) if user else None)
    else:
        with pytest.raises(ConfigError):
            check_bind(settings, allow_unauthenticated_remote=flag)


def test_render_escapes_document_and_user_text():
    from assistant.records import Answer, Citation
    from assistant.ui_render import ChatTurn, chat_messages, corpus_html, sources_html, viewer_html

    evil = '<script>window.__pwned=1</script> <b>đậm</b> ![x](http://evil.example/img.png)'
    citation = Citation(n=1, chunk_id="c", doc_id="d", title=evil, number="", issuer="", date="", kind="news",
                        section="", quote="<b>đậm</b>", start=evil.index("<b>"), end=evil.index("<b>") + 10,
                        passage=evil)
    answer = Answer(question=evil, answer=f"{evil} [1]", abstained=False, citations=[citation])
    rendered = "".join(m["content"] for m in chat_messages([ChatTurn(evil, answer)]))
    rendered += sources_html(ChatTurn(evil, answer), 0, [evil], evil)
    rendered += viewer_html(evil, {"title": evil}, citation)
    rendered += corpus_html([{"doc_id": evil, "title": evil}], evil)
    assert "<script" not in rendered and "<b>" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in rendered
    assert "![x](http://evil.example/img.png)" in rendered
    assert '<mark class="cited" id="cited-span">&lt;b&gt;đậm&lt;/b&gt;</mark>' in rendered


def test_upload_indexes_in_background_and_switches(make_corpus, embedder, tmp_path):
    from assistant.answer import Assistant
    from assistant.retrieval import Retriever
    from assistant.ui import create_app
    from assistant.ui_upload import IndexUpdater, save_upload
    from index.build import build_index

    settings = make_corpus({"ha-noi.txt": "Hà Nội phát triển công nghiệp công nghệ cao tại Khu công nghệ cao Hòa Lạc."})
    settings = settings.with_(allow_upload=True)
    build_index(settings, embedder=embedder)
    assistant = Assistant(settings, retriever=Retriever(settings, embedder=embedder))
    app = create_app(settings, assistant)
    service = app.service
    service.updater = IndexUpdater(
        settings, on_done=service.refresh,
        build=lambda s, on_progress: build_index(s, embedder=embedder, on_progress=on_progress),
    )
    upload = tmp_path / "Bắc Ninh <mới>.txt"
    upload.write_text("Bắc Ninh đặt mục tiêu tỷ trọng công nghiệp chế biến, chế tạo đạt 75% GRDP vào năm 2030.",
                      encoding="utf-8")
    saved = save_upload(upload, upload.name, settings.corpus_dir)
    assert saved.name == "Bắc-Ninh-mới.txt" and saved.parent == settings.corpus_dir
    before = [d["doc_id"] for d in service.documents()]
    service.updater.start()
    during = service.ask("Khu công nghệ cao Hòa Lạc", [], None)  # the old index keeps answering
    assert during.citations and during.citations[0].doc_id == "ha-noi"
    status = service.updater.wait(timeout=120)
    assert status.state == "done", status.message
    assert before == ["ha-noi"]
    assert [d["doc_id"] for d in service.documents()] == ["Bắc-Ninh-mới", "ha-noi"]
    answer = service.ask("tỷ trọng công nghiệp chế biến, chế tạo đạt bao nhiêu phần trăm GRDP?", [], None)
    assert answer.retrieved[0].doc_id == "Bắc-Ninh-mới"
    with pytest.raises(Exception, match="không được hỗ trợ"):
        save_upload(upload, "virus.exe", settings.corpus_dir)
    app.close()


def _chat_process(settings: Settings, *args: str) -> subprocess.Popen:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir)}
    return subprocess.Popen([sys.executable, "-m", "assistant", "chat", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_assistant_chat_serves_and_prints_url(bundled_index):
    port = free_port()
    proc = _chat_process(bundled_index, "--port", str(port))
    try:
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline and "đang chạy tại" not in line:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, proc.stderr.read()
        assert f"http://127.0.0.1:{port}/" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200 and "Trợ lý nghị quyết" in page
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_assistant_chat_refuses_open_bind_without_login(bundled_index):
    proc = _chat_process(bundled_index, "--host", "0.0.0.0", "--port", str(free_port()))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "cần đăng nhập" in err and "--no-auth" in err
