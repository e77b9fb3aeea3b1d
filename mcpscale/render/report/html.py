"""The report's one jinja environment, HTML rendering, and WeasyPrint with a locked-down fetcher."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcpscale.errors import UserError
from mcpscale.inputs.packs import data_dir
from mcpscale.render.report.options import ReportOptions

if TYPE_CHECKING:
    pass


REPORT_TEMPLATES = "report"


def template_dirs(options: ReportOptions) -> list[Path]:
    """Where templates and assets come from, first match wins: the override, then ours."""
    bundled = data_dir("templates") / REPORT_TEMPLATES
    if options.template_dir is None:
        return [bundled]
    if not options.template_dir.is_dir():
        raise UserError.at(options.template_dir, "--template-dir is not a directory")
    return [options.template_dir.resolve(), bundled]


def render_html(context: dict[str, Any], options: ReportOptions) -> str:
    import jinja2

    dirs = template_dirs(options)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,  # everything, whatever the template's name
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    try:
        css = environment.loader.get_source(environment, "print.css")[0]  # type: ignore[union-attr]
    except jinja2.TemplateError as exc:
        raise UserError(f"report template error: {exc}") from None
    return _render(environment, "base.html", {**context, "css": css})


def _render(environment: Any, name: str, context: dict[str, Any]) -> str:
    """Render one template; a broken override is a located user error, not a traceback."""
    import jinja2

    try:
        return environment.get_template(name).render(**context)  # type: ignore[no-any-return]
    except jinja2.TemplateSyntaxError as exc:
        raise UserError.at(
            exc.filename or exc.name or "template", exc.message or "", exc.lineno
        ) from None
    except jinja2.TemplateError as exc:
        raise UserError(f"report template error: {exc}") from None


def locked_url_fetcher(allowed_roots: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher that serves only files below `allowed_roots` (and data:)."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed_roots]

    class LockedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"mcpscale reports load only their own assets, not {url}")

    return LockedFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def render_pdf(html: str, options: ReportOptions) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected
    dirs = template_dirs(options)
    document = HTML(string=html, base_url=str(dirs[-1]) + "/", url_fetcher=locked_url_fetcher(dirs))
    return document.write_pdf(pdf_identifier=b"mcpscale-report", uncompressed_pdf=False)  # type: ignore[no-any-return]
