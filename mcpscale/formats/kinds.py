"""Every file kind mcpscale reads, and the model that checks it."""

from __future__ import annotations

from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.brand import Brand
from mcpscale.formats.evidence import Evidence, EvidenceRules, ToolRules
from mcpscale.formats.frameworks import FrameworkSet
from mcpscale.formats.migration import MigrationSet
from mcpscale.formats.narrative import Narrative
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
    "tool-rules": ToolRules,
    "narrative": Narrative,
    "migrations": MigrationSet,
    "frameworks": FrameworkSet,
}
# The files of a content pack folder, by kind. Only the questionnaire is required; each
# planning file adds parts of the plan, and `evidence.yaml` lets answers be held against
# evidence. Every other module takes these names from here.
QUESTIONNAIRE_FILE = "questionnaire.yaml"
PLAN_FILES = {
    "initiatives": "initiatives.yaml",
    "gates": "gates.yaml",
    "risks": "risks.yaml",
    "economics": "economics.yaml",
}
PLAN_KINDS = tuple(PLAN_FILES)
EVIDENCE_RULES_FILE = "evidence.yaml"
# The bundled pack's poisoning checks over what tools say; `--tool-rules FILE` adds more.
TOOL_RULES_FILE = "tool-rules.yaml"
# How answers to the pack's earlier versions carry over to this one (`mcpscale migrate`).
MIGRATIONS_FILE = "migrations.yaml"
# The external frameworks (OWASP, NIST, ISO) that questions' `mappings:` name.
FRAMEWORKS_FILE = "frameworks.yaml"
