"""The web chat in a real browser: Playwright driving Debian's Chromium (never a downloaded one).

Every request the page makes is recorded and must go to the app's own 127.0.0.1 address.
Screenshots go to test-artifacts/ (git-ignored); with UPDATE_SCREENSHOT=1 the first test
also refreshes docs/screenshot.png, the picture in the README.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from index.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
QUESTION = "Tỷ trọng công nghiệp trong GRDP của Lạng Sơn năm 2025 là bao nhiêu?"
UNANSWERABLE = "Cao Bằng có nghị quyết về phát triển công nghiệp không?"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} not installed (apt-get install chromium chromium-driver)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(settings, embedder):
    from assistant.answer import Assistant
    from assistant.retrieval import Retriever
    from assistant.ui import create_app, launch_app

    assistant = Assistant(settings, retriever=Retriever(settings, embedder=embedder))
    app = create_app(settings, assistant)
    return app, launch_app(app, settings, port=free_port())


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A fresh page that records every request and refuses to leave the app's origin."""

    def __init__(self, browser, url: str):
        self.url = url.rstrip("/")
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=self.url)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        self.page.goto(url)
        self.page.wait_for_selector("#question textarea")

    def _only_local(self, route):
        if route.request.url.startswith(self.url + "/") or route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def ask(self, question: str) -> None:
        count = self.page.locator("#chat .answer").count()
        self.page.fill("#question textarea", question)
        self.page.click("#send")
        self.page.wait_for_function(
            "n => document.querySelectorAll('#chat .answer').length > n"
            " && !document.querySelector('#chat').innerText.includes('Đang tìm trong tài liệu')", arg=count,
            timeout=60_000,
        )

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not (u.startswith(self.url + "/") or u == self.url)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def chat(bundled_index, embedder, tmp_path_factory):
    settings = bundled_index.with_(feedback_path=tmp_path_factory.mktemp("feedback") / "feedback.jsonl")
    app, url = start_app(settings, embedder)
    yield app, url, settings
    app.close()


def test_cited_answer_opens_highlighted_source(browser, chat):
    from assistant.citations import format_answer_for_memo, format_citation
    from assistant.ui_feedback import read_feedback

    app, url, settings = chat
    expected = app.service.assistant.ask(QUESTION)
    assert expected.citations, "precondition: the bundled corpus answers this question"
    citation = expected.citations[0]
    page = Page(browser, url)
    try:
        page.ask(QUESTION)
        answer_text = page.page.inner_text("#chat .answer-text")
        assert "[1]" in answer_text
        page.page.click("#chat .answer-text .cite-marker.cite-t0-n1")
        mark = page.page.wait_for_selector("#viewer mark.cited")
        assert mark.text_content() == citation.quote
        # The span is scrolled into view inside the document box.
        inside = page.page.evaluate(
            "() => { const m = document.querySelector('#viewer mark.cited').getBoundingClientRect();"
            " const b = document.querySelector('#viewer .doc-text').getBoundingClientRect();"
            " return m.top >= b.top && m.top < b.bottom; }")
        assert inside
        assert citation.title in page.page.inner_text("#viewer .doc-title")
        card = "#sources .source-card.active"
        assert page.page.inner_text(f"{card} .memo-citation") == format_citation(citation)
        assert page.page.inner_text(f"{card} .source-passage mark") == citation.quote

        ARTIFACTS.mkdir(exist_ok=True)
        page.page.evaluate("window.scrollTo(0, 0)")
        shot = ARTIFACTS / "ui-cited-answer.png"
        page.page.screenshot(path=str(shot), full_page=True)
        if os.environ.get("UPDATE_SCREENSHOT") == "1":
            (PROJECT_ROOT / "docs").mkdir(exist_ok=True)
            shutil.copyfile(shot, PROJECT_ROOT / "docs" / "screenshot.png")
        page.page.click(f"{card} .copy-citation")
        page.page.wait_for_selector(f"{card} .copy-citation:has-text('Đã sao chép')")
        assert page.page.evaluate("navigator.clipboard.readText()") == format_citation(citation)
        page.page.click("#sources .copy-answer")
        page.page.wait_for_selector("#sources .copy-answer:has-text('Đã sao chép')")
        assert page.page.evaluate("navigator.clipboard.readText()") == format_answer_for_memo(expected)


        # Feedback from the page lands in the JSONL file before it is acknowledged.
        page.page.click("#tools")
        page.page.fill("#feedback-comment textarea", "trích dẫn đúng")
        page.page.click("#thumbs-up")
        page.page.wait_for_selector("#feedback-status:has-text('Đã ghi nhận')")
        record = read_feedback(settings.feedback_file)[-1]
        assert (record["rating"], record["comment"], record["question"]) == ("up", "trích dẫn đúng", QUESTION)
        assert record["citations"][0]["quote"] == citation.quote
        # The Chatbot's own thumbs log the same way.
        page.page.click("#chat button[aria-label='Dislike']")
        page.page.wait_for_function(
            "() => document.querySelector('#feedback-status').innerText.includes('chưa đúng')")
        record = read_feedback(settings.feedback_file)[-1]
        assert (record["rating"], record["question"]) == ("down", QUESTION)
        assert page.outside_requests() == []
    finally:
        page.close()


