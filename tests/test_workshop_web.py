"""The live workshop in a real browser: a facilitator and three participants on loopback.

Debian's chromium (its headless shell) through Playwright: Playwright's own browser download is
not reachable here. Set MCPSCALE_SCREENSHOTS=docs/images to refresh the README's screenshots
from these tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mcpscale.inputs.answers import load_answer_sets

from .conftest import ROOT, TINY, Cli
from .test_room import saved as saved_answers
from .zygote import Live, Zygote, warm

# Debian's headless shell first: the same engine without the desktop browser around it (no
# window, no tab strip per device). Playwright itself runs it for headless pages, and it takes
# about half the CPU full chromium takes for this file. Full chromium where only it is there.
BROWSERS = [Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium")]
CHROMIUM = next((path for path in BROWSERS if path.exists()), BROWSERS[0])
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium: apt-get install -y chromium-headless-shell",
)
playwright_api = pytest.importorskip("playwright.sync_api")

PEOPLE = "Ana Silva:CTO,Ben Ode:CISO,Chloé Müller:Architect"
QUESTIONNAIRE = str(TINY / "questionnaire.yaml")
SHOTS = os.environ.get("MCPSCALE_SCREENSHOTS")
WAIT_MS = 5000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def zygote() -> Zygote:
    """The web server's processes are forked from a parent that has imported it."""
    return warm()


