"""The ten fixed risk areas: ids used in knowledge, state, JSON and evals."""

from __future__ import annotations

from typing import Literal, get_args

AreaId = Literal[
    "objective",
    "data",
    "scalability",
    "infrastructure",
    "expectations",
    "integration",
    "security",
    "skills",
    "operations",
    "governance",
]

AREA_IDS: tuple[AreaId, ...] = get_args(AreaId)

AREA_TITLES: dict[AreaId, str] = {
    "objective": "Business objective",
    "data": "Data",
    "scalability": "Scalability",
    "infrastructure": "Infrastructure",
    "expectations": "Expectations",
    "integration": "Integration",
    "security": "Security & privacy",
    "skills": "Skills & team",
    "operations": "Operations",
    "governance": "Governance",
}

AREA_MEANINGS: dict[AreaId, str] = {
    "objective": "no clear business objective, success metric or ROI case",
    "data": "POC data curated by hand vs messy, siloed, inconsistent, drifting production data",
    "scalability": "no plan for production volume, latency, throughput",
    "infrastructure": "where it runs: closed networks, no serving platform, sandbox-only, hardware",
    "expectations": "POC accuracy or a 3-6 month timeline promised for production",
    "integration": "legacy and multiple source systems, write-back paths",
    "security": "security, privacy and compliance: PII, regulation, secrets, audit trails",
    "skills": "only data scientists, no ML/software/DevOps engineering, key-person risk",
    "operations": "no monitoring, retraining, versioning, rollback, or budget to run it",
    "governance": "no owner, no human-override policy, no fairness monitoring, no documentation or audits",
}
