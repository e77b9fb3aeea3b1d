"""Rich renderables for showing a questionnaire in the terminal."""

from __future__ import annotations

from typing import Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.render.text import rich_markup, rich_text, visible


def questionnaire_renderables(q: Questionnaire) -> list[Any]:
    header = Text.assemble(
        (visible(q.title), "bold"),
        visible(f"  {q.id}@{q.version}\n"),
        visible(q.description.strip()),
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
        parts.append(
            Text.assemble(
                ("\n" + visible(dimension.name), "bold underline"),
                visible(
                    f"  ({dimension.id}; weight {dimension.weight:g}; target {target:g}; "
                    f"{len(questions)} questions)"
                ),
            )
        )
        for question in questions:
            lines = [f"[bold]{rich_markup(question.id)}[/bold]  {rich_markup(question.text)}"]
            extras = []
            if question.area:
                extras.append(f"area {question.area}")
            if question.weight != 1:
                extras.append(f"weight {question.weight:g}")
            if question.allow_na:
                extras.append("n/a allowed")
            if question.applies_if:
                extras.append(f"applies if {question.applies_if}")
            if extras:
                lines.append(f"[dim]{rich_markup('; '.join(extras))}[/dim]")
            parts.append(Text.from_markup("\n".join(lines)))
            choices = Table.grid(padding=(0, 1))
            choices.add_column(justify="right", no_wrap=True)
            choices.add_column(style="cyan", no_wrap=True)
            choices.add_column()
            for choice in question.choices:
                choices.add_row(f"  {choice.level}", rich_text(choice.id), rich_text(choice.label))
            parts.append(choices)
            parts.append(Text(""))
    return parts
