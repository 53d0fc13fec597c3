"""Run the real `advisor` command in a subprocess against the session's knowledge store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    args: list[str], store_path: Path, tmp_path: Path, timeout: int = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m advisor.cli ARGS` with the session store and throwaway user folders (env: more variables)."""
    env = {
        **os.environ,
        "ADVISOR_STORE_PATH": str(store_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "ANONYMIZED_TELEMETRY": "False",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True, env=env, timeout=timeout
    )
