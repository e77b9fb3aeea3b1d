"""Every file kind mcpscale reads, and the model that checks it."""

from __future__ import annotations

from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.brand import Brand
from mcpscale.formats.evidence import Evidence, EvidenceRules
from mcpscale.formats.pack import Economics, GateSet, InitiativeSet, RiskSet
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.formats.strict import Strict

MODELS: dict[str, type[Strict]] = {
    "questionnaire": Questionnaire,
    "answers": AnswerSet,
    "profile": Profile,
    "initiatives": InitiativeSet,
    "gates": GateSet,
    "risks": RiskSet,
    "economics": Economics,
    "brand": Brand,
    "evidence": Evidence,
    "evidence-rules": EvidenceRules,
}
PLAN_KINDS = ("initiatives", "gates", "risks", "economics")
