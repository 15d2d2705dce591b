"""The web chat: a Gradio Blocks app in Vietnamese over the same `Assistant.ask` as the CLI.

`create_app()` builds and returns the Blocks; `launch_app()` serves it (127.0.0.1 by default,
authentication required on any other address); `serve()` is `assistant chat`. No retrieval
or answer logic lives here: the handlers call Assistant.ask and render its Answer.

Safety: every text from documents or users goes through assistant.ui_render, which escapes
it; the Chatbot does not parse Markdown or LaTeX; the theme uses system fonts so the page
loads nothing from outside the server.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from pathlib import Path

from index.offline import enforce_offline

enforce_offline()  # before gradio is imported: no analytics, no hub

import gradio as gr  # noqa: E402

from assistant.records import Answer, Citation, Filters  # noqa: E402
from assistant.ui_export import conversation_markdown, write_docx  # noqa: E402
from assistant.ui_feedback import append_feedback, feedback_record, history_of  # noqa: E402
from assistant.ui_style import CSS  # noqa: E402
from assistant.ui_render import (  # noqa: E402
    ChatTurn,
    chat_messages,
    corpus_html,
    sources_html,
    status_html,
    viewer_html,
    viewer_message,
    viewer_placeholder,
)
from assistant.ui_upload import IndexUpdater, save_upload  # noqa: E402
from index.errors import AssistantError, ConfigError, IndexNotBuilt  # noqa: E402
from index.settings import Settings  # noqa: E402

log = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Answers computed at once. Answering is CPU-bound (query embedding, BM25, evidence
# selection) on machines with 2-4 cores: more threads only share the same cores, while
# the queue keeps every further request waiting in order instead of failing.
ASK_CONCURRENCY = 4
# Requests the queue holds before refusing new ones: far above 20 staff asking at once.
QUEUE_MAX = 256
GENERIC_ERROR = ("Đã xảy ra lỗi khi trả lời câu hỏi. Vui lòng thử lại; nếu lỗi lặp lại, "
                 "hãy báo cho người quản trị.")
EMPTY_QUESTION = "Vui lòng nhập câu hỏi trước khi gửi."
ALL = ""  # dropdown value meaning "no filter"

# System fonts only: Gradio's default theme names fonts that a browser would otherwise
# fetch; these are on every desktop and render Vietnamese.
THEME = gr.themes.Default(
    font=["system-ui", "Segoe UI", "Roboto", "Noto Sans", "DejaVu Sans", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "DejaVu Sans Mono", "monospace"],
)

# One delegated listener, installed by the sources panel (a gr.HTML, so that `trigger`
# sends the click to Python as a Gradio event): [n] markers in the chat and the
# "Mở văn bản gốc" buttons open the viewer; "Sao chép trích dẫn" copies the memo citation.
BRIDGE_JS = r"""
window.__assistantTrigger = trigger;
watch('value', () => {
  const card = element.querySelector('.source-card.active');
  const box = element.querySelector('.sources');
  // .sources is position: relative, so offsetTop is within the box; scroll only when the
  // card's top is out of sight.
  if (card && box && (card.offsetTop < box.scrollTop || card.offsetTop > box.scrollTop + box.clientHeight - 40)) {
    box.scrollTop = card.offsetTop - 8;
  }
});
if (!window.__assistantBound) {
  window.__assistantBound = true;
  const copy = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {
      const area = document.createElement('textarea');
      area.value = text; document.body.appendChild(area); area.select();
      const ok = document.execCommand('copy'); area.remove(); return ok;
    }
  };
  const act = (ev) => {
    const button = ev.target.closest && ev.target.closest('.copy-citation, .copy-answer');
    if (button) {
      ev.preventDefault();
      const scope = button.closest(button.classList.contains('copy-answer') ? '.sources' : '.source-card');
      const source = scope && scope.querySelector(button.classList.contains('copy-answer') ? '.memo-answer' : '.memo-citation');
      const label = button.textContent;
      copy(source ? source.textContent : '').then((ok) => {
        button.textContent = ok ? 'Đã sao chép' : 'Không sao chép được';
        setTimeout(() => { button.textContent = label; }, 2000);
      });
      return;
    }
    const opener = ev.target.closest && ev.target.closest('.cite-marker, .open-source');
    const target = opener && /\bcite-t(\d+)-n(\d+)\b/.exec(opener.className);
    if (target) {
      ev.preventDefault(); ev.stopPropagation();
      window.__assistantTrigger('click', {turn: Number(target[1]), n: Number(target[2])});
    }
  };
  document.addEventListener('click', act, true);
  // Markers are spans (role=button): Enter or Space on a focused one opens it, as a click does.
  document.addEventListener('keydown', (ev) => {
    if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.classList && ev.target.classList.contains('cite-marker')) act(ev);
  }, true);
}
"""
# The viewer scrolls the highlighted span into view whenever it shows a new citation.
VIEWER_JS = r"""
const show = () => {
  const mark = element.querySelector('mark.cited');
  const box = element.querySelector('.doc-text');
  if (!mark || !box) return;
  // Scroll the document box to the span, then bring the viewer itself on screen.
  box.scrollTop = mark.offsetTop - box.clientHeight / 3;  // .doc-text is position: relative
  element.scrollIntoView({block: 'nearest'});
};
show();
watch('value', show);
"""


class ChatService:
    """What the handlers need from the query side, with the Assistant swappable after a build."""

    def __init__(self, settings: Settings, assistant=None):
        self.settings = settings
        self._assistant = assistant
        self._missing = ""
        if assistant is None:
            self._open()
        self.updater = IndexUpdater(settings, on_done=self.refresh) if settings.allow_upload else None

    def _open(self) -> None:
        from assistant.answer import Assistant

        try:
            self._assistant = Assistant(self.settings)
            self._missing = ""
        except AssistantError as exc:
            self._missing = str(exc)

    @property
    def ready(self) -> bool:
        """Whether an index is open (else every question gets the "no index" message)."""
        return self._assistant is not None

    @property
    def assistant(self):
        """The current Assistant.

        Raises:
            IndexNotBuilt: there is no index to answer from.
        """
        if self._assistant is None:
            raise IndexNotBuilt(self._missing or "Chưa có chỉ mục. Hãy chạy: assistant index")
        return self._assistant

    def refresh(self) -> None:
        """Switch to the newest served build (after a background build)."""
        if self._assistant is None:
            self._open()
            return
        refresh = getattr(self._assistant, "refresh", None)
        if callable(refresh):
            refresh()
        else:
            self._assistant.retriever.refresh()
        # Still on the updater's background thread: embed the new documents' sentences now,
        # not during the first question that searches them.
        warm_up(self._assistant)

    def ask(self, question: str, answers: list[Answer], filters: Filters | None) -> Answer:
        return self.assistant.ask(question, history=history_of(answers), filters=filters)

    def documents(self) -> list[dict]:
        return self.assistant.retriever.documents() if self.ready else []

    def built_at(self) -> str:
        return self.assistant.retriever.built_at if self.ready else ""

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Dropdown choices (label, value) for province and document, "all" first."""
        provinces = [("Tất cả các tỉnh", ALL)]
        docs = [("Tất cả tài liệu", ALL)]
        if self.ready:
            known = self.assistant.retriever.known_filter_values()
            provinces += [(p, p) for p in known.get("province", [])]
            titles = {d["doc_id"]: d.get("title") or d["doc_id"] for d in self.documents()}
            docs += [(f"{titles.get(i, i)}", i) for i in known.get("doc_id", [])]
        return provinces, docs

    def document(self, doc_id: str) -> tuple[str, dict]:
        return self.assistant.retriever.document(doc_id)


