"""Opens and saves the answers file an interview or a workshop writes after every answer."""

from __future__ import annotations

from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.formats.answers import Answer, Respondent
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.inputs.answers import load_answer_sets
from mcpscale.inputs.clock import today
from mcpscale.inputs.packs import DEFAULT_QUESTIONNAIRE, resolve_pack
from mcpscale.inputs.write import write_atomic
from mcpscale.inputs.yaml import dump_yaml
from mcpscale.interview.session import answers_document


def open_answers(
    output: Path, questionnaire_ref: str | None, respondent: Respondent
) -> tuple[Questionnaire, dict[str, Answer]]:
    """The questionnaire and the answers saved so far in `output` (none for a new file)."""
    if not output.exists():
        return resolve_pack(questionnaire_ref or DEFAULT_QUESTIONNAIRE).questionnaire, {}
    questionnaire, (answer_set,) = load_answer_sets([output], questionnaire_ref)
    saved = answer_set.respondent.name
    if saved.strip().casefold() != respondent.name.strip().casefold():
        raise UserError.at(
            output,
            f"holds the answers of '{saved}', not '{respondent.name}'; "
            "give each respondent their own --output file",
        )
    return questionnaire, dict(answer_set.answers)


def save_answers(
    output: Path, questionnaire: Questionnaire, respondent: Respondent, answers: dict[str, Answer]
) -> None:
    """Replace `output` atomically with the answers so far, dated today (SOURCE_DATE_EPOCH)."""
    document = answers_document(questionnaire, respondent, answers, today())
    write_atomic(output, dump_yaml(document))