def test_abstention_is_visible(browser, chat):
    app, url, _ = chat
    assert app.service.assistant.ask(UNANSWERABLE).abstained, "precondition: the corpus has nothing on Cao Bằng"
    page = Page(browser, url)
    try:
        page.ask(UNANSWERABLE)
        banner = page.page.wait_for_selector("#chat .answer.abstained .abstain-banner")
        assert banner.is_visible()
        assert banner.inner_text() == "Không có trong tài liệu"
        assert page.page.inner_text("#sources .abstain-banner") == "Không có trong tài liệu"
        assert page.page.locator("#chat .answer-text .cite-marker").count() == 0
        assert page.outside_requests() == []
    finally:
        page.close()


EVIL_TEXT = """NGHỊ QUYẾT VỀ KHU CÔNG NGHIỆP THỬ NGHIỆM

Khu công nghiệp Thử Nghiệm đạt tỷ lệ lấp đầy 80% <script>window.__pwned = 1</script> trong năm 2024.

Báo cáo <b>in đậm</b> kèm <img src="http://evil.example/x.png" onerror="window.__pwned = 2"> và ảnh ![ảnh](http://evil.example/img.png).
"""
EVIL_MANIFEST = """
["thu-nghiem.txt"]
title = "Nghị quyết <i>thử</i> <script>window.__pwned = 3</script>"
number = "01-NQ/TN"
issuer = "Ban <b>Thử</b>"
date = "2024-01-02"
province = "Lạng Sơn"
kind = "resolution"
"""


def test_document_markup_renders_as_text(browser, make_corpus, embedder):
    from index.build import build_index

    settings = make_corpus({"thu-nghiem.txt": EVIL_TEXT}, EVIL_MANIFEST)
    build_index(settings, embedder=embedder)
    app, url = start_app(settings, embedder)
    question = "Tỷ lệ lấp đầy của Khu công nghiệp Thử Nghiệm là bao nhiêu?"
    expected = app.service.assistant.ask(question)
    page = Page(browser, url)
    try:
        page.ask(question)
        if expected.citations:
            page.page.click("#chat .answer-text .cite-marker.cite-t0-n1")
        else:  # the corpus tab shows the document too; the viewer opens only from a citation
            pytest.fail(f"precondition: the test document answers the question; got {expected.answer!r}")
        page.page.wait_for_selector("#viewer mark.cited")
        viewer = page.page.inner_text("#viewer .doc-text")
        assert '<script>window.__pwned = 1</script>' in viewer
        assert '<img src="http://evil.example/x.png" onerror="window.__pwned = 2">' in viewer
        assert "![ảnh](http://evil.example/img.png)" in viewer
        assert "<b>in đậm</b>" in viewer
        assert "Nghị quyết <i>thử</i> <script>window.__pwned = 3</script>" in page.page.inner_text("#viewer .doc-title")
        # A question with markup is shown as typed, in the chat and in the feedback acknowledgement.
        typed = 'Khu công nghiệp <img src=x onerror="window.__pwned = 4"> ![x](http://evil.example/q.png) ở đâu?'
        page.ask(typed)
        assert page.page.inner_text("#chat .user-question >> nth=1") == typed
        page.page.click("#tools")
        page.page.click("#thumbs-down")
        page.page.wait_for_selector("#feedback-status:has-text('Đã ghi nhận')")
        assert typed in page.page.inner_text("#feedback-status")
        page.page.get_by_role("tab", name="Kho tài liệu").click()
        assert "Nghị quyết <i>thử</i> <script>window.__pwned = 3</script>" in page.page.inner_text("#corpus")
        assert page.page.evaluate("window.__pwned") is None
        for selector in ("#chat", "#sources", "#viewer", "#corpus", "#feedback-status"):
            assert page.page.locator(f"{selector} script, {selector} img, {selector} b, {selector} i").count() == 0
        assert page.outside_requests() == []
    finally:
        page.close()
        app.close()
