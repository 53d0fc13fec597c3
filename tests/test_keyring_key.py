"""The API key can live in the system keyring instead of the environment, and never shows anywhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.support.cli import run_cli
from tests.support.openai_stub import serve_openai_stub

pytestmark = pytest.mark.slow
KEY = "sk-from-the-keyring-5e4d3c2b1a"


def run(args: list[str], store_path: Path, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    keyring = {
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
        "TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "ADVISOR_LLM_MODEL": "stub-model",
        "ADVISOR_LLM_STRUCTURED_OUTPUT": "json_schema",
        "ADVISOR_LLM_MAX_RETRIES": "0",
        "ADVISOR_LLM_TIMEOUT_S": "5",
        # Empty, so only the keyring can supply the key.
        "ADVISOR_LLM_API_KEY": "",
        "OPENAI_API_KEY": "",
        **extra,
    }
    return run_cli(args, store_path, tmp_path, env=keyring)


def test_the_key_is_read_from_the_keyring_and_sent_only_as_the_bearer_token(store_path: Path, tmp_path: Path) -> None:
    (tmp_path / "keyring.json").write_text(json.dumps({"poc-advisor": {"api_key": KEY}}))
    brief = str(EXAMPLES / "retail-churn.md")
    with serve_openai_stub() as stub:
        stub.reply({"items": []}).reply({"summary": "Not ready for production."})
        result = run(
            ["assess", brief, "--engine", "llm", "--format", "json"], store_path, tmp_path,
            ADVISOR_LLM_BASE_URL=stub.base_url, ADVISOR_LLM_KEYRING_SERVICE="poc-advisor",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert stub.headers and all(h.get("authorization") == f"Bearer {KEY}" for h in stub.headers)
    assert KEY not in result.stdout + result.stderr
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_an_empty_keyring_is_one_line_naming_the_service(store_path: Path, tmp_path: Path) -> None:
    result = run(
        ["assess", str(EXAMPLES / "retail-churn.md"), "--engine", "llm"], store_path, tmp_path,
        ADVISOR_LLM_KEYRING_SERVICE="poc-advisor",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "advisor: no API key in the keyring for service 'poc-advisor': store one with `keyring set poc-advisor api_key`"
    )
    assert "Traceback" not in result.stderr
