"""The report's one jinja environment: where templates come from, how text is escaped.

The HTML report, the Markdown report and the portfolio report all render through
`render_template`. Autoescape is on for every template whatever its name, so everything users
wrote is escaped as HTML; Markdown output adds the `cell` filter, which also escapes Markdown.
A broken override in --template-dir is a located user error, never a traceback.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from mcpscale.errors import UserError
from mcpscale.inputs.packs import data_dir
from mcpscale.render.report.options import ReportOptions
from mcpscale.render.text import markdown_text

REPORT_TEMPLATES = "report"


def template_dirs(options: ReportOptions) -> list[Path]:
    """Where templates and assets come from, first match wins: the override, then ours."""
    bundled = data_dir("templates") / REPORT_TEMPLATES
    if options.template_dir is None:
        return [bundled]
    if not options.template_dir.is_dir():
        raise UserError.at(options.template_dir, "--template-dir is not a directory")
    return [options.template_dir.resolve(), bundled]


def markdown_cell(value: Any) -> Any:
    """Text for one Markdown table cell (render.text.markdown_text), marked safe for jinja."""
    from markupsafe import Markup

    return Markup(markdown_text(value))


def environment(options: ReportOptions, markdown: bool = False) -> Any:
    """The environment for these template folders. One per folder list and style for the life
    of the process, so each template is compiled once, not once per report; jinja still reloads
    a template whose file changed since (auto_reload)."""
    return _environment(tuple(str(d) for d in template_dirs(options)), markdown)


@lru_cache(maxsize=16)
def _environment(folders: tuple[str, ...], markdown: bool) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(folders)),
        autoescape=True,  # everything, whatever the template's name
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=markdown,
        lstrip_blocks=markdown,
    )
    env.filters["cell"] = markdown_cell
    return env


def print_css(env: Any) -> str:
    """The print stylesheet, inlined so HTML reports stay self-contained."""
    import jinja2

    try:
        return str(env.loader.get_source(env, "print.css")[0])
    except jinja2.TemplateError as exc:
        raise UserError(f"report template error: {exc}") from None


def render_template(env: Any, name: str, context: dict[str, Any]) -> str:
    """Render one template; a broken override is a located user error, not a traceback."""
    import jinja2

    try:
        return str(env.get_template(name).render(**context))
    except jinja2.TemplateSyntaxError as exc:
        raise UserError.at(
            exc.filename or exc.name or "template", exc.message or "", exc.lineno
        ) from None
    except jinja2.TemplateError as exc:
        raise UserError(f"report template error: {exc}") from None
