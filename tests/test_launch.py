"""The `advisor` script's start: the model loads beside the imports, and `import advisor` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

from advisor.embeddings import minilm
from advisor.launch import wants_model


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["chat"], True),
        (["assess", "brief.md"], True),
        (["batch", "briefs/", "--out", "out"], True),
        (["assess", "--help"], False),
        (["diff", "a.json", "b.json"], False),
        (["sessions", "list"], False),
        ([], False),
    ],
)
def test_only_commands_that_embed_preload_the_model(argv: list[str], expected: bool) -> None:
    assert wants_model(argv) is expected


def test_a_preload_and_a_caller_share_one_model() -> None:
    thread = minilm.preload_in_background()
    got = minilm.shared_embedder()  # waits for the preload rather than loading a second model
    thread.join(timeout=60)
    assert got is minilm.shared_embedder()
    assert got.embed(["the model is monitored"]).shape == (1, 384)


def test_import_advisor_does_not_load_langgraph_until_a_public_name_is_used() -> None:
    code = (
        "import sys, advisor\n"
        "print('langgraph' in sys.modules)\n"
        "from advisor import Advisor\n"
        "from advisor.api import Advisor as Real\n"
        "print(Advisor is Real, 'langgraph' in sys.modules)\n"
        "try:\n    advisor.NoSuchThing\nexcept AttributeError as exc:\n    print('AttributeError', exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    lines = done.stdout.splitlines()
    assert lines[0] == "False"
    assert lines[1] == "True True"
    assert lines[2].startswith("AttributeError") and "NoSuchThing" in lines[2]
