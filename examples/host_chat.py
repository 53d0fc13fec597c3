"""A minimal host chat integration: one chat thread = one resumable interview, over a small JSON HTTP API.

Run it:   python examples/host_chat.py --port 8765
Talk:     curl -s localhost:8765/threads/t1/messages -d '{"text": "We built a churn model in a notebook."}'
          curl -s localhost:8765/threads/t1/messages -d '{"text": "why"}'
          curl -s localhost:8765/threads/t1/messages -d '{"text": "done"}'

The first message of a thread is read as the brief (send "start" to begin from nothing); later messages
are answers, or skip / why / done. Threads survive a restart: the interview is checkpointed.
It uses only the public `advisor` API: Advisor, Session, SessionError.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from advisor import Advisor, BriefError, SessionError

_PATH = re.compile(r"^/threads/([A-Za-z0-9_.-]{1,64})/messages/?$")
_MAX_BODY = 256 * 1024


class ChatBridge:
    """Maps a host's conversation threads onto interview sessions."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        self._lock = threading.Lock()

    def handle(self, thread_id: str, text: str) -> dict[str, Any]:
        """The reply to one chat message."""
        interview_id = f"chat-{thread_id}"
        with self._lock:  # two first messages for one thread must not both start an interview
            try:
                session = self.advisor.resume(interview_id)
                started = False
            except SessionError:
                brief = None if text.strip().lower() in ("", "start") else text
                session = self.advisor.start_interview(brief, thread_id=interview_id, name=thread_id)
                started = True
        if not started:
            command = text.strip().lower().rstrip("?!.")
            if session.finished:
                return self._report(session)
            if command == "why":
                return {"reply": session.why(), "question": self._question(session), "done": False}
            if command == "skip":
                session.skip()
            elif command == "done":
                session.finish()
            else:
                session.answer(text)
        if session.finished:
            return self._report(session)
        question = self._question(session)
        assert question is not None
        return {"reply": question["text"], "question": question, "done": False}

    @staticmethod
    def _question(session: Any) -> dict[str, Any] | None:
        question = session.question
        return None if question is None else question.model_dump(include={"question_id", "area", "text", "choices"})

    @staticmethod
    def _report(session: Any) -> dict[str, Any]:
        report = session.finish()
        return {
            "reply": report.summary,
            "verdict": report.verdict,
            "done": True,
            "report": report.model_dump(mode="json"),
        }


def make_server(bridge: ChatBridge, host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    """An HTTP server exposing POST /threads/<id>/messages."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

        def do_POST(self) -> None:
            match = _PATH.match(self.path)
            if not match:
                return self._send(404, {"error": "POST /threads/<id>/messages"})
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                return self._send(413, {"error": f"message over {_MAX_BODY} bytes"})
            try:
                text = json.loads(self.rfile.read(length) or b"{}").get("text", "")
                if not isinstance(text, str):
                    raise ValueError("text must be a string")
                self._send(200, bridge.handle(match.group(1), text))
            except (ValueError, BriefError) as exc:
                self._send(400, {"error": str(exc).splitlines()[0]})

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return ThreadingHTTPServer((host, port), Handler)


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = make_server(ChatBridge(Advisor()), args.host, args.port)
    print(f"listening on http://{args.host}:{server.server_address[1]}/threads/<id>/messages")
    server.serve_forever()


if __name__ == "__main__":
    main()
