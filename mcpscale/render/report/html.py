"""The report as HTML, and as PDF through WeasyPrint with a fetcher that loads only our assets."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mcpscale.errors import UserError
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


PANGO_HELP = (
    "cannot make a PDF: WeasyPrint cannot load the Pango library ({reason}); install it "
    "(Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango; "
    "see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html), "
    "or choose --format html"
)


def require_pdf_support() -> None:
    """Refuse, before anything is written, when WeasyPrint's system libraries are missing.

    cffi raises OSError from `import weasyprint` when Pango (or GObject) cannot be loaded."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise UserError(PANGO_HELP.format(reason=reason[:200])) from None


def render_pdf(html: str, options: ReportOptions) -> bytes:
    import logging

    require_pdf_support()
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected
    dirs = template_dirs(options)
    document = HTML(string=html, base_url=str(dirs[-1]) + "/", url_fetcher=locked_url_fetcher(dirs))
    with fewer_collections():
        return document.write_pdf(pdf_identifier=b"mcpscale-report", uncompressed_pdf=False)  # type: ignore[no-any-return]


@contextmanager
def fewer_collections(young: int = 10_000) -> Iterator[None]:
    """Python's cyclic garbage collector run less often while WeasyPrint works.

    WeasyPrint builds hundreds of thousands of objects that live until the PDF is written
    (boxes, styles, lines); at the default threshold (a collection every 700 new objects) the
    collector scans them over and over, a fifth of the render. It creates almost no cycles,
    so collecting every `young` new objects, with the objects made before it frozen out of
    the scans, keeps memory the same. Both settings are restored afterwards."""
    import gc

    threshold = gc.get_threshold()
    gc.collect()  # what is already garbage (closed charts) goes now, not into the frozen set
    gc.freeze()
    gc.set_threshold(young, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