class Server:
    """`mcpscale workshop --web` as a user starts it, and the two URLs it prints: a real
    process (forked from the warmed parent in tests/zygote.py) serving on loopback."""

    def __init__(
        self,
        zygote: Zygote,
        folder: Path,
        port: int,
        *extra: str,
        questionnaire: str = QUESTIONNAIRE,
    ) -> None:
        self.args = [
            "workshop", "--web", "--respondents", PEOPLE,
            "--output-dir", str(folder), "--questionnaire", questionnaire,
            "--host", "127.0.0.1", "--port", str(port), *extra,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = Live(zygote, self.args, Path.cwd(), env)
        lines = [self.process.stdout.readline() for _ in range(2)]
        assert lines[0].startswith("facilitator: http://127.0.0.1:"), lines
        assert lines[1].startswith("join: http://127.0.0.1:"), lines
        self.facilitator = lines[0].split(": ", 1)[1].strip()
        self.join = lines[1].split(": ", 1)[1].strip()
        self.base = self.join.split("/join/")[0]

    def stop(self, how: int = signal.SIGINT) -> str:
        if self.process.poll() is None:
            self.process.send_signal(how)
        _, err = self.process.communicate(timeout=10)
        return err


@pytest.fixture(scope="module")
def chromium(zygote: Zygote) -> Iterator[Any]:
    """One browser for the file, started while the zygote imports: starting chromium costs a
    second. Its contexts are the tests' devices (see Devices)."""
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


PHONE = {"width": 360, "height": 740}
SCREEN = {"width": 1280, "height": 720}  # a new context's own size


class Devices:
    """The phones and screens of one test, each a page in its own browser context: its own
    cookies, as a separate device. A context and its page are kept for the next test, emptied
    (a blank page, no cookies): a new one costs chromium a renderer process."""

    def __init__(self, chromium: Any) -> None:
        self.chromium = chromium
        self.free: list[Any] = []
        self.used: list[Any] = []

    def new_page(self, viewport: dict[str, int] = SCREEN) -> Any:
        page = self.free.pop() if self.free else self.chromium.new_context().new_page()
        page.set_viewport_size(viewport)
        self.used.append(page)
        return page

    def empty(self) -> None:
        """Each device as new: no page open (so no event stream), no cookie."""
        for page in self.used:
            try:
                page.goto("about:blank")
                page.context.clear_cookies()
            except playwright_api.Error:  # a crashed page: its context is not kept
                with contextlib.suppress(playwright_api.Error):
                    page.context.close()
                continue
            self.free.append(page)
        self.used.clear()


@pytest.fixture(scope="module")
def devices(chromium: Any) -> Devices:
    return Devices(chromium)


@pytest.fixture
def browser(devices: Devices) -> Iterator[Devices]:
    yield devices
    devices.empty()


def participant(browser: Devices, server: Server, name: str) -> Any:
    """A phone (360 px wide) that joins and takes `name`'s seat."""
    page = browser.new_page(PHONE)
    page.goto(server.join)
    page.get_by_role("button", name=name).click()
    page.wait_for_url("**/seat")
    return page


def facilitator(browser: Devices, server: Server) -> Any:
    page = browser.new_page(SCREEN)
    page.goto(server.facilitator)
    return page


def choose(page: Any, label: str) -> None:
    page.get_by_role("button", name=label).first.click()
    expect(page.get_by_role("button", name=label).first).to_have_attribute("aria-pressed", "true")


def expect(locator: Any) -> Any:
    return playwright_api.expect(locator)


def saved(folder: Path) -> dict[str, dict[str, Any]]:
    return saved_answers(folder, QUESTIONNAIRE)


def test_the_room_votes_reveals_revotes_and_agrees(
    tmp_path: Path, browser: Devices, zygote: Zygote
) -> None:
    server = Server(zygote, tmp_path, free_port())
    try:
        board = facilitator(browser, server)
        ana, ben, chloe = (participant(browser, server, n) for n in PEOPLE_NAMES)
        expect(board.get_by_text("Answered: 0 of 3")).to_be_visible()

        # Question 1: everyone agrees; each answer reaches the projector at once.
        delays = []
        for count, page in enumerate((ana, ben, chloe), 1):
            started = time.perf_counter()
            page.get_by_role("button", name="By hand.").click()
            expect(board.get_by_text(f"Answered: {count} of 3")).to_be_visible(timeout=WAIT_MS)
            delays.append(time.perf_counter() - started)
        print(f"answer -> facilitator's screen: max {max(delays) * 1000:.0f} ms")
        assert max(delays) < 2.0
        board.get_by_role("button", name="Next", exact=True).click()

        # Question 2: levels 0, 3 and 2: a disagreement, then a re-vote and an agreement.
        expect(ana.get_by_role("heading", name="How is latency watched?")).to_be_visible()
        choose(ana, "Not at all.")
        choose(ben, "From a pipeline with checks.")
        chloe.get_by_label("Your note (optional, saved with your answer)").fill(
            "<b>only</b> new servers"
        )
        choose(chloe, "From scripts.")
        expect(board.get_by_text("Answered: 3 of 3")).to_be_visible()
        shown = ben.content()  # nobody sees others' answers before the reveal
        assert "Ana Silva" not in shown and "Answers by choice" not in shown
        if SHOTS:
            ben.screenshot(path=str(Path(SHOTS) / "workshop-participant.png"), full_page=True)
        board.get_by_role("button", name="Reveal", exact=True).click()
        expect(board.get_by_text("Disagreement:")).to_be_visible()
        expect(board.get_by_role("cell", name="Ana Silva")).to_be_visible()
        expect(ben.get_by_text("Answers are revealed.")).to_be_visible()
        expect(ben.get_by_role("button", name="From scripts.")).to_have_count(0)
        board.get_by_label("Discussion note").fill("Pipelines only for new servers")
        board.get_by_role("button", name="Save note").click()
        expect(board.get_by_text("Discussion: Pipelines only for new servers")).to_be_visible()
        if SHOTS:
            board.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
            board.screenshot(path=str(Path(SHOTS) / "workshop-facilitator.png"))
        board.get_by_role("button", name="Re-vote", exact=True).click()
        expect(board.get_by_text("Answered: 0 of 3")).to_be_visible()
        for page, label in ((ana, "From scripts."), (ben, "From scripts."), (chloe, "By hand.")):
            choose(page, label)
        board.get_by_role("button", name="Reveal", exact=True).click()
        expect(board.get_by_text("Levels span 1: no disagreement.")).to_be_visible()
        board.get_by_label("Consensus").select_option("most")
        board.get_by_role("button", name="Agree", exact=True).click()
        expect(board.get_by_text("The room agreed: most")).to_be_visible()
        board.get_by_role("button", name="Next", exact=True).click()

        # Question 3 (tech.hipaa applies without a profile): don't know, not applicable...
        expect(chloe.get_by_role("heading", name="Are PHI contexts encrypted?")).to_be_visible()
        choose(ana, "Don't know")
        choose(ben, "From scripts.")
        choose(chloe, "From scripts.")
        expect(board.get_by_text("Answered: 3 of 3")).to_be_visible()
        board.get_by_role("button", name="Next", exact=True).click()
        expect(ana.get_by_role("heading", name="Is there training?")).to_be_visible()

        # Nobody answers the last two; the facilitator moves on to the summary board.
        board.get_by_role("button", name="Next", exact=True).click()
        expect(board.get_by_role("heading", name="Is there a sponsor?")).to_be_visible()
        board.get_by_role("button", name="Next", exact=True).click()
        expect(board.get_by_role("heading", name="Summary")).to_be_visible()
        expect(board.get_by_role("cell", name="Technology")).to_be_visible()
        expect(board.get_by_text("No question: no levels spanned 2 or more.")).to_be_visible()
        expect(board.get_by_text(str(tmp_path / "chloe-muller.yaml"))).to_be_visible()
        expect(ana.get_by_role("heading", name="That's all")).to_be_visible()
        rss = Path(f"/proc/{server.process.pid}/status").read_text().split("VmRSS:")[1]
        print(f"server RSS after the workshop: {rss.split()[0]} kB")
    finally:
        err = server.stop()
    assert "Answers saved in" in err and "Traceback" not in err

    note = "Workshop discussion: Pipelines only for new servers"
    rounds = [{"Ana Silva": "none", "Ben Ode": "all", "Chloé Müller": "most"}]
    agreed = {"note": note, "consensus": "most", "rounds": rounds}
    assert saved(tmp_path) == {
        "Ana Silva": {
            "tech.a": {"choice": "some"},
            "tech.b": {"choice": "most", **agreed},
            "tech.hipaa": {"choice": "unknown"},
        },
        "Ben Ode": {
            "tech.a": {"choice": "some"},
            "tech.b": {"choice": "most", **agreed},
            "tech.hipaa": {"choice": "most"},
        },
        "Chloé Müller": {
            "tech.a": {"choice": "some"},
            "tech.b": {
                "choice": "some",
                **agreed,
                "note": "<b>only</b> new servers\n" + note,
            },
            "tech.hipaa": {"choice": "most"},
        },
    }
    scored = Cli()("score", tmp_path, "--questionnaire", QUESTIONNAIRE)
    assert scored.exit_code == 0, scored.output


PEOPLE_NAMES = ["Ana Silva", "Ben Ode", "Chloé Müller"]


def test_strangers_and_participants_cannot_steer_the_room(
    tmp_path: Path, browser: Devices, zygote: Zygote
) -> None:
    server = Server(zygote, tmp_path, free_port())
    try:
        ana = participant(browser, server, "Ana Silva")
        stranger = browser.new_page()
        for url in (server.join + "x", server.base + "/seat", server.facilitator + "x"):
            response = stranger.goto(url)
            assert response.status == 403, url
            assert response.headers["content-type"].startswith("text/plain")
        assert stranger.goto(server.base + "/nothing-here").status == 404
        taken = stranger.goto(server.join)
        assert taken.ok
        expect(stranger.get_by_role("button", name="Ana Silva (taken)")).to_be_disabled()

        # Ana's page has the CSRF token and her seat cookie, but not the facilitator's token.
        csrf = ana.locator("#live").get_attribute("data-csrf")
        request = ana.context.request
        wrong = server.base + "/facilitate/guessed"
        for action in ("reveal", "next"):
            sent = request.post(f"{wrong}/{action}", headers={"X-CSRF-Token": csrf})
            assert sent.status == 403
        # ... and the facilitator's own routes want the CSRF token and a same-origin request.
        assert request.post(server.facilitator + "/next").status == 403
        evil = {"X-CSRF-Token": csrf, "Origin": "http://evil.example"}
        assert request.post(server.facilitator + "/next", headers=evil).status == 403
        big = request.post(
            server.base + "/seat/vote",
            headers={"X-CSRF-Token": csrf},
            form={"choice": "some", "note": "x" * 20_000},
        )
        assert big.status == 413
        expect(ana.get_by_role("heading", name="How are servers deployed?")).to_be_visible()

        # A lost phone: the facilitator frees the seat; the old cookie stops working.
        board = facilitator(browser, server)
        board.get_by_text("Seats").click()
        board.get_by_role("button", name="Free Ana Silva's seat").click()
        expect(board.get_by_text("Ana Silva (not joined)")).to_be_visible()
        assert ana.reload().status == 403
        stranger.goto(server.join)
        stranger.get_by_role("button", name="Ana Silva").click()
        stranger.wait_for_url("**/seat")
    finally:
        server.stop()


def test_a_killed_server_resumes_at_the_same_question(
    tmp_path: Path, browser: Devices, zygote: Zygote
) -> None:
    port = free_port()
    server = Server(zygote, tmp_path, port)
    board = facilitator(browser, server)
    pages = [participant(browser, server, name) for name in PEOPLE_NAMES]
    for page in pages:
        choose(page, "From scripts.")
    board.get_by_role("button", name="Next", exact=True).click()
    for page in pages[:2]:  # the first question has the same choices: wait for the second
        expect(page.get_by_role("heading", name="How is latency watched?")).to_be_visible()
    choose(pages[0], "Not at all.")
    choose(pages[1], "From a pipeline with checks.")
    board.get_by_role("button", name="Reveal", exact=True).click()
    expect(board.get_by_text("Disagreement:")).to_be_visible()
    before = saved(tmp_path)
    server.stop(signal.SIGKILL)

    again = Server(zygote, tmp_path, port)
    try:
        assert (again.facilitator, again.join) == (server.facilitator, server.join)
        assert saved(tmp_path) == before
        # The open pages reconnect by themselves; the phones keep their seats.
        board.reload()
        expect(board.get_by_role("heading", name="How is latency watched?")).to_be_visible()
        expect(board.get_by_text("Disagreement:")).to_be_visible()
        pages[2].reload()
        expect(pages[2].get_by_text("Answers are revealed.")).to_be_visible()
        board.get_by_role("button", name="Re-vote", exact=True).click()
        choose(pages[2], "From scripts.")
        expect(board.get_by_text("Answered: 1 of 3")).to_be_visible()
    finally:
        again.stop()
    assert saved(tmp_path)["Chloé Müller"]["tech.b"]["choice"] == "most"


def test_the_projector_shows_the_evidence_and_only_counts_when_anonymous(
    tmp_path: Path, browser: Devices, zygote: Zygote
) -> None:
    # The room file says where the room is: at a question the acme scan has a finding on.
    room_file = {"room": 1, "questionnaire": "mcp-enterprise-readiness@1.1",
                 "question": "gov.encryption-in-transit", "revealed": False}  # fmt: skip
    (tmp_path / ".workshop-room.json").write_text(json.dumps(room_file))
    evidence = ROOT / "examples" / "acme" / "evidence" / "scan.yaml"
    server = Server(
        zygote,
        tmp_path,
        free_port(),
        "--anonymous",
        "--evidence",
        str(evidence),
        questionnaire="mcp-enterprise-readiness",
    )
    try:
        board = facilitator(browser, server)
        expect(board.get_by_role("heading", name="Evidence: plaintext-http")).to_be_visible()
        ana, ben = (participant(browser, server, name) for name in PEOPLE_NAMES[:2])
        ana.get_by_role("button").first.click()
        ben.get_by_role("button").nth(3).click()
        expect(board.get_by_text("Answered: 2 of 3")).to_be_visible()
        board.get_by_role("button", name="Reveal", exact=True).click()
        expect(board.get_by_text("Disagreement:")).to_be_visible()
        expect(ana.get_by_text("Answers are revealed.")).to_be_visible()
        for page in (board, ana):
            assert not any(name in page.content() for name in PEOPLE_NAMES[1:]), page.url
    finally:
        server.stop()


def test_a_new_name_joins_only_when_the_facilitator_allows_it(
    tmp_path: Path, browser: Devices, zygote: Zygote
) -> None:
    server = Server(zygote, tmp_path, free_port())
    try:
        stranger = browser.new_page(PHONE)
        stranger.goto(server.join)
        expect(stranger.get_by_role("button", name="Join as someone new")).to_have_count(0)

        room = facilitator(browser, server)
        room.locator("#seats summary").click()
        room.get_by_role("button", name="Allow new names at the join page").click()
        expect(room.get_by_role("button", name="Stop new names at the join page")).to_be_visible()

        stranger.reload()
        stranger.get_by_label("Your name").fill("Dana <b>Kim</b>")
        stranger.get_by_label("Your role").fill("Data steward")
        stranger.get_by_role("button", name="Join as someone new").click()
        stranger.wait_for_url("**/seat")
        expect(stranger.get_by_text("Dana <b>Kim</b>")).to_be_visible()  # shown as typed
        choose(stranger, "By hand.")
        expect(room.get_by_text("✓ Dana <b>Kim</b>")).to_be_visible()  # answered, escaped
    finally:
        server.stop()
    answers = saved(tmp_path)
    assert answers["Dana <b>Kim</b>"] == {"tech.a": {"choice": "some"}}
    # the same command again: the newcomer keeps their seat and their file
    again = Server(zygote, tmp_path, free_port())
    try:
        page = browser.new_page()
        page.goto(again.join)
        expect(page.get_by_role("button", name="Dana <b>Kim</b>")).to_be_visible()
        expect(page.get_by_role("button", name="Join as someone new")).to_be_visible()
    finally:
        again.stop()


def test_keyboard_only_a_seat_a_choice_and_the_reveal(
    tmp_path: Path, browser: Devices, zygote: Zygote
) -> None:
    """No mouse: Tab to a control, Enter to press it, on both screens."""
    server = Server(zygote, tmp_path, free_port())
    try:
        phone = browser.new_page(PHONE)
        phone.goto(server.join)

        def press_tab_until(page: Any, name: str) -> None:
            for _ in range(40):
                page.keyboard.press("Tab")
                focused = page.evaluate(
                    "document.activeElement && document.activeElement.innerText"
                )
                if focused and focused.strip().startswith(name):
                    page.keyboard.press("Enter")
                    return
            raise AssertionError(f"Tab never reached {name!r}")

        press_tab_until(phone, "Ben Ode")
        phone.wait_for_url("**/seat")
        press_tab_until(phone, "From scripts.")
        expect(phone.get_by_role("button", name="From scripts.")).to_have_attribute(
            "aria-pressed", "true"
        )
        board = facilitator(browser, server)
        expect(board.get_by_text("Answered: 1 of 3")).to_be_visible()
        # A vote arriving redraws the board: the button Tab reached keeps the focus.
        board.get_by_role("button", name="Re-vote", exact=True).focus()
        choose(participant(browser, server, "Ana Silva"), "By hand.")
        expect(board.get_by_text("Answered: 2 of 3")).to_be_visible()
        assert board.evaluate("document.activeElement.innerText").strip() == "Re-vote"
        press_tab_until(board, "Reveal")
        expect(board.get_by_role("cell", name="Ben Ode")).to_be_visible()
    finally:
        server.stop()
    assert saved(tmp_path)["Ben Ode"] == {"tech.a": {"choice": "most"}}


FEATURES = ROOT / "tests" / "data" / "generality" / "features" / "questionnaire.yaml"


def test_a_phone_ticks_a_multi_select_and_the_projector_shows_each_votes_level(
    tmp_path: Path, browser: Devices, zygote: Zygote
) -> None:
    """The features pack: depends_on, a multi-select with "None of these", choice ids u and n,
    texts with [/x] shown as written, an informational question."""
    room_file = {"room": 1, "questionnaire": "features@1", "question": "activities.l3"}
    (tmp_path / ".workshop-room.json").write_text(json.dumps(room_file))
    server = Server(zygote, tmp_path, free_port(), questionnaire=str(FEATURES))
    try:
        board = facilitator(browser, server)
        ana, ben, chloe = (participant(browser, server, n) for n in PEOPLE_NAMES)
        expect(ana.get_by_text("Builds on: Are builds reproducible?")).to_be_visible()
        for _ in range(3):  # to the multi-select question
            board.get_by_role("button", name="Next", exact=True).click()
        question = "Which of these practices are in place?"
        expect(ana.get_by_role("heading", name=question)).to_be_visible()
        expect(board.get_by_text("Level 2 · Managed: all of a, b")).to_be_visible()

        # Ana ticks two boxes on her phone and votes; the level her selection scores shows.
        ana.get_by_role("checkbox", name="Threat modelling").check()
        ana.get_by_role("checkbox", name="Dependency scanning").check()
        ana.get_by_role("button", name="Vote", exact=True).click()
        voted = ana.get_by_role("button", name="Vote ✓ your answer: level 2 · Managed")
        expect(voted).to_have_attribute("aria-pressed", "true")
        if SHOTS:
            shot = Path(SHOTS) / "workshop-multi-participant.png"
            ana.screenshot(path=str(shot), full_page=True)
        expect(ana.get_by_role("checkbox", name="Threat modelling")).to_be_checked()

        # "None of these" stands alone: ticking it clears the others; the server refuses a mix.
        ben.get_by_role("checkbox", name="Threat modelling").check()
        ben.get_by_role("checkbox", name="None of these").check()
        expect(ben.get_by_role("checkbox", name="Threat modelling")).not_to_be_checked()
        csrf = ben.locator("#live").get_attribute("data-csrf")
        mixed = ben.context.request.post(
            server.base + "/seat/vote",
            headers={"X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded"},
            data="question=controls.practices&selected=a&selected=n",
        )
        assert mixed.status == 409
        assert mixed.text() == "'n' (None of these) is selected on its own"
        ben.get_by_role("button", name="Vote", exact=True).click()
        expect(board.get_by_text("Answered: 2 of 3")).to_be_visible()
        choose(chloe, "Don't know")
        expect(board.get_by_text("Answered: 3 of 3")).to_be_visible()

        board.get_by_role("button", name="Reveal", exact=True).click()
        expect(board.get_by_text("Disagreement:")).to_be_visible()
        expect(
            board.get_by_role("cell", name="Threat modelling, Dependency scanning")
        ).to_be_visible()
        expect(board.get_by_role("cell", name="2 · Managed")).to_be_visible()
        expect(board.get_by_role("cell", name="0 · None")).to_be_visible()
        expect(
            ana.get_by_text("You answered Threat modelling, Dependency scanning")
        ).to_be_visible()
        if SHOTS:
            board.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
            board.screenshot(path=str(Path(SHOTS) / "workshop-multi-facilitator.png"))
        for choice_id in ("a", "b"):  # no choice had a majority: nothing is ticked yet
            consensus = board.get_by_role("checkbox", name=choice_id, exact=True)
            expect(consensus).not_to_be_checked()
            consensus.check()
        board.get_by_role("button", name="Agree", exact=True).click()
        expect(board.get_by_text("The room agreed: a, b")).to_be_visible()

        # Choice ids u and n are choices; a label with [/x] is shown as written.
        board.get_by_role("button", name="Next", exact=True).click()
        heading = "How are reviews [/x] recorded? [bold]"
        expect(chloe.get_by_role("heading", name=heading)).to_be_visible()
        choose(ana, "Unclear ownership.")
        choose(ben, "Nowhere at all.")
        choose(chloe, "Not recorded [/x].")
        expect(board.get_by_text("Answered: 3 of 3")).to_be_visible()
        for _ in range(2):
            board.get_by_role("button", name="Next", exact=True).click()
        expect(
            ana.get_by_role("heading", name="How large is the engineering team?")
        ).to_be_visible()
        expect(
            ana.get_by_text("Informational: asked and reported, but not scored.")
        ).to_be_visible()
    finally:
        err = server.stop()
    assert "Traceback" not in err

    _, sets = load_answer_sets(sorted(tmp_path.glob("*.yaml")), str(FEATURES))
    answers = {s.respondent.name: s.answers for s in sets}
    practices = {name: a["controls.practices"] for name, a in answers.items()}
    assert {name: (a.choice, a.consensus) for name, a in practices.items()} == {
        "Ana Silva": (["a", "b"], ["a", "b"]),
        "Ben Ode": (["n"], ["a", "b"]),
        "Chloé Müller": ("unknown", ["a", "b"]),
    }
    reviews = {name: a["controls.review"].choice for name, a in answers.items()}
    assert reviews == {"Ana Silva": "u", "Ben Ode": "n", "Chloé Müller": "a"}
    scored = Cli()("score", tmp_path, "--questionnaire", FEATURES)
    assert scored.exit_code == 0, scored.output
