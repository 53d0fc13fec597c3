import shutil
from pathlib import Path

import pytest

from advisor.domain.areas import AREA_IDS
from advisor.knowledge.loader import KnowledgeBase, KnowledgeError, content_hash, default_knowledge_dir, load_knowledge


def test_every_area_has_a_card_signals_questions_and_actions(knowledge: KnowledgeBase) -> None:
    for area in AREA_IDS:
        card = knowledge.cards[area]
        assert {"Symptoms", "Why it blocks production"} <= set(card.sections)
        bank = knowledge.signals[area]
        assert len(bank.gap_high) >= 20 and len(bank.mitigation) >= 20
        assert knowledge.questions_for(area)
        assert any(a.area == area and "medium" in a.addresses for a in knowledge.actions.values())
        assert any(a.area == area and "high" in a.addresses for a in knowledge.actions.values())


def test_remediation_dependencies_exist_and_are_acyclic(knowledge: KnowledgeBase) -> None:
    seen: dict[str, int] = {}

    def visit(action_id: str) -> None:
        assert seen.get(action_id) != 1, f"cycle through {action_id}"
        if seen.get(action_id) == 2:
            return
        seen[action_id] = 1
        for dep in knowledge.actions[action_id].depends_on:
            visit(dep)
        seen[action_id] = 2

    for action_id in knowledge.actions:
        visit(action_id)


def test_rates_have_sources(knowledge: KnowledgeBase) -> None:
    for role in knowledge.rates.roles.values():
        assert role.source
    assert knowledge.rates.weekly_cost("data_scientist") == pytest.approx(
        112_590 * knowledge.rates.loaded_cost_multiplier / knowledge.rates.working_weeks_per_year
    )


def test_rates_override_merges_roles_and_changes_version(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    override = tmp_path / "rates.yaml"
    override.write_text("currency: EUR\nroles:\n  data_scientist:\n    title: DS\n    annual_salary_usd: 90000\n"
                        "    source: our HR band\n")  # fmt: skip
    merged = load_knowledge(rates_override=override)
    assert merged.rates.currency == "EUR"
    assert merged.rates.roles["data_scientist"].annual_salary_usd == 90000
    assert merged.rates.roles["ml_engineer"] == knowledge.rates.roles["ml_engineer"]
    assert merged.version != knowledge.version


def test_hash_changes_with_content(tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), copy)
    before = content_hash(copy)
    card = copy / "cards" / "data.md"
    card.write_text(card.read_text() + "\nOne more line.\n")
    assert content_hash(copy) != before


def test_malformed_knowledge_fails_with_the_file_named(tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), copy)
    (copy / "remediation.yaml").write_text("actions: [\n")
    with pytest.raises(KnowledgeError, match=r"remediation\.yaml"):
        load_knowledge(copy)
