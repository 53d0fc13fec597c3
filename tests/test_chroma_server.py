"""The knowledge store on a Chroma server: a real `chroma run` on 127.0.0.1, reached through HttpClient."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.knowledge.loader import KnowledgeBase
from advisor.settings import Settings
from advisor.store.chroma_store import StoreError, open_remote_store


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(chroma).exists():
        pytest.skip("the chroma command (chromadb's server) is not installed")
    port = _free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start listening within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_assessment_on_a_chroma_server(chroma_url: str, knowledge: KnowledgeBase, tmp_path: Path) -> None:
    settings = Settings(chroma_url=chroma_url, data_dir=tmp_path / "data")
    advisor = Advisor(settings, knowledge=knowledge)
    assert advisor.store.path == chroma_url and advisor.rebuilt
    report = advisor.assess("Nobody owns the model after launch and the API key is pasted in the notebook.")
    assert report.verdict == "not_ready"
    assert any(r.knowledge for r in report.risks if r.severity == "high")
    assert list((tmp_path / "data" / "chroma-server-cache").glob("polarity-*.npz")), "derived files stay local"
    again = Advisor(settings, knowledge=knowledge)
    assert not again.rebuilt, "a second client finds the store built on the server"
    assert again.store.stats()["signal_sentences"] > 500


def test_an_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot reach the Chroma server at http://127\.0\.0\.1:"):
        open_remote_store(f"http://127.0.0.1:{_free_port()}", tmp_path)
    with pytest.raises(StoreError, match=r"must look like http://host:port"):
        open_remote_store("chroma.example", tmp_path)
