"""The host chat example: conversation threads map onto interviews over real HTTP on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import json
import threading
import urllib.request
from pathlib import Path
from typing import Any
from urllib.error import HTTPError

import pytest

from advisor.api import Advisor
from advisor.checkpoint import sqlite_checkpointer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def server(advisor: Advisor, tmp_path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("host_chat", ROOT / "examples" / "host_chat.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    host_advisor = Advisor(
        advisor.settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
        checkpointer=sqlite_checkpointer(tmp_path / "chat.sqlite"),
    )  # fmt: skip
    srv = module.make_server(module.ChatBridge(host_advisor), port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def post(base: str, thread: str, text: Any) -> dict[str, Any]:
    request = urllib.request.Request(f"{base}/threads/{thread}/messages", data=json.dumps({"text": text}).encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_two_threads_are_two_interviews(server: str) -> None:
    first = post(server, "alice", "We built a churn model in a notebook; the data was cleaned by hand.")
    other = post(server, "bob", "start")
    assert first["question"] and other["question"] and not first["done"]
    why = post(server, "alice", "why?")
    assert why["question"] == first["question"] and len(why["reply"]) > 20
    post(server, "alice", "Nobody owns the model after launch.")
    finished = post(server, "alice", "done")
    assert finished["done"] and finished["verdict"] in ("not_ready", "ready_with_conditions", "ready")
    assert "Nobody owns the model after launch." in json.dumps(finished["report"])
    assert not post(server, "bob", "We have two ML engineers and an SRE on the team.")["done"]
    again = post(server, "alice", "anything")
    assert again["done"] and again["verdict"] == finished["verdict"]


def test_bad_requests_get_a_clear_error(server: str) -> None:
    with pytest.raises(HTTPError) as err:
        post(server, "x", 42)
    assert err.value.code == 400
    with pytest.raises(HTTPError) as missing:
        urllib.request.urlopen(urllib.request.Request(f"{server}/nowhere", data=b"{}"), timeout=30)
    assert missing.value.code == 404
