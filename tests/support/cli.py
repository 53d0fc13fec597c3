"""Run the real `advisor` command in a subprocess against the session's knowledge store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def cli_env(store_path: Path | None, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: the session store, throwaway user folders, no proxies.

    store_path None leaves the store at its default place under the throwaway data folder. Proxies are
    dropped so requests to the scripted LLM server on 127.0.0.1 go straight to it.
    """
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "ANONYMIZED_TELEMETRY": "False",
        "PYTHONUNBUFFERED": "1",
    }
    for name in PROXY_VARIABLES:
        env.pop(name, None)
    env.pop("ADVISOR_STORE_PATH", None)
    if store_path is not None:
        env["ADVISOR_STORE_PATH"] = str(store_path)
    env.update(extra)
    return env


def run_cli(
    args: list[str],
    store_path: Path | None,
    tmp_path: Path,
    timeout: int = 180,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m advisor.cli ARGS` with cli_env (env: more variables; stdin: text to type)."""
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True,
        env=cli_env(store_path, tmp_path, **(env or {})), timeout=timeout, input=stdin,
    )  # fmt: skip