def user_message(exc: BaseException) -> str:
    """The Vietnamese message a user sees for an error; details go to the log only."""
    if isinstance(exc, AssistantError):
        return str(exc) or GENERIC_ERROR
    log.exception("unexpected error in the web chat", exc_info=exc)
    return GENERIC_ERROR


def _memo(citation: Citation) -> str:
    from assistant.citations import format_citation

    return format_citation(citation)


def _memo_answer(answer: Answer | None) -> str:
    if answer is None:
        return ""
    from assistant.citations import format_answer_for_memo

    return format_answer_for_memo(answer)


def _filters(province: str, doc_id: str) -> Filters | None:
    filters = Filters(province=province or None, doc_id=doc_id or None)
    return None if filters.is_empty() else filters


def _panel(turns: list[ChatTurn], index: int, active: int | None = None) -> tuple[str, str]:
    """Sources panel HTML and the copyable answer-with-sources text for turn `index`."""
    if not 0 <= index < len(turns):
        return sources_html(None, -1, []), ""
    turn = turns[index]
    memos = [_memo(c) for c in turn.answer.citations] if turn.answer else []
    memo_answer = _memo_answer(turn.answer) if turn.answer and not turn.answer.abstained else ""
    return sources_html(turn, index, memos, memo_answer, active), memo_answer


