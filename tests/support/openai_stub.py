"""A scripted OpenAI-compatible server on 127.0.0.1, so tests drive the real openai client over real HTTP.

Script it with a queue of steps (replies, tool calls, HTTP errors with headers, delays, malformed JSON,
server-sent-event streams that may break off); every request body is recorded so a test can assert what
was sent. An empty queue answers 500. A request with ``stream: true`` gets its reply as an SSE stream.

    with serve_openai_stub() as stub:
        stub.fail(429, headers={"Retry-After": "0"}).reply({"answer": 42})
        client = OpenAI(base_url=stub.base_url, api_key="test-key")
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import BaseModel

_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@dataclass
class Step:
    """One scripted answer: a status, a JSON (or raw text) body, headers, and a delay before answering."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    tool_call: Any = None
    """Arguments for a tool-call reply; the function name is taken from the request's tool_choice."""
    usage: tuple[int, int] = (11, 7)
    chunks: list[str] | None = None
    """Content pieces of a streamed reply, one SSE event each (None: the body split after each word)."""
    chunk_delay_s: float = 0.0
    """Pause before each streamed piece, so a test can watch text arrive."""
    break_after: int | None = None
    """Close the connection mid-body after this many pieces (a stream that breaks off)."""
    for_stream: bool = False
    """Served only to a request with stream: true (and then before any other step)."""


def _as_content(content: str | dict[str, Any] | BaseModel) -> str:
    if isinstance(content, BaseModel):
        return content.model_dump_json()
    return content if isinstance(content, str) else json.dumps(content)


class OpenAIStub:
    """The script and the record of one stub server."""

    def __init__(self) -> None:
        self._steps: deque[Step] = deque()
        self._lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        """Every request body received, in order."""
        self.headers: list[dict[str, str]] = []
        """The headers of every request, in order (lower-cased names)."""
        self._responder: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None
        self.base_url = ""
        """'http://127.0.0.1:<port>/v1', set once the server listens."""

    def reply(
        self, content: str | dict[str, Any] | BaseModel, *, delay_s: float = 0.0, usage: tuple[int, int] = (11, 7)
    ) -> OpenAIStub:
        """A 200 chat completion whose message content is ``content`` (a dict or model is sent as JSON text)."""
        self._steps.append(Step(body=_as_content(content), delay_s=delay_s, usage=usage))
        return self

    def reply_tool_call(
        self, arguments: str | dict[str, Any] | BaseModel, *, delay_s: float = 0.0, usage: tuple[int, int] = (11, 7)
    ) -> OpenAIStub:
        """A 200 chat completion with one function tool call carrying ``arguments``."""
        self._steps.append(Step(tool_call=_as_content(arguments), delay_s=delay_s, usage=usage))
        return self

    def stream(
        self,
        chunks: list[str],
        *,
        chunk_delay_s: float = 0.0,
        break_after: int | None = None,
        usage: tuple[int, int] = (11, 7),
    ) -> OpenAIStub:
        """A streamed reply (for a request with stream: true): one SSE event per piece, then usage and [DONE]."""
        self._steps.append(
            Step(body="".join(chunks), chunks=list(chunks), chunk_delay_s=chunk_delay_s, break_after=break_after,
                 usage=usage, for_stream=True)
        )  # fmt: skip
        return self

    def malformed(self, text: str = '{"items": [{"area": "data",') -> OpenAIStub:
        """A 200 reply whose content is not valid JSON."""
        return self.reply(text)

    def fail(
        self,
        status: int,
        message: str = "scripted failure",
        *,
        headers: dict[str, str] | None = None,
        delay_s: float = 0.0,
        stream: bool = False,
    ) -> OpenAIStub:
        """An HTTP error with an OpenAI-style error body and optional headers (e.g. Retry-After).

        stream=True keeps it for the next streamed request (a server refusing stream_options, say).
        """
        body = {"error": {"message": message, "type": "stub_error", "code": None}}
        self._steps.append(
            Step(status=status, body=body, headers=dict(headers or {}), delay_s=delay_s, for_stream=stream)
        )
        return self

    def reject_json_schema(self) -> OpenAIStub:
        """The 400 a server that does not support strict structured outputs answers."""
        return self.fail(400, "response_format json_schema not supported")

    def respond_with(self, responder: Callable[[dict[str, Any]], dict[str, Any] | None]) -> OpenAIStub:
        """Answer requests no scripted step is left for by calling responder(request body).

        It returns the content to reply with (as JSON), or None for the usual 500 "no scripted reply left".
        For tests where the order of calls is not the point: an LLM that obeys an injection whenever it sees one.
        """
        self._responder = responder
        return self

    def pending(self) -> int:
        """Steps not served yet."""
        with self._lock:
            return len(self._steps)

    def _take(self, body: dict[str, Any], headers: dict[str, str]) -> Step:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            # A streamed step answers only a request with stream: true, so a test can script the one
            # streamed call among ordinary ones (which take the other steps in order).
            streaming = bool(body.get("stream"))
            for step in self._steps:
                if step.for_stream == streaming:
                    self._steps.remove(step)
                    return step
            responder = self._responder
        if responder is not None and (content := responder(body)) is not None:
            return Step(body=_as_content(content))
        return Step(status=500, body={"error": {"message": "no scripted reply left", "type": "stub_error"}})


