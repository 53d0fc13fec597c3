"""Shared fixtures: one real Chroma store per test session, the network blocked beyond loopback."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.api import Advisor
from advisor.knowledge.loader import KnowledgeBase, load_knowledge
from advisor.settings import Settings
from advisor.store.chroma_store import KnowledgeStore, open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "briefs"

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise OSError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does touches the real user's data or config."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    for var in ("ADVISOR_STORE_PATH", "ADVISOR_DATA_DIR", "ADVISOR_CONFIG_FILE", "ADVISOR_MAX_BRIEF_BYTES"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory, knowledge: KnowledgeBase) -> Path:
    path = tmp_path_factory.mktemp("store") / "chroma"
    open_store(path).ensure_built(knowledge)
    return path


@pytest.fixture(scope="session")
def store(store_path: Path) -> KnowledgeStore:
    return open_store(store_path)


@pytest.fixture(scope="session")
def advisor(store: KnowledgeStore, knowledge: KnowledgeBase, store_path: Path) -> Iterator[Advisor]:
    yield Advisor(Settings(store_path=store_path), knowledge=knowledge, store=store)
