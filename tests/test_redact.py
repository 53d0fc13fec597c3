"""Redaction of personal data: what must be replaced before text leaves the machine, and what must not."""

from __future__ import annotations

import pytest

from advisor.privacy import describe_counts, redact


@pytest.mark.parametrize(
    ("text", "expected", "counts"),
    [
        ("Write to jane.doe+poc@example.co.uk today.", "Write to [EMAIL] today.", {"email": 1}),
        ("Call +44 20 7946 0958 after six.", "Call [PHONE] after six.", {"phone": 1}),
        ("Call +1 (555) 123-4567 or +49 151 12345678.", "Call [PHONE] or [PHONE].", {"phone": 2}),
        ("US desk: (555) 123-4567, 555-123-4567, 555.123.4567.", "US desk: [PHONE], [PHONE], [PHONE].", {"phone": 3}),
        ("UK 020 7946 0958, FR 01 23 45 67 89, DE 030 12345678.", "UK [PHONE], FR [PHONE], DE [PHONE].", {"phone": 3}),
        ("Pay DE89 3704 0044 0532 0130 00 now.", "Pay [IBAN] now.", {"iban": 1}),
        ("Pay GB82WEST12345698765432 now.", "Pay [IBAN] now.", {"iban": 1}),
        ("Card 4111 1111 1111 1111 was used.", "Card [CARD] was used.", {"card": 1}),
        ("Cards 4111-1111-1111-1111 and 378282246310005.", "Cards [CARD] and [CARD].", {"card": 2}),
        ("Dr. Jane Smith signs off.", "Dr. [PERSON] signs off.", {"person": 1}),
        ("Ask Ms Okafor or Prof Lee.", "Ask Ms [PERSON] or Prof [PERSON].", {"person": 2}),
        ("Owner: Jane Smith <jane@corp.example>.", "Owner: [PERSON] <[EMAIL]>.", {"email": 1, "person": 1}),
    ],
)
def test_personal_data_is_replaced_by_its_placeholder(text: str, expected: str, counts: dict[str, int]) -> None:
    redaction = redact(text)

    assert redaction.text == expected
    assert redaction.counts == counts


@pytest.mark.parametrize(
    "text",
    [
        "We went live in 2024 and expect 2025 to double it.",  # years
        "The call centre handles 2,300 a day and 1,200,000 a year.",  # counts with thousands commas
        "Budget is EUR 1,250,000 (about $1.4M), 15% over plan, 0.5% churn.",  # money and percentages
        "Kick-off on 2024-03-15, review on 01.02.2025, demo on 12/03/2024.",  # dates
        "Runs on Python 3.11.4 with model v2.10.1 at 10.0.12.5:8080.",  # versions and an IP address
        "See JIRA-12345, INC-123-456-7890 and ticket #4567890123.",  # ticket ids
        "Order 1234567890123 was shipped.",  # 13 digits failing the Luhn check
        "An amount of 1 234 567 890 123 is not a card.",  # grouped like money, not like a card
        "DE00 1234 5678 9012 3456 78 fails the IBAN check.",  # IBAN-shaped, bad checksum
        "The Data Platform team owns Power BI and Azure Machine Learning.",  # system and team names
        "Latency is 120 ms at 300 requests per second with 16 GPUs.",  # measurements
    ],
)
def test_ordinary_project_text_is_left_alone(text: str) -> None:
    redaction = redact(text)

    assert redaction.text == text
    assert redaction.counts == {}


def test_redaction_is_deterministic_and_counts_every_occurrence() -> None:
    text = "Mail a@x.io, b@y.io or call 020 7946 0958."

    assert redact(text) == redact(text)
    assert redact(text).counts == {"email": 2, "phone": 1}


def test_counts_read_as_a_sentence_in_a_fixed_order() -> None:
    assert describe_counts({"phone": 1, "email": 2}) == "2 emails, 1 phone number"
    assert describe_counts({"iban": 1, "card": 3, "person": 1}) == "1 IBAN, 3 card numbers, 1 person name"
    assert describe_counts({}) == ""