def _completion(step: Step, request: dict[str, Any], number: int) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": step.body}
    finish = "stop"
    if step.tool_call is not None:
        choice = request.get("tool_choice")
        name = choice["function"]["name"] if isinstance(choice, dict) else "tool"
        call = {"id": f"call_{number}", "type": "function", "function": {"name": name, "arguments": step.tool_call}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
        finish = "tool_calls"
    prompt_tokens, completion_tokens = step.usage
    return {
        "id": f"chatcmpl-stub-{number}",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", "stub"),
        "choices": [{"index": 0, "finish_reason": finish, "message": message, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A handler still sleeping on a scripted delay must not hold up the test's teardown.
    block_on_close = False

    def __init__(self, stub: OpenAIStub) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stub = stub


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}"}}, {})
            return
        body = json.loads(raw or b"{}")
        stub = self.server.stub
        step = stub._take(body, {k.lower(): v for k, v in self.headers.items()})
        if step.delay_s:
            time.sleep(step.delay_s)
        if step.status == 200 and body.get("stream"):
            self._send_stream(step, body, len(stub.requests))
        elif step.status == 200:
            self._send(200, _completion(step, body, len(stub.requests)), step.headers)
        else:
            self._send(step.status, step.body, step.headers)

    def _send_stream(self, step: Step, request: dict[str, Any], number: int) -> None:
        """Server-sent events as OpenAI sends them, chunked so a break-off is a truncated body to the client."""
        content = str(step.body or "")
        pieces = step.chunks if step.chunks is not None else [w for w in content.split(" ") if w]
        if step.chunks is None:
            pieces = [w if i == len(pieces) - 1 else w + " " for i, w in enumerate(pieces)]
        base = {"id": f"chatcmpl-stub-{number}", "object": "chat.completion.chunk", "created": 0,
                "model": request.get("model", "stub")}  # fmt: skip
        events = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}]
        events += [{**base, "choices": [{"index": 0, "delta": {"content": piece}}]} for piece in pieces]
        events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if (request.get("stream_options") or {}).get("include_usage"):
            prompt_tokens, completion_tokens = step.usage
            usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                     "total_tokens": prompt_tokens + completion_tokens}  # fmt: skip
            events.append({**base, "choices": [], "usage": usage})
        self.protocol_version = "HTTP/1.1"  # chunked transfer, so closing early is visibly incomplete
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for n, event in enumerate(events):
                if step.break_after is not None and n > step.break_after:
                    self.wfile.flush()
                    return  # no terminating chunk: the client sees the body cut off
                if step.chunk_delay_s and n:
                    time.sleep(step.chunk_delay_s)
                self._chunk(f"data: {json.dumps(event)}\n\n".encode())
            self._chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out and left; that is what the delay was for


@contextmanager
def serve_openai_stub() -> Iterator[OpenAIStub]:
    """Run a stub server on 127.0.0.1 (a free port) in a daemon thread for the duration of the block."""
    stub = OpenAIStub()
    server = _Server(stub)
    host, port = server.server_address[:2]
    stub.base_url = f"http://{host!s}:{port}/v1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens, so connections are refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def clear_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set in the environment must not sit between the client and the local stub."""
    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
