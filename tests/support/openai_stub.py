"""A scripted OpenAI-compatible server on 127.0.0.1, so tests drive the real openai client over real HTTP.

Script it with a queue of steps (replies, tool calls, HTTP errors with headers, delays, malformed JSON);
every request body is recorded so a test can assert what was sent. An empty queue answers 500.

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
from collections.abc import Iterator
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
    ) -> OpenAIStub:
        """An HTTP error with an OpenAI-style error body and optional headers (e.g. Retry-After)."""
        body = {"error": {"message": message, "type": "stub_error", "code": None}}
        self._steps.append(Step(status=status, body=body, headers=dict(headers or {}), delay_s=delay_s))
        return self

    def reject_json_schema(self) -> OpenAIStub:
        """The 400 a server that does not support strict structured outputs answers."""
        return self.fail(400, "response_format json_schema not supported")

    def pending(self) -> int:
        """Steps not served yet."""
        with self._lock:
            return len(self._steps)

    def _take(self, body: dict[str, Any], headers: dict[str, str]) -> Step:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            if self._steps:
                return self._steps.popleft()
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
        if step.status == 200:
            self._send(200, _completion(step, body, len(stub.requests)), step.headers)
        else:
            self._send(step.status, step.body, step.headers)

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
