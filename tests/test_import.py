"""`mcpscale import`: a Well-Architected lens or the SAMM model becomes a pack we can run.

Each story converts a small file shaped like the real ones (tests/data/import), then checks
what a consultant relies on: the pack validates, answers score to the values the source's own
rules give, the report renders, and whatever could not be carried is named.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcpscale.inputs.imports.aws_wa_lens import (
    ConditionError,
    disjunctive_form,
    parse_condition,
)
from mcpscale.inputs.yaml import load_yaml

from .conftest import DATA, Cli

IMPORT = DATA / "import"
LENS = IMPORT / "lens.json"
SAMM = IMPORT / "samm"


def errors(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def imported(cli: Cli, kind: str, source: Path, output: Path) -> Path:
    result = cli("import", kind, source, "--output", output)
    assert result.exit_code == 0, result.output
    return output / "questionnaire.yaml"


def scores(cli: Cli, answers: Path, questionnaire: Path) -> dict[str, Any]:
    data = cli.json("score", answers, "--questionnaire", questionnaire)
    return {
        "overall": data["overall"]["score"],
        **{d["id"]: d["score"] for d in data["dimensions"]},
        **{q["id"]: q["score"] for q in data["questions"]},
    }


# ---------------------------------------------------------------- AWS Well-Architected lens


def test_a_lens_becomes_a_pack_that_validates_scores_and_reports(cli: Cli, tmp_path: Path) -> None:
    pack = imported(cli, "aws-wa-lens", LENS, tmp_path / "lens")

    assert cli("validate", pack).exit_code == 0
    answers = IMPORT / "lens-answers"
    assert cli("validate", answers, "--questionnaire", pack).exit_code == 0
    # Ana: no risk, medium, medium; Ben: high, no risk, high (see the answers' comments).
    assert scores(cli, answers, pack) == {
        "overall": 0.875,
        "TPOPS": 1.25,
        "TPSEC": 0.5,
        "TPOPS1": 1.0,
        "TPOPS2": 1.5,
        "TPSEC1": 0.5,
    }
    report = tmp_path / "r.html"
    result = cli("report", answers, "--questionnaire", pack, "--output", report)
    assert result.exit_code == 0, result.output
    html = report.read_text()
    assert "Operational Excellence" in html and "How do you deploy changes?" in html


def test_a_lens_keeps_pillars_choices_and_risks(cli: Cli, tmp_path: Path) -> None:
    pack = imported(cli, "aws-wa-lens", LENS, tmp_path / "lens")
    q = load_yaml(pack).data

    assert (q["id"], q["version"], q["title"]) == (
        "team-platform-lens",
        "1.2",
        "Team Platform Lens",
    )
    assert [level["name"] for level in q["scale"]] == ["High risk", "Medium risk", "No risk"]
    assert [(d["id"], d["name"]) for d in q["dimensions"]] == [
        ("TPOPS", "Operational Excellence"),
        ("TPSEC", "Security"),
    ]
    deploy, _, sign_in = q["questions"]
    assert deploy["type"] == "multi" and deploy["allow_na"] is True
    # The lens's own "None of these" is exclusive; a question without one gets one.
    assert [c for c in deploy["choices"] if c.get("exclusive")] == [
        {"id": "TPOPS1_4", "label": "None of these", "exclusive": True}
    ]
    assert sign_in["choices"][-1] == {"id": "none", "label": "None of these", "exclusive": True}
    # "a && b && c" -> NO_RISK; "(!a) || d" -> HIGH_RISK twice; "default" -> MEDIUM_RISK.
    assert deploy["rules"] == [
        {"level": 2, "all": ["TPOPS1_1", "TPOPS1_2", "TPOPS1_3"]},
        {"level": 0, "none": ["TPOPS1_1"]},
        {"level": 0, "all": ["TPOPS1_4"]},
        {"level": 1},
    ]
    assert sign_in["rules"][0] == {"level": 2, "all": ["TPSEC1_1"], "none": ["TPSEC1_3"]}
    assert "Deploy small changes often" in deploy["help"]


def test_a_lens_names_what_it_cannot_carry(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "aws-wa-lens", LENS, "--output", tmp_path / "lens")

    assert result.exit_code == 0, result.output
    assert "not carried: lens fields _release_note" in result.stderr
    assert "choice improvementPlan (10)" in result.stderr
    text = (tmp_path / "lens" / "questionnaire.yaml").read_text()
    assert text.startswith("# Converted by `mcpscale import aws-wa-lens` from lens.json")
    assert "# Not carried over:" in text and "improvementPlan (10)" in text


def test_a_condition_that_cannot_be_read_is_named_and_the_rest_converts(
    cli: Cli, tmp_path: Path
) -> None:
    lens = tmp_path / "odd.json"
    text = LENS.read_text().replace('"TPOPS2_1 || TPOPS2_2"', '"TPOPS2_1 | TPOPS2_2"')
    lens.write_text(text.replace('"TPSEC1_1 && !TPSEC1_3"', '"TPSEC1_1 && !reviewed"'))
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "TPOPS2_1 | TPOPS2_2" in row)

    result = cli("import", "aws-wa-lens", lens, "--output", tmp_path / "out")

    assert result.exit_code == 0, result.output
    assert (
        f"not carried: line {line}: question TPOPS2: condition 'TPOPS2_1 | TPOPS2_2' cannot be "
        "read ('|' is not &&, ||, !, a bracket or a choice id); that MEDIUM_RISK rule is left out"
    ) in result.stderr
    assert "names reviewed, not a choice of the question" in result.stderr
    pack = tmp_path / "out" / "questionnaire.yaml"
    assert cli("validate", pack).exit_code == 0
    rules = {q["id"]: q["rules"] for q in load_yaml(pack).data["questions"]}
    assert rules["TPOPS2"] == [{"level": 2, "all": ["TPOPS2_1", "TPOPS2_2"]}, {"level": 0}]
    assert rules["TPSEC1"][0] == {"level": 2, "all": ["TPSEC1_1"]}  # !reviewed always holds


def test_lens_ids_the_format_reserves_are_renamed_in_choices_and_rules(
    cli: Cli, tmp_path: Path
) -> None:
    lens = tmp_path / "ids.json"
    lens.write_text(
        json.dumps(
            {
                "schemaVersion": "2021-11-01",
                "name": "Ids",
                "pillars": [
                    {
                        "id": "p",
                        "name": "P",
                        "questions": [
                            {
                                "id": "q1",
                                "title": "Which?",
                                "choices": [
                                    {"id": "na", "title": "NA"},
                                    {"id": "1", "title": "One"},
                                ],
                                "riskRules": [
                                    {"condition": "na && !1", "risk": "NO_RISK"},
                                    {"condition": "!na", "risk": "HIGH_RISK"},
                                ],
                            }
                        ],
                    }
                ],
            }
        )
    )
    pack = imported(cli, "aws-wa-lens", lens, tmp_path / "out")
    question = load_yaml(pack).data["questions"][0]

    assert [c["id"] for c in question["choices"]] == ["choice-na", "choice-1", "none"]
    assert question["rules"] == [
        {"level": 2, "all": ["choice-na"], "none": ["choice-1"]},
        {"level": 0, "none": ["choice-na"]},
        {"level": 1},  # no rule gives MEDIUM_RISK: it is what no rule matches
    ]
    assert cli("validate", pack).exit_code == 0


_CHOICES = ["a", "b", "c", "d"]


def _conditions() -> st.SearchStrategy[str]:
    leaf = st.sampled_from(_CHOICES)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            inner.map(lambda x: f"!{x}"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]} && {p[1]})"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]} || {p[1]})"),
            st.tuples(inner, inner).map(lambda p: f"{p[0]} && {p[1]} || {p[0]}"),
        ),
        max_leaves=8,
    )


def _holds(condition: str, selected: set[str]) -> bool:
    python = condition.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    return bool(eval(python, {}, {c: c in selected for c in _CHOICES}))  # noqa: S307


@given(_conditions(), st.sets(st.sampled_from(_CHOICES)))
def test_any_condition_and_its_rules_agree_on_every_selection(
    condition: str, selected: set[str]
) -> None:
    try:
        terms = disjunctive_form(parse_condition(condition))
    except ConditionError:
        return  # too many alternatives: named, not carried
    matched = any(all((c in selected) == wanted for c, wanted in term) for term in terms)
    assert matched == _holds(condition, selected)


# ---------------------------------------------------------------- OWASP SAMM


def test_the_samm_model_becomes_a_pack_that_validates_scores_and_reports(
    cli: Cli, tmp_path: Path
) -> None:
    pack = imported(cli, "samm", SAMM, tmp_path / "samm")

    assert cli("validate", pack).exit_code == 0
    answers = IMPORT / "samm-answers"
    got = scores(cli, answers, pack)
    # SAMM scores a practice as the sum over its levels of the mean of its streams' answers.
    secure_architecture = (1 + 0.25) / 2 + (0.5 + 0) / 2 + (0 + 0) / 2
    strategy_metrics = (1 + 0.5) / 2 + (1 + 0.25) / 2 + (0.5 + 0) / 2
    assert got["design"] == pytest.approx(175 / 6)
    assert got["governance"] == pytest.approx(325 / 6)
    # Mean coverage x 3 is SAMM's score, as the generated file says.
    assert got["design"] * 3 / 100 == pytest.approx(secure_architecture)  # 0.875
    assert got["governance"] * 3 / 100 == pytest.approx(strategy_metrics)  # 1.625
    assert got["overall"] == pytest.approx(250 / 6)
    report = tmp_path / "r.html"
    result = cli("report", answers, "--questionnaire", pack, "--output", report)
    assert result.exit_code == 0, result.output
    assert "Secure Architecture" in report.read_text() or "Design" in report.read_text()


def test_samm_functions_practices_streams_and_levels_are_kept(cli: Cli, tmp_path: Path) -> None:
    pack = imported(cli, "samm", SAMM / "model", tmp_path / "samm")  # model/ itself works too
    text = pack.read_text()
    q = load_yaml(pack).data

    assert "SAMM's 0-3 score is the mean coverage x 3" in text.replace("\n# ", " ")
    assert [(level["level"], level["name"]) for level in q["scale"]] == [
        (0, "No"),
        (25, "Some"),
        (50, "At least half"),
        (100, "Most or all"),
    ]
    assert [(d["id"], [a["id"] for a in d["areas"]]) for d in q["dimensions"]] == [
        ("governance", ["sm"]),
        ("design", ["sa"]),
    ]
    assert [question["id"] for question in q["questions"][:6]] == [
        "G-SM-1-A",
        "G-SM-2-A",
        "G-SM-3-A",
        "G-SM-1-B",
        "G-SM-2-B",
        "G-SM-3-B",
    ]
    first = q["questions"][0]
    assert first["text"] == "Do you understand the risk appetite for your applications?"
    assert first["tags"] == ["maturity-level-1", "stream-A"]
    assert [(c["id"], c["label"], c["level"]) for c in first["choices"]] == [
        ("no", "No", 0),  # `text: No` is a YAML boolean in the SAMM files
        ("some", "Yes, some of the time", 25),
        ("half", "Yes, at least half of the time", 50),
        ("most", "Yes, most or all of the time", 100),
    ]
    assert "Quality criteria:\n- The first criterion" in first["help"]


def test_samm_names_what_it_cannot_carry(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "samm", SAMM, "--output", tmp_path / "samm")

    assert result.exit_code == 0, result.output
    assert "not carried: activities fields (how often): longDescription (12)" in result.stderr
    assert "not carried: streams fields (how often): description (4)" in result.stderr


def test_an_activity_without_its_question_is_named(cli: Cli, tmp_path: Path) -> None:
    import shutil

    model = tmp_path / "model"
    shutil.copytree(SAMM / "model", model)
    (model / "questions" / "D-SA-3-B.yml").unlink()

    result = cli("import", "samm", model, "--output", tmp_path / "out")

    assert result.exit_code == 0, result.output
    assert (
        "not carried: activities/D-SA-3-B.yml: the activity 'Impose the use of standard "
        "technologies' has no question in questions/; not asked"
    ) in result.stderr
    assert len(load_yaml(tmp_path / "out" / "questionnaire.yaml").data["questions"]) == 11


# ---------------------------------------------------------------- nothing lost, bad input


def test_an_existing_questionnaire_is_never_replaced(cli: Cli, tmp_path: Path) -> None:
    pack = imported(cli, "samm", SAMM, tmp_path)
    pack.write_text("# mine\n")

    result = cli("import", "aws-wa-lens", LENS, "--output", tmp_path)

    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {pack}: already exists; choose another --output folder (nothing was overwritten)"
    ]
    assert pack.read_text() == "# mine\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"name": "x"}',
            "lens.json: not a Well-Architected custom lens: it has no 'pillars' list",
        ),
        ('{"pillars": [\n  {"id": "p",}\n  oops]}', "lens.json:3:3: invalid JSON"),
        (
            '{"pillars": [{"id": "p", "name": "P"}]}',
            "lens.json:1: pillar 1 has no 'questions' list",
        ),
        ("", "lens.json:1:1: invalid JSON: unexpected end of file"),
    ],
)
def test_a_file_that_is_not_a_lens_is_one_error(
    cli: Cli, tmp_path: Path, content: str, expected: str
) -> None:
    lens = tmp_path / "lens.json"
    lens.write_text(content)

    result = cli("import", "aws-wa-lens", lens, "--output", tmp_path / "out")

    assert result.exit_code == 2
    assert len(errors(result)) == 1 and errors(result)[0].startswith(f"error: {tmp_path}/")
    assert expected in errors(result)[0]
    assert not (tmp_path / "out").exists()


def test_a_missing_lens_is_one_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "aws-wa-lens", tmp_path / "nope.json", "--output", tmp_path / "out")

    assert result.exit_code == 2
    assert errors(result) == [f"error: {tmp_path / 'nope.json'}: no such file or directory"]


def test_a_folder_that_is_not_the_samm_model_is_one_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "samm", tmp_path, "--output", tmp_path / "out")

    assert result.exit_code == 2
    [line] = errors(result)
    assert line.startswith(f"error: {tmp_path}: not an OWASP SAMM model folder: it has no ")
    assert line.endswith(
        "pass the model/ folder of the OWASP SAMM core repository (github.com/owaspsamm/core)"
    )


def test_a_broken_samm_file_is_named_with_its_line(cli: Cli, tmp_path: Path) -> None:
    import shutil

    model = tmp_path / "model"
    shutil.copytree(SAMM / "model", model)
    broken = model / "streams" / "D-SA-A.yml"
    broken.write_text(broken.read_text().replace("letter: A", "letter: [A"))

    result = cli("import", "samm", model, "--output", tmp_path / "out")

    assert result.exit_code == 2
    [line] = errors(result)
    assert line.startswith(f"error: {broken}:") and "invalid YAML" in line


def test_import_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from mcpscale.cli import app\n"
        "for args in (['import', '--help'], ['import', 'samm', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pandas', 'matplotlib', 'weasyprint', 'numpy', 'openpyxl'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_question_id_used_twice_is_renamed_and_named(cli: Cli, tmp_path: Path) -> None:
    lens = tmp_path / "twice.json"
    lens.write_text(LENS.read_text().replace('"id": "TPSEC1"', '"id": "TPOPS1"'))

    result = cli("import", "aws-wa-lens", lens, "--output", tmp_path / "out")

    assert result.exit_code == 0, result.output
    assert "question id 'TPOPS1' is used twice; the second is 'TPOPS1-2' here" in result.stderr
    pack = tmp_path / "out" / "questionnaire.yaml"
    assert [q["id"] for q in load_yaml(pack).data["questions"]] == ["TPOPS1", "TPOPS2", "TPOPS1-2"]
    assert cli("validate", pack).exit_code == 0


def test_an_output_that_is_a_file_is_one_error(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "notes.txt"
    output.write_text("mine\n")

    result = cli("import", "aws-wa-lens", LENS, "--output", output)

    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {output}: is a file, not a folder; choose another --output folder"
    ]
    assert output.read_text() == "mine\n"


def test_a_question_every_answer_rates_the_same_is_asked_but_not_scored(
    cli: Cli, tmp_path: Path
) -> None:
    lens = tmp_path / "plain.json"
    data = json.loads(LENS.read_text())
    data["pillars"][1]["questions"][0]["riskRules"] = [{"condition": "default", "risk": "NO_RISK"}]
    lens.write_text(json.dumps(data))

    result = cli("import", "aws-wa-lens", lens, "--output", tmp_path / "out")

    assert result.exit_code == 0, result.output
    assert (
        "not carried: 1 question (TPSEC1) rates every answer the same risk: asked and reported, "
        "but left out of the scores (scored: false)"
    ) in result.stderr
    pack = tmp_path / "out" / "questionnaire.yaml"
    assert load_yaml(pack).data["questions"][2]["scored"] is False
    got = scores(cli, IMPORT / "lens-answers", pack)
    assert (got["TPOPS"], got["TPSEC"], got["overall"]) == (1.25, None, 1.25)


@pytest.mark.parametrize("condition", ["(" * 5000 + "a" + ")" * 5000, "!" * 5000 + "a"])
def test_a_condition_nested_too_deep_is_refused_in_words(condition: str) -> None:
    with pytest.raises(ConditionError, match="nests more than 50 brackets or negations deep"):
        parse_condition(condition)
