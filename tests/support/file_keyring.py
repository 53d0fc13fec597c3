"""A keyring backend that keeps passwords in a JSON file named by $TEST_KEYRING_FILE.

Selected in a subprocess with PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring, so the real
`keyring` lookup path of the advisor runs end to end on a machine without a desktop keyring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    """Passwords in one JSON file: {"service": {"user": "password"}}."""

    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ["TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, dict[str, str]]:
        return json.loads(self._path.read_text()) if self._path.is_file() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        self._path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.get(service, {}).pop(username, None)
        self._path.write_text(json.dumps(data))