# ----------------------------------------------------------------------------- handlers
def _ask_handler(service: ChatService):
    def send(question: str, turns: list[ChatTurn], province: str, doc_id: str):
        """Show the question at once, then the answer (or a message), and its sources."""
        question = (question or "").strip()
        turns = list(turns or [])
        if not question:
            turns.append(ChatTurn(question="", error=EMPTY_QUESTION))
        else:
            pending = turns + [ChatTurn(question=question, pending=True)]
            yield pending, chat_messages(pending), "", gr.skip(), gr.skip(), gr.skip()
            try:
                answers = [t.answer for t in turns if t.answer is not None]
                answer = service.ask(question, answers, _filters(province, doc_id))
                turns.append(ChatTurn(question=question, answer=answer))
            except Exception as exc:  # every failure becomes a message in the chat
                turns.append(ChatTurn(question=question, error=user_message(exc)))
        index = len(turns) - 1
        panel, memo = _panel(turns, index)
        yield turns, chat_messages(turns), "", panel, memo, index

    return send


def _open_handler(service: ChatService):
    def open_citation(turns: list[ChatTurn], evt: gr.EventData):
        """Open the document of citation [n] of turn `turn`, highlighted, and show its sources."""
        data = getattr(evt, "_data", None) or {}
        try:
            index, n = int(data.get("turn", -1)), int(data.get("n", -1))
        except (TypeError, ValueError):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if not 0 <= index < len(turns or []) or turns[index].answer is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        citation = next((c for c in turns[index].answer.citations if c.n == n), None)
        if citation is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        panel, memo = _panel(turns, index, active=n)
        try:
            text, meta = service.document(citation.doc_id)
        except Exception as exc:
            return viewer_message(user_message(exc)), panel, memo, index
        return viewer_html(text, meta, citation), panel, memo, index

    return open_citation


def _feedback(service: ChatService, turns: list[ChatTurn], index: int, rating: str, comment: str) -> str:
    """Log a rating of turn `index` durably; the returned message acknowledges it."""
    if not 0 <= index < len(turns or []) or turns[index].answer is None:
        return "Chưa có câu trả lời nào để đánh giá."
    answer = turns[index].answer
    earlier = [t.answer for t in turns[:index] if t.answer is not None]
    record = feedback_record(answer, rating, comment, history_of(earlier))
    try:
        append_feedback(service.settings.feedback_file, record)
    except OSError as exc:
        log.error("feedback not written: %s", exc)
        return "Không ghi được góp ý (lỗi ghi tệp). Vui lòng báo cho người quản trị."
    thanks = "hữu ích" if rating == "up" else "chưa đúng"
    return f"Đã ghi nhận đánh giá “{thanks}” cho câu hỏi: “{answer.question}”. Cảm ơn bạn!"


def _export(turns: list[ChatTurn], kind: str) -> str | None:
    """Write the conversation to a temporary .md or .docx file and return its path."""
    if not turns:
        gr.Warning("Chưa có hội thoại để xuất.")
        return None
    from assistant.citations import format_citation

    folder = Path(tempfile.mkdtemp(prefix="hoi-thoai-"))
    name = f"hoi-thoai-{time.strftime('%Y%m%d-%H%M%S')}"
    if kind == "md":
        path = folder / f"{name}.md"
        path.write_text(conversation_markdown(turns, format_citation), encoding="utf-8")
        return str(path)
    return str(write_docx(turns, folder / f"{name}.docx", format_citation))


