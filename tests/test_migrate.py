"""Answers move to a newer questionnaire version: `mcpscale migrate`, and compare/trend across it.

The test pack (tests/data/migrate) has version 1.0 (v1/) and 2.0 (v2/), with migrations in two
steps: 1.0 -> 1.5 renames ops.backup; 1.5 -> 2.0 splits ops.monitoring, merges sec.mfa and
sec.sso, renames sec.review's choices, drops ops.tape and adds ops.runbooks.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mcpscale.assess.migrate import migrate_answers
from mcpscale.formats.answers import Answer
from mcpscale.formats.migration import MigrationSet
from mcpscale.inputs.load import load_model, load_questionnaire
from mcpscale.inputs.packs import bundled_pack_paths

from .conftest import ACME, DATA, ROOT, Cli, examples

PACK = DATA / "migrate"
V1, V2 = PACK / "v1", PACK / "v2"


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    """A copy of the 1.0 answers to rewrite."""
    folder = tmp_path / "answers"
    shutil.copytree(V1 / "answers", folder)
    return folder


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_migrate_rewrites_answers_and_lists_what_did_not_carry_over(
    cli: Cli, answers: Path
) -> None:
    result = cli("migrate", answers, "--to", "2.0", "--questionnaire", V2)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ana.yaml: 1.0 -> 2.0, 6 answers carried over" in out
    assert "renamed ops.backup -> ops.backups" in out
    assert "split ops.monitoring into ops.metrics, ops.alerting" in out
    assert "merged sec.mfa + sec.sso into sec.identity" in out
    assert "sec.review: choice yearly -> annual" in out
    # the dropped answer, with its note, for the respondent to enter again
    assert "not carried over: ops.tape (was offsite)" in out
    assert "why: dropped in 2.0: tape copies are now part of ops.backups" in out
    assert "note: Iron Mountain collects the tapes on Fridays." in out
    assert "new in 2.0, to answer (1): ops.runbooks" in out
    assert "mcpscale assess --output" in out and "--respondent 'Ana Silva' --role CTO" in out
    assert "migrated 2 files to 2.0; 2 answers did not carry over" in result.stderr

    ana = read(answers / "ana.yaml")
    assert ana["questionnaire"] == "migrate-demo@2.0"
    assert ana["answers"] == {
        # renamed: note, evidence and confidence kept
        "ops.backups": {
            "choice": "daily",
            "confidence": "high",
            "note": "Snapshots every night; restores tested in March.",
            "evidence": ["https://wiki.example/backups"],
        },
        # split: the note goes with both parts; each part's choice through its map
        "ops.metrics": {"choice": "full", "note": "Prometheus with PagerDuty."},
        "ops.alerting": {"choice": "paging", "note": "Prometheus with PagerDuty."},
        # merged: (everyone, all) -> strong; the one note kept
        "sec.identity": {"choice": "strong", "note": "Okta for every server."},
        # choice remap: the choice, the room's consensus and every round vote
        "sec.review": {
            "choice": "annual",
            "consensus": "annual",
            "rounds": [{"Ana Silva": "quarterly", "Ben Okafor": "never"}],
        },
        "sec.audit": "partial",
    }
    text = (answers / "ana.yaml").read_text()
    assert "  # operations\n  ops.backups:\n    choice: daily\n" in text  # comments, layout kept
    assert '    note: "Snapshots every night; restores tested in March."\n' in text
    assert "  # security\n" in text
    # the migrated answers score against 2.0
    scored = cli("score", answers, "--questionnaire", V2)
    assert scored.exit_code == 0, scored.output


def test_a_merge_missing_one_of_its_answers_is_listed_not_guessed(cli: Cli, answers: Path) -> None:
    result = cli("migrate", answers / "ben.yaml", "--to", "2.0", "--questionnaire", V2)
    assert result.exit_code == 0, result.output
    assert "not carried over: sec.mfa (was admins)" in result.stdout
    assert "sec.sso has no answer here" in result.stdout
    assert "answer it again as sec.identity" in result.stdout
    assert "the comment on line 10 went with the answers rewritten or removed there" in (
        result.stdout
    )
    ben = read(answers / "ben.yaml")["answers"]
    assert "sec.identity" not in ben and "sec.mfa" not in ben
    assert ben["ops.alerting"] == "none"  # basic -> none through the split's map
    assert ben["sec.audit"] == "unknown"  # 'unknown' passes through
    assert ben["sec.review"]["choice"] == "never"


def test_dry_run_shows_the_changes_and_writes_nothing(cli: Cli, answers: Path) -> None:
    before = {path.name: path.read_bytes() for path in answers.iterdir()}
    result = cli("migrate", answers, "--to", "2.0", "--questionnaire", V2, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "renamed ops.backup -> ops.backups" in result.stdout
    assert "would migrate (dry run, nothing written) 2 files" in result.stderr
    assert {path.name: path.read_bytes() for path in answers.iterdir()} == before


def test_migrating_twice_changes_nothing_the_second_time(cli: Cli, answers: Path) -> None:
    assert cli("migrate", answers, "--to", "2.0", "-q", V2).exit_code == 0
    after = (answers / "ana.yaml").read_bytes()
    again = cli("migrate", answers, "--to", "2.0", "-q", V2)
    assert again.exit_code == 0
    assert "ana.yaml: already at this version, unchanged" in again.stdout
    assert (answers / "ana.yaml").read_bytes() == after


def test_score_on_old_answers_says_to_migrate(cli: Cli, answers: Path, tmp_path: Path) -> None:
    result = cli("score", answers, "--questionnaire", V2)
    assert result.exit_code == 2
    assert (
        "answers are for version 1.0 of 'migrate-demo', the questionnaire is version 2.0; "
        f"run mcpscale migrate {answers / 'ana.yaml'} --to 2.0 --questionnaire {V2}"
    ) in result.stderr
    assert "unknown question id" not in result.stderr  # one line per file, not one per answer
    # a pack without migrations: review by hand, as before
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(V2 / "questionnaire.yaml", bare)
    result = cli("score", answers, "--questionnaire", bare)
    assert result.exit_code == 2
    assert "review them, then write questionnaire: migrate-demo@2.0" in result.stderr


def test_no_migration_path_is_one_error_and_nothing_is_written(cli: Cli, answers: Path) -> None:
    ana = answers / "ana.yaml"
    ana.write_text(ana.read_text().replace("migrate-demo@1.0", "migrate-demo@0.9"))
    before = (answers / "ben.yaml").read_bytes()
    result = cli("migrate", answers, "--to", "2.0", "--questionnaire", V2)
    assert result.exit_code == 2
    assert "ana.yaml:2:16: no migration leads from version 0.9 to 2.0 of 'migrate-demo'" in (
        result.stderr
    )
    assert "(migrations: 1.0 -> 1.5, 1.5 -> 2.0)" in result.stderr
    assert (answers / "ben.yaml").read_bytes() == before  # no file is written


def test_to_a_version_the_pack_is_not_at(cli: Cli, answers: Path) -> None:
    result = cli("migrate", answers, "--to", "3.0", "--questionnaire", V2)
    assert result.exit_code == 2
    assert "questionnaire 'migrate-demo' here is version 2.0, not 3.0" in result.stderr


def test_a_migrations_file_naming_what_the_new_version_lacks_fails_at_its_line(
    cli: Cli, tmp_path: Path
) -> None:
    pack = tmp_path / "v2"
    shutil.copytree(V2, pack)
    path = pack / "migrations.yaml"
    path.write_text(
        path.read_text()
        .replace("to: sec.identity", "to: sec.identty")
        .replace("{rarely: never, yearly: annual}", "{rarely: never, yearly: anual}")
    )
    result = cli("validate", pack)
    assert result.exit_code == 1
    assert (
        "migrations.yaml:18:13: version 2.0 of migrate-demo has no question 'sec.identty' "
        "(did you mean 'sec.identity'?)"
    ) in result.stdout
    assert "question sec.review has no choice 'anual' (did you mean 'annual'?)" in result.stdout
    # and a command that needs the migrations says the same
    answers = tmp_path / "answers"
    shutil.copytree(V1 / "answers", answers)
    result = cli("migrate", answers, "--to", "2.0", "-q", pack)
    assert result.exit_code == 2 and "no question 'sec.identty'" in result.stderr


def test_a_question_both_renamed_and_dropped_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "migrations.yaml"
    path.write_text(
        "kind: migrations\nquestionnaire: x\nmigrations:\n"
        '  - {from: "1", to: "2", renamed: {a: b}, dropped: {a: gone}}\n'
    )
    result = cli("validate", path)
    assert result.exit_code == 1
    assert "question a is both renamed and dropped; pick one" in result.stdout


def test_schema_of_migrations(cli: Cli) -> None:
    schema = json.loads(cli("schema", "migrations").stdout)
    step = schema["$defs"]["Migration"]["properties"]
    assert {"from", "to", "renamed", "split", "merged", "choices", "dropped"} <= set(step)


# ---------------------------------------------------------------- the mapping rules


def steps() -> list:
    migrations = load_model(V2 / "migrations.yaml", MigrationSet)
    found = migrations.path("1.0", "2.0")
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("mfa", "sso", "identity"),
    [
        ("everyone", "all", "strong"),
        ("none", "none", "weak"),
        ("none", "all", "partial"),  # "none, *"
        ("everyone", "none", "partial"),  # "*, none"
        ("admins", "some", "partial"),  # "admins, *"
        ("unknown", "unknown", "unknown"),  # the same unknown stays unknown
        ("everyone", "some", None),  # no key matches: listed, not guessed
    ],
)
def test_merge_choices_first_match_wins(mfa: str, sso: str, identity: str | None) -> None:
    answers = {
        "sec.mfa": Answer(choice=mfa, confidence="high", note="a"),
        "sec.sso": Answer(choice=sso, confidence="low", note="b"),
    }
    migrated = migrate_answers(
        answers, steps(), "1.0", load_questionnaire(V2 / "questionnaire.yaml")
    )
    if identity is None:
        assert "sec.identity" not in migrated.answers
        assert [lost.question for lost in migrated.not_carried] == ["sec.mfa", "sec.sso"]
        assert "no choice for the pair 'everyone, some'" in migrated.not_carried[0].why
    else:
        merged = migrated.answers["sec.identity"]
        assert merged.choice == identity
        assert merged.confidence == "low"  # the lower of the two
        assert merged.note == "sec.mfa: a\nsec.sso: b"  # both notes, each under its question


def test_a_split_choice_the_map_leaves_out_does_not_carry_to_that_part() -> None:
    migrations = MigrationSet.model_validate(
        {
            "kind": "migrations",
            "questionnaire": "x",
            "migrations": [
                {
                    "from": "1",
                    "to": "2",
                    "split": {"a": [{"id": "b"}, {"id": "c", "choices": {"yes": "on"}}]},
                }
            ],
        }
    )
    migrated = migrate_answers({"a": Answer(choice="no", note="n")}, migrations.migrations, "1")
    assert migrated.answers == {"b": Answer(choice="no", note="n")}
    (lost,) = migrated.not_carried
    assert (lost.question, lost.instead) == ("a", ("c",))
    assert "choice no has no counterpart in c" in lost.why


V1_Q = load_questionnaire(V1 / "questionnaire.yaml")
V2_Q = load_questionnaire(V2 / "questionnaire.yaml")


@st.composite
def v1_answers(draw: st.DrawFn) -> dict[str, Answer]:
    chosen = {}
    for question in V1_Q.questions:
        if draw(st.booleans()):
            choice = draw(st.sampled_from([c.id for c in question.choices] + ["unknown"]))
            note = draw(st.none() | st.text(min_size=1, max_size=5))
            chosen[question.id] = Answer(choice=choice, note=note)
    return chosen


@settings(max_examples=examples(60), deadline=None)
@given(v1_answers())
def test_every_answer_carries_over_or_is_listed(answers: dict[str, Answer]) -> None:
    """Nothing is lost silently, and whatever carries over fits version 2.0."""
    migrated = migrate_answers(answers, steps(), "1.0", V2_Q)
    accounted = {origin for origins in migrated.origins.values() for origin in origins}
    accounted |= {lost.question for lost in migrated.not_carried}
    assert accounted >= set(answers)
    for question_id, answer in migrated.answers.items():
        question = V2_Q.question(question_id)
        assert question is not None
        assert answer.choice == "unknown" or question.choice(str(answer.choice)) is not None
    notes = {a.note for a in answers.values() if a.note}
    kept = {a.note for a in migrated.answers.values() if a.note}
    kept |= {lost.answer.note for lost in migrated.not_carried if lost.answer.note}
    assert all(any(note in text for text in kept) for note in notes)


# ---------------------------------------------------------------- compare and trend


@pytest.fixture
def two_results(cli: Cli, answers: Path, tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    run = cli("score", answers, "-q", V1, "--format", "json", "--output", old)
    assert run.exit_code == 0, run.output
    assert cli("migrate", answers, "--to", "2.0", "-q", V2).exit_code == 0
    later = tmp_path / "later"
    shutil.copytree(answers, later)
    for path in later.iterdir():
        path.write_text(path.read_text().replace("2026-05-04", "2026-11-02"))
    run = cli("score", later, "-q", V2, "--format", "json", "--output", new)
    assert run.exit_code == 0, run.output
    return old, new


def test_compare_across_versions_compares_the_questions_that_map(
    cli: Cli, two_results: tuple[Path, Path]
) -> None:
    old, new = two_results
    result = cli("compare", old, new, "--questionnaire", V2)
    assert result.exit_code == 0, result.output
    # ops.backup -> ops.backups (renamed), sec.review (choices remapped), sec.audit map;
    # 4 old questions were split, merged or dropped, 4 new ones have no 1.0 counterpart
    assert "The instrument changed (1.0 -> 2.0): 3 questions compared, 8 not comparable" in (
        " ".join(result.stdout.split())
    )
    data = json.loads(cli("compare", old, new, "-q", V2, "--format", "json").stdout)
    changed = data["instrument_changed"]
    assert (changed["from"], changed["to"], changed["compared"]) == ("1.0", "2.0", 3)
    assert sorted(changed["not_comparable"]) == sorted(
        ["ops.monitoring", "ops.tape", "sec.mfa", "sec.sso"]
        + ["ops.metrics", "ops.alerting", "ops.runbooks", "sec.identity"]
    )
    assert [q["id"] for q in data["questions"]] == ["ops.backups", "sec.review", "sec.audit"]
    # the same answers on the questions that map: nothing moved, though each result's own
    # dimension scores differ (they include questions the other version does not ask)
    assert {d["id"]: d["delta"] for d in data["dimensions"]} == {"ops": 0.0, "sec": 0.0}
    assert data["passed"] is True
    saved = {d["id"]: d["score"] for d in json.loads(old.read_text())["dimensions"]}
    assert saved["ops"] != data["dimensions"][0]["old"]
    markdown = cli("compare", old, new, "-q", V2, "--format", "markdown").stdout
    assert "> The instrument changed \\(1.0 -&gt; 2.0\\): 3 questions compared" in markdown


def test_score_baseline_across_versions_gates_on_the_questions_that_map(
    cli: Cli, two_results: tuple[Path, Path], answers: Path
) -> None:
    old, _ = two_results
    # each result's own ops score fell (2.67 -> 2.33: tape dropped, alerting added), yet the
    # questions that map held, so a zero --max-drop passes
    assert json.loads(old.read_text())["dimensions"][0]["score"] == pytest.approx(8 / 3)
    result = cli("score", answers, "-q", V2, "--baseline", old, "--max-drop", "0")
    assert result.exit_code == 0, result.output
    assert "PASS ops held (2.50 -> 2.50)" in result.stderr


def test_compare_across_versions_without_a_migration_matches_the_same_ids(
    cli: Cli, two_results: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = two_results
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(V2 / "questionnaire.yaml", bare)
    result = cli("compare", old, new, "--questionnaire", bare, "--format", "json")
    changed = json.loads(result.stdout)["instrument_changed"]
    assert changed["compared"] == 2  # sec.review and sec.audit keep their ids
    assert changed["migrated"] is False
    assert "so questions with the same id are compared" in changed["message"]


def test_trend_across_versions_says_where_the_instrument_changed(
    cli: Cli, two_results: tuple[Path, Path]
) -> None:
    old, new = two_results
    result = cli("trend", old, new, "--questionnaire", V2)
    assert result.exit_code == 0, result.output
    assert "At new.json, the instrument changed (1.0 -> 2.0): 3 questions compared" in (
        " ".join(result.stdout.split())
    )
    data = json.loads(cli("trend", old, new, "-q", V2, "--format", "json").stdout)
    assert data["instrument_changes"][0]["file"] == "new.json"
    later = data["points"][1]
    assert later["overall"]["delta"] == 0.0  # over the questions that map
    assert later["dimensions"]["ops"]["delta"] == 0.0


# ---------------------------------------------------------------- the bundled pack


def test_the_bundled_migration_drops_session_affinity() -> None:
    path = ROOT / "questionnaires" / "mcp-enterprise-readiness" / "migrations.yaml"
    migrations = load_model(path, MigrationSet)
    (step,) = migrations.path("1.0", "1.1") or []
    assert "tech.stateless-readiness" in step.dropped["tech.session-affinity"]
    assert "tech.stateless-readiness" in step.added
    assert not step.renamed and not step.split and not step.merged and not step.choices


def test_the_example_answers_migrate_to_the_bundled_version_and_score(
    cli: Cli, tmp_path: Path
) -> None:
    # the example's answers as they were at 1.0, before they were migrated and completed
    bundled = load_questionnaire(bundled_pack_paths()["mcp-enterprise-readiness"])
    answers = tmp_path / "answers"
    shutil.copytree(DATA / "migrate" / "acme-1.0", answers)
    refused = cli("score", answers, "--profile", ACME / "profile.yaml")
    assert refused.exit_code == 2
    assert f"run mcpscale migrate {answers / 'ana-silva.yaml'} --to {bundled.version}" in (
        refused.stderr
    )
    result = cli("migrate", answers, "--to", bundled.version)
    assert result.exit_code == 0, result.output
    assert "not carried over: tech.session-affinity" in result.stdout
    assert "Cookie-based stickiness on the ingress" in result.stdout  # Liam's note, kept
    scored = cli("score", answers, "--profile", ACME / "profile.yaml")
    assert scored.exit_code == 0, scored.output


def test_a_10_result_compared_with_a_11_result_says_the_instrument_changed(
    cli: Cli, tmp_path: Path
) -> None:
    # last year's result, scored with questionnaire 1.0, and this year's with 1.1
    before, after = tmp_path / "2025.json", tmp_path / "2026.json"
    old = cli(
        "score",
        DATA / "migrate" / "acme-1.0",
        "-q",
        DATA / "migrate" / "bundled-1.0",
        "--profile",
        ACME / "profile.yaml",
        "--format",
        "json",
        "-o",
        before,
    )
    assert old.exit_code == 0, old.output
    new = cli(
        "score",
        ACME / "answers",
        "--profile",
        ACME / "profile.yaml",
        "--format",
        "json",
        "-o",
        after,
    )
    assert new.exit_code == 0, new.output
    compared = cli("compare", before, after)
    assert compared.exit_code == 0, compared.output
    said = " ".join(compared.stdout.split())
    # the 55 questions that carried over are compared; the dropped one and the 17 new are not
    assert "The instrument changed (1.0 -> 1.1): 55 questions compared, 18 not comparable" in said
    data = json.loads(cli("compare", before, after, "--format", "json").stdout)
    changed = data["instrument_changed"]
    assert (changed["from"], changed["to"], changed["compared"]) == ("1.0", "1.1", 55)
    assert "tech.session-affinity" in changed["not_comparable"]
    overall = data["overall"]
    assert overall["old"] == pytest.approx(overall["new"])  # the same answers, where they map
