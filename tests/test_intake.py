from pathlib import Path

import pytest

from advisor.intake import BriefError, brief_from_text, read_brief


def write(tmp_path: Path, data: bytes, name: str = "brief.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Caf\xe9 ordering model, built by the data team in March.", "not UTF-8"),
        (b"1234 5678 --- ### ***", "no words"),
    ],
)
def test_unusable_files_give_one_clear_line(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(BriefError) as err:
        read_brief(write(tmp_path, data), max_bytes=10_000)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BriefError, match="no such file"):
        read_brief(tmp_path / "nope.md", 1000)
    with pytest.raises(BriefError, match="folder"):
        read_brief(tmp_path, 1000)


def test_size_limit_is_checked_before_reading_and_names_the_override(tmp_path: Path) -> None:
    path = write(tmp_path, b"We built a model. " * 1000)
    with pytest.raises(BriefError) as err:
        read_brief(path, max_bytes=1000)
    assert "over the 1,000-byte limit" in str(err.value)
    assert "--max-bytes" in str(err.value)


def test_utf16_with_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "We have a churn model.\r\nIt runs weekly.".encode("utf-16"))
    brief = read_brief(path, 10_000)
    assert brief.text == "We have a churn model.\nIt runs weekly."
    assert brief.name == "brief"


def test_other_language_is_accepted_with_a_notice() -> None:
    text = (
        "Wir haben ein Modell zur Vorhersage von Kundenabwanderung gebaut. Die Daten stammen aus drei "
        "Systemen und wurden von Hand bereinigt. Niemand ist für den Betrieb verantwortlich."
    )
    brief = brief_from_text(text, name="de")
    assert brief.language == "other"
    assert any("English" in n for n in brief.notices)


def test_same_text_same_hash() -> None:
    assert brief_from_text("A model for churn.").sha256 == brief_from_text("A model for churn.").sha256