def _api_handler(service: ChatService):
    def ask(question: str, history: list[dict] | None = None, province: str = "", doc_id: str = "") -> dict:
        """Answer a question with citations; returns the Answer JSON (see DESIGN.md).

        Args:
            question: the question, in Vietnamese or English.
            history: earlier turns, [{"role": "user"|"assistant", "content": "..."}].
            province: restrict to this province ("" = all).
            doc_id: restrict to this document ("" = all).
        """
        if not (question or "").strip():
            raise gr.Error(EMPTY_QUESTION)
        try:
            return service.assistant.ask(question, history=list(history or []),
                                         filters=_filters(province, doc_id)).to_json()
        except Exception as exc:
            raise gr.Error(user_message(exc)) from None

    return ask


# ----------------------------------------------------------------------------- layout
def _chat_tab(service: ChatService) -> None:
    turns = gr.State([])
    selected = gr.State(-1)
    provinces, docs = service.filter_choices()
    with gr.Row():
        with gr.Column(scale=5):
            chatbot = gr.Chatbot(
                label="Hội thoại", elem_id="chat", height=560, render_markdown=False, sanitize_html=True,
                latex_delimiters=[], allow_tags=False, buttons=[], group_consecutive_messages=False,
                feedback_options=("Like", "Dislike"),
                placeholder="Hỏi về các nghị quyết phát triển công nghiệp, ví dụ: "
                            "“Mục tiêu tỷ trọng công nghiệp của Lạng Sơn năm 2025 là bao nhiêu?”",
            )
            with gr.Row():
                question = gr.Textbox(label="Câu hỏi", placeholder="Nhập câu hỏi (có thể gõ không dấu)…",
                                      elem_id="question", scale=5, lines=1, max_lines=4, autofocus=True)
                send = gr.Button("Gửi", variant="primary", elem_id="send", scale=1)
            with gr.Row():
                province = gr.Dropdown(provinces, value=ALL, label="Tỉnh", elem_id="filter-province")
                document = gr.Dropdown(docs, value=ALL, label="Tài liệu", elem_id="filter-doc")
            with gr.Accordion("Đánh giá, sao chép và xuất hội thoại", open=False, elem_id="tools"):
                comment = gr.Textbox(label="Góp ý cho câu trả lời đang xem (không bắt buộc)",
                                     elem_id="feedback-comment", lines=2)
                with gr.Row():
                    up = gr.Button("👍 Hữu ích", elem_id="thumbs-up")
                    down = gr.Button("👎 Chưa đúng", elem_id="thumbs-down")
                feedback_status = gr.HTML(elem_id="feedback-status")
                memo = gr.Textbox(label="Câu trả lời kèm nguồn (để dán vào công văn)", elem_id="memo-answer",
                                  lines=4, max_lines=12, interactive=False, buttons=["copy"])
                with gr.Row():
                    export_md = gr.Button("Xuất Markdown", elem_id="export-md")
                    export_docx = gr.Button("Xuất DOCX", elem_id="export-docx")
                    clear = gr.Button("Cuộc hội thoại mới", elem_id="clear")
                export_file = gr.File(label="Tệp xuất", interactive=False, elem_id="export-file")
        with gr.Column(scale=4):
            sources = gr.HTML(sources_html(None, -1, []), elem_id="sources", js_on_load=BRIDGE_JS)
            viewer = gr.HTML(viewer_placeholder(), elem_id="viewer", js_on_load=VIEWER_JS)

    private = {"api_visibility": "private"}
    outputs = [turns, chatbot, question, sources, memo, selected]
    send_fn = _ask_handler(service)
    for trigger in (send.click, question.submit):
        trigger(send_fn, [question, turns, province, document], outputs, concurrency_id="ask",
                concurrency_limit=ASK_CONCURRENCY, **private)
    sources.click(_open_handler(service), [turns], [viewer, sources, memo, selected], **private)

    def rate(rating: str):
        def handler(turns_value, index, text):
            return status_html(_feedback(service, turns_value, index, rating, text)), ""
        return handler

    up.click(rate("up"), [turns, selected, comment], [feedback_status, comment], **private)
    down.click(rate("down"), [turns, selected, comment], [feedback_status, comment], **private)

    def liked(turns_value, text, data: gr.LikeData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        rating = "up" if data.liked else "down"
        return status_html(_feedback(service, turns_value, int(index) // 2, rating, text)), ""

    chatbot.like(liked, [turns, comment], [feedback_status, comment], **private)
    export_md.click(lambda t: _export(t, "md"), [turns], [export_file], **private)
    export_docx.click(lambda t: _export(t, "docx"), [turns], [export_file], **private)
    def reset():
        return [], [], sources_html(None, -1, []), "", -1, viewer_placeholder(), None, ""

    reset_outputs = [turns, chatbot, sources, memo, selected, viewer, export_file, feedback_status]
    clear.click(reset, None, reset_outputs, **private)
    chatbot.clear(reset, None, reset_outputs, **private)  # the Chatbot's own trash icon
    gr.api(_api_handler(service), api_name="ask", concurrency_id="ask", concurrency_limit=ASK_CONCURRENCY)
    return province, document


def _corpus_tab(service: ChatService):
    table = gr.HTML(corpus_html(service.documents(), service.built_at()) if service.ready else
                    '<div class="corpus">Chưa có chỉ mục.</div>', elem_id="corpus")
    refresh = gr.Button("Làm mới", elem_id="corpus-refresh")
    refresh.click(lambda: corpus_html(service.documents(), service.built_at()), None, [table],
                  api_visibility="private")
    return table


def _upload_tab(service: ChatService, table, province, document) -> None:
    gr.Markdown("Thêm tài liệu (.txt, .md, .docx, .pdf) vào kho. Việc lập chỉ mục chạy nền; "
                "trong lúc đó trợ lý vẫn trả lời từ chỉ mục hiện tại và tự chuyển sang chỉ mục mới khi xong.")
    upload = gr.File(label="Chọn tệp", file_types=[".txt", ".md", ".docx", ".pdf"], file_count="single",
                     elem_id="upload")
    status = gr.HTML(elem_id="upload-status")
    timer = gr.Timer(2.0, active=False)

    def on_upload(file):
        if file is None:
            return gr.skip(), gr.skip()
        path = Path(file if isinstance(file, str) else file.name)
        try:
            saved = save_upload(path, path.name, service.settings.corpus_dir)
        except (AssistantError, OSError) as exc:
            reason = user_message(exc) if isinstance(exc, AssistantError) else exc.strerror
            return status_html(f"Không thêm được tệp: {reason}"), gr.Timer(active=False)
        service.updater.start()
        return status_html(f"Đã lưu {saved.name}. {service.updater.status.message}"), gr.Timer(active=True)

    def on_tick():
        current = service.updater.status
        if current.state == "running":
            return status_html(current.message), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        provinces, docs = service.filter_choices()
        return (status_html(current.message), gr.Timer(active=False), corpus_html(service.documents(), service.built_at()),
                gr.Dropdown(choices=provinces), gr.Dropdown(choices=docs))

    upload.upload(on_upload, [upload], [status, timer], api_visibility="private")
    timer.tick(on_tick, None, [status, timer, table, province, document], api_visibility="private")


def create_app(settings: Settings, assistant=None) -> gr.Blocks:
    """Build the web chat (without serving it).

    Args:
        settings: corpus/data locations, feedback file, whether uploads are allowed.
        assistant: an Assistant to use; one is opened from settings when None. Without an
            index the app still starts and every question gets the "no index" message.
    """
    service = ChatService(settings, assistant)
    with gr.Blocks(title="Trợ lý nghị quyết", analytics_enabled=False) as app:
        gr.Markdown("## Trợ lý hỏi đáp nghị quyết phát triển công nghiệp\n"
                    "Mọi câu trả lời đều trích dẫn đúng đoạn văn nguồn. Bấm vào [n] để mở văn bản gốc.")
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat-tab"):
                province, document = _chat_tab(service)
            with gr.Tab("Kho tài liệu", id="corpus-tab"):
                table = _corpus_tab(service)
            if settings.allow_upload:
                with gr.Tab("Thêm tài liệu", id="upload-tab"):
                    _upload_tab(service, table, province, document)
    app.service = service  # for tests and the load script (swap, inspect)
    return app


def check_bind(settings: Settings, allow_unauthenticated_remote: bool) -> tuple[str, str] | None:
    """The (user, password) to require, or None; refuses an open non-loopback bind.

    Raises:
        ConfigError: a non-loopback host without credentials and without the explicit flag,
            or only one of user/password set.
    """
    if bool(settings.auth_user) != bool(settings.auth_password):
        raise ConfigError("Cần đặt cả ASSISTANT_AUTH_USER và ASSISTANT_AUTH_PASSWORD (hoặc không đặt cả hai).")
    auth = (settings.auth_user, settings.auth_password) if settings.auth_user else None
    if settings.host not in LOOPBACK and auth is None and not allow_unauthenticated_remote:
        raise ConfigError(
            f"Mở giao diện ra địa chỉ {settings.host} cần đăng nhập: đặt ASSISTANT_AUTH_USER và "
            "ASSISTANT_AUTH_PASSWORD, hoặc thêm --no-auth nếu chấp nhận để bất kỳ ai trong mạng đều truy cập được."
        )
    return auth


def launch_app(app: gr.Blocks, settings: Settings, *, allow_unauthenticated_remote: bool = False,
               port: int | None = None) -> str:
    """Serve the app in background threads and return its local URL (never a share link).

    Args:
        app: from create_app.
        settings: host, port and credentials.
        allow_unauthenticated_remote: allow a non-loopback host without credentials.
        port: overrides settings.port (tests use a free port).
    """
    auth = check_bind(settings, allow_unauthenticated_remote)
    app.queue(default_concurrency_limit=ASK_CONCURRENCY, max_size=QUEUE_MAX)
    _, url, _ = app.launch(
        server_name=settings.host, server_port=port or settings.port, share=False, auth=auth,
        auth_message="Đăng nhập để dùng Trợ lý nghị quyết." if auth else None,
        prevent_thread_lock=True, quiet=True, show_error=False, inbrowser=False,
        theme=THEME, css=CSS,
        footer_links=["api"], run_history=False, enable_monitoring=False, mcp_server=False, pwa=False,
        ssr_mode=False, max_file_size="50mb",
    )
    return url


def _open_or_build(settings: Settings):
    """An Assistant over the served index, building the index first when there is none."""
    from assistant.answer import Assistant

    try:
        return Assistant(settings)
    except IndexNotBuilt:
        from index.build import build_index

        print(f"Chưa có chỉ mục: đang xây dựng lần đầu từ {settings.corpus_dir} (có thể mất một lúc)…", flush=True)
        summary = build_index(settings, progress=True)
        print(f"Đã xây dựng chỉ mục: {summary.documents} tài liệu, {summary.chunks} đoạn.", flush=True)
        return Assistant(settings)


def warm_up(assistant) -> None:
    """Prepare the Assistant's sentence vectors (cached on disk after the first run) so that
    the first questions do not pay for them; runs in a background thread while serving."""
    prepare = getattr(assistant, "warm_up", None)
    if not callable(prepare):
        return
    started = time.perf_counter()
    try:
        count = prepare()
    except Exception:  # the chat answers anyway, only slower at first
        log.exception("warm-up failed")
        return
    log.info("warm-up: %s sentences ready in %.1f s", count, time.perf_counter() - started)


def serve(settings: Settings, allow_unauthenticated_remote: bool = False) -> None:
    """`assistant chat`: build the index if needed, serve the chat and print its URL; blocks.

    Args:
        settings: as for create_app, plus host/port/credentials.
        allow_unauthenticated_remote: allow a non-loopback host without credentials (--no-auth).
    """
    check_bind(settings, allow_unauthenticated_remote)
    assistant = _open_or_build(settings)
    threading.Thread(target=warm_up, args=(assistant,), name="warm-up", daemon=True).start()
    app = create_app(settings, assistant)
    url = launch_app(app, settings, allow_unauthenticated_remote=allow_unauthenticated_remote)
    print(f"Trợ lý nghị quyết đang chạy tại {url}  (Ctrl+C để dừng)", flush=True)
    try:
        app.block_thread()
    finally:
        app.close()


__all__ = ["create_app", "launch_app", "serve", "check_bind", "ChatService"]
