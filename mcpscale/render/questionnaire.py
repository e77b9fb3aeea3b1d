"""Rich renderables for showing a questionnaire in the terminal."""

from __future__ import annotations

from typing import Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mcpscale.formats.questionnaire import Question, Questionnaire
from mcpscale.render.text import rich_text, visible


def questionnaire_renderables(q: Questionnaire) -> list[Any]:
    header = Text.assemble(
        (visible(q.title), "bold"),
        visible(f"  {q.id}@{q.version}"),
        visible(f"\nabout: {q.subject}" if q.subject else ""),
        visible(f"\n{q.description.strip()}" if q.description.strip() else ""),
    )
    scale = Table(title="Scale", show_header=True)
    scale.add_column("Level", justify="right")
    scale.add_column("Name")
    scale.add_column("Description")
    for level in q.scale:
        scale.add_row(str(level.level), rich_text(level.name), rich_text(level.description))
    parts: list[Any] = [Panel(header), scale]
    for dimension in q.dimensions:
        questions = [x for x in q.questions if x.dimension == dimension.id]
        target = dimension.target if dimension.target is not None else q.max_level
        gated = "; gated" if dimension.scoring == "gated" else ""
        parts.append(
            Text.assemble(
                ("\n" + visible(dimension.name), "bold underline"),
                visible(
                    f"  ({dimension.id}; weight {dimension.weight:g}; target {target:g}; "
                    f"{len(questions)} questions{gated})"
                ),
            )
        )
        for question in questions:
            parts.append(_question_heading(question))
            choices = Table.grid(padding=(0, 1))
            choices.add_column(justify="right", no_wrap=True)
            choices.add_column(style="cyan", no_wrap=True)
            choices.add_column()
            for choice in question.choices:
                shown = "-" if choice.level is None else str(choice.level)
                label = choice.label + (" (alone only)" if choice.exclusive else "")
                choices.add_row(f"  {shown}", rich_text(choice.id), rich_text(label))
            parts.append(choices)
            if question.rules:
                parts.append(rich_text(f"  levels: {_rules_text(question)}", style="dim"))
            parts.append(Text(""))
    return parts


def _question_heading(question: Question) -> Text:
    """The id in bold, the text, then its settings dimmed: every one shown as written."""
    extras = []
    if question.type == "multi":
        extras.append("select all that apply")
    if question.area:
        extras.append(f"area {question.area}")
    if question.level is not None:
        extras.append(f"level {question.level}")
    if question.weight != 1:
        extras.append(f"weight {question.weight:g}")
    if question.target is not None:
        extras.append(f"target {question.target:g}")
    if question.priority:
        extras.append(f"priority {question.priority}")
    if not question.scored:
        extras.append("not scored")
    if question.allow_na:
        extras.append("n/a allowed")
    if question.depends_on:
        extras.append(f"after {', '.join(question.depends_on)}")
    if question.applies_if:
        extras.append(f"applies if {condition_text(question.applies_if)}")
    heading = Text.assemble((visible(question.id), "bold"), "  ", visible(question.text))
    if question.help:
        heading.append("\n" + visible(question.help), style="italic")
    if extras:
        heading.append("\n" + visible("; ".join(extras)), style="dim")
    return heading


def condition_text(condition: Any) -> str:
    """An applies_if condition as it reads in YAML: {regulations: contains [GDPR]}."""
    import yaml

    return str(yaml.safe_dump(condition, default_flow_style=True, width=10**6)).strip()


def _rules_text(question: Question) -> str:
    """How a multi-select question's rules give its level: 'all a, b -> 2; else 0'."""
    rules = []
    for rule in question.rules:
        tests = [
            f"{word} {', '.join(ids)}"
            for word, ids in (("all", rule.all), ("any", rule.any), ("none", rule.none))
            if ids
        ]
        rules.append(f"{' and '.join(tests) or 'else'} -> {rule.level}")
    return "; ".join(rules)
