"""The report as HTML, and as PDF through WeasyPrint with a fetcher that loads only our assets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mcpscale.render.report.options import ReportOptions
from mcpscale.render.report.templates import (
    environment,
    print_css,
    render_template,
    template_dirs,
)


def render_html(context: dict[str, Any], options: ReportOptions) -> str:
    env = environment(options)
    return render_template(env, "base.html", {**context, "css": print_css(env)})


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
