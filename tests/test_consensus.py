"""A workshop room's consensus and re-vote rounds in the answers files: checked against the
questionnaire, carried into the result beside the individual answers (never into the score),
and shown by `score` and `report`."""

from __future__ import annotations

from pathlib import Path

from .conftest import TINY, Cli

PROFILE = TINY / "profile.yaml"
ROOM = {
    "ana": ("Ana", "none", "some"),
    "ben": ("Ben", "all", "most"),
}


def write_room(folder: Path, consensus: dict[str, str] | None = None) -> Path:
    """Ana and Ben disagree on tech.a (0 vs 3); the room re-voted once and agreed on `most`
    (unless `consensus` gives each person's file its own, or {} none at all)."""
    folder.mkdir(parents=True, exist_ok=True)
    for slug, (name, choice, first_vote) in ROOM.items():
        agreed = "most" if consensus is None else consensus.get(slug)
        extra = ""
        if agreed is not None:
            extra = f", consensus: {agreed}, rounds: [{{Ana: some, Ben: {first_vote}}}]"
        (folder / f"{slug}.yaml").write_text(
            "kind: answers\n"
            "questionnaire: tiny@2\n"
            f"respondent: {{name: {name}, role: CTO}}\n"
            "assessed_at: 2026-11-16\n"
            "answers:\n"
            f"  tech.a: {{choice: {choice}, note: 'Workshop discussion: pipes'{extra}}}\n"
            "  tech.b: some\n"
            "  people.a: most\n"
            "  people.b: most\n"
        )
    return folder


def test_the_consensus_is_in_the_result_beside_the_answers_and_the_scores_are_unchanged(
    cli: Cli, tmp_path: Path
) -> None:
    agreed = cli.json("score", write_room(tmp_path / "agreed"), "--questionnaire", TINY)
    plain = cli.json("score", write_room(tmp_path / "plain", {}), "--questionnaire", TINY)
    tech_a = next(q for q in agreed["questions"] if q["id"] == "tech.a")
    assert (tech_a["consensus"], tech_a["consensus_level"]) == ("most", 2)
    assert [a["choice"] for a in tech_a["answers"]] == ["none", "all"]
    assert tech_a["score"] == 1.5  # still the mean of 0 and 3, not the agreed 2
    assert agreed["overall"] == plain["overall"]
    assert agreed["dimensions"] == plain["dimensions"]
    [disagreement] = agreed["disagreements"]
    assert disagreement["consensus_level"] == 2
    assert next(q for q in plain["questions"] if q["id"] == "tech.a")["consensus"] is None


def test_score_shows_what_the_room_agreed_beside_the_disagreement(cli: Cli, tmp_path: Path) -> None:
    result = cli("score", write_room(tmp_path), "--questionnaire", TINY)
    assert result.exit_code == 0, result.output
    assert "Room agreed" in result.output
    assert "2 Established" in result.output


def test_different_consensus_choices_for_one_question_are_refused(cli: Cli, tmp_path: Path) -> None:
    folder = write_room(tmp_path, {"ana": "most", "ben": "all"})
    result = cli("score", folder, "--questionnaire", TINY)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "tech.a" in result.stderr and "Ana most, Ben all" in result.stderr


def test_a_consensus_the_question_does_not_offer_is_refused_at_its_line(
    cli: Cli, tmp_path: Path
) -> None:
    folder = write_room(tmp_path, {"ana": "na", "ben": "na"})  # tech.a does not allow na
    result = cli("score", folder, "--questionnaire", TINY)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr  # one line per file
    assert lines[0].startswith(f"error: {folder / 'ana.yaml'}:6:")
    assert "does not allow 'na' (as its consensus)" in lines[0]


def test_the_report_shows_the_consensus_beside_the_spread(cli: Cli, tmp_path: Path) -> None:
    folder = write_room(tmp_path / "room")
    args = [folder, "--questionnaire", TINY, "--profile", PROFILE]
    markdown = tmp_path / "report.md"
    assert cli("report", *args, "--output", markdown).exit_code == 0
    text = markdown.read_text()
    row = next(
        line for line in text.splitlines() if "How are servers deployed? **disagreement**" in line
    )
    assert "Ben: 3 \\(all\\)" in row and "**room agreed: 2 Established**" in row
    assert "Ana 0, Ben 3; **agreed: 2 Established**" in text
    html = tmp_path / "report.html"
    assert cli("report", *args, "--output", html).exit_code == 0
    page = html.read_text()
    assert "Room agreed: 2 Established" in page
    assert "agreed: 2 Established</strong>" in page
