"""Malformed inputs (tests/data/bad): one clear `file:line:col: message`, never a traceback.

`score` refuses bad input with exit 2 and `error: file:line:col: message` lines on stderr;
`validate` reports every problem as `file:line:col: message` on stdout and exits 1.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, TINY

BAD = DATA / "bad"
QUESTIONNAIRE = TINY / "questionnaire.yaml"
LOCATED = re.compile(r"^(?P<file>[^:]+)(:(?P<line>\d+):(?P<column>\d+))?: (?P<message>.+)$")

# file in tests/data/bad -> the problems it must produce: (line:col or None, fragments).
# One entry per problem: a file with one mistake gets exactly one message.
Expected = list[tuple[str | None, list[str]]]

ANSWERS_CASES: dict[str, Expected] = {
    "yaml-unclosed-bracket.yaml": [
        ("5:12", ["invalid YAML", "mapping that starts on line 4, column 13", "closing '}'"])
    ],
    "yaml-unclosed-quote.yaml": [("8:31", ["quoted text is never closed", "closing quote"])],
    "yaml-bad-indentation.yaml": [("6:8", ["invalid YAML", "check the indentation"])],
    "yaml-tab-indentation.yaml": [("7:1", ["'\\t'", "spaces, not tabs"])],
    "yaml-duplicate-key.yaml": [
        ("9:3", ["duplicate key 'tech.a'", "first defined on line 7", "keep one"])
    ],
    "yaml-empty.yaml": [(None, ["no YAML content", "empty", "expected a YAML mapping with kind:"])],
    "yaml-only-comments.yaml": [(None, ["no YAML content", "only comments"])],
    "yaml-top-level-list.yaml": [("2:1", ["expected a YAML mapping", "found a list"])],
    "yaml-not-utf8.yaml": [("4:23", ["not UTF-8", "save it as UTF-8"])],
    "yaml-alias-bomb.yaml": [("12:4", ["aliases expand to too large", "alias bomb"])],
    "yaml-recursive-alias.yaml": [("7:35", ["alias", "contain itself"])],
    "answers-list-not-mapping.yaml": [
        ("7:3", ["answers: expected a mapping", "found a list", "without '- ' or [ ]"])
    ],
    "answers-assessed-at-not-a-date.yaml": [("5:14", ["assessed_at", "valid date", "YYYY-MM-DD"])],
    "answers-impossible-date.yaml": [("5:14", ["'2026-02-30' is not a valid date", "YYYY-MM-DD"])],
    "answers-respondant.yaml": [
        ("4:1", ["unknown key 'respondant'", "(did you mean 'respondent'?)"])
    ],
    "answers-unknown-question.yaml": [
        ("8:3", ["unknown question id 'tech.hippa'", "(did you mean 'tech.hipaa'?)"])
    ],
    "answers-unknown-choice.yaml": [
        (
            "8:20",
            [
                "unknown choice 'mostly'",
                "(did you mean 'most'?)",
                "choices: none, some, most, all, unknown)",
            ],
        )
    ],
    "answers-unknown-consensus.yaml": [
        (
            "7:37",
            ["unknown consensus 'mostly' for question tech.a", "(did you mean 'most'?)"],
        )
    ],
    "answers-unknown-round-choice.yaml": [
        (
            "11:25",
            ["unknown choice in round 1 (Ben) 'al' for question tech.a", "did you mean 'all'?"],
        )
    ],
    "answers-na-not-allowed.yaml": [("8:11", ["tech.b does not allow 'na'", "'unknown'"])],
    "answers-wrong-version.yaml": [
        ("3:16", ["version 1 of 'tiny'", "version 2", "write questionnaire: tiny@2"])
    ],
    "answers-other-questionnaire.yaml": [
        ("3:16", ["for questionnaire 'onboarding'", "scored against 'tiny'", "--questionnaire"])
    ],
    "answers-missing-kind.yaml": [("2:1", ["missing 'kind:'", "add kind:"])],
    "answers-kind-answer.yaml": [("2:7", ["unknown kind 'answer'", "(did you mean 'answers'?)"])],
    "answers-kind-not-text.yaml": [("2:7", ["kind must be one word", "found a list"])],
    "answers-empty-answer.yaml": [
        ("9:10", ["answers.tech.b", "expected a choice id", "found nothing"]),
        ("10:13", ["answers.people.b", "found true", "quote it"]),
    ],
}

QUESTIONNAIRE_CASES: dict[str, Expected] = {
    "questionnaire-weight-heavy.yaml": [("15:13", ["questions[0].weight", "valid number"])],
    "questionnaire-level-three.yaml": [
        ("17:63", ["questions[0].choices[1].level", "valid integer"])
    ],
    "questionnaire-wieght.yaml": [
        ("12:5", ["unknown key 'wieght'", "(did you mean 'weight'?)", "allowed here: id, name"])
    ],
    "questionnaire-duplicate-question-id.yaml": [
        ("18:9", ["duplicate question id 'tech.a'", "first on line 12"])
    ],
}

DUPLICATE_RESPONDENT: dict[str, Expected] = {
    "duplicate-respondent/ros.yaml": [
        (
            "4:20",
            [
                "respondent 'Ros' also answers in",
                str(BAD / "duplicate-respondent" / "ros-again.yaml"),
                "one file per respondent",
            ],
        )
    ],
}


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.output
    assert not result.exception or isinstance(result.exception, SystemExit)


def error_lines(result: Any) -> list[str]:
    """stderr of a refused command: every line is `error: ...`."""
    no_traceback(result)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    return [line.removeprefix("error: ") for line in lines]


def assert_problems(lines: list[str], path: Path, expected: Expected) -> None:
    """`lines` are exactly the expected problems of `path`, each at its line and column."""
    assert len(lines) == len(expected), "\n".join(lines)
    for line, (where, fragments) in zip(lines, expected, strict=True):
        prefix = f"{path}:{where}: " if where else f"{path}: "
        assert line.startswith(prefix), f"{line!r} does not start with {prefix!r}"
        for fragment in fragments:
            assert fragment in line, f"{fragment!r} not in {line!r}"


def cases(table: dict[str, Expected]) -> list[Any]:
    return [
        pytest.param(name, expected, id=name.removesuffix(".yaml"))
        for name, expected in table.items()
    ]


# ---------------------------------------------------------------- score


@pytest.mark.parametrize(("name", "expected"), cases(ANSWERS_CASES))
def test_score_refuses_bad_answers_file(cli: Any, name: str, expected: Expected) -> None:
    path = BAD / name
    result = cli("score", path, "--questionnaire", QUESTIONNAIRE)
    assert_problems(error_lines(result), path, expected)


@pytest.mark.parametrize(("name", "expected"), cases(QUESTIONNAIRE_CASES))
def test_score_refuses_bad_questionnaire(cli: Any, name: str, expected: Expected) -> None:
    path = BAD / name
    result = cli("score", TINY / "answers", "--questionnaire", path)
    # a questionnaire is loaded through its pack, which names it by its resolved path
    assert_problems(error_lines(result), path.resolve(), expected)


def test_score_refuses_the_same_respondent_in_two_files(cli: Any) -> None:
    result = cli("score", BAD / "duplicate-respondent", "--questionnaire", QUESTIONNAIRE)
    assert_problems(
        error_lines(result),
        BAD / "duplicate-respondent" / "ros.yaml",
        DUPLICATE_RESPONDENT["duplicate-respondent/ros.yaml"],
    )


@pytest.mark.parametrize(
    "twice",
    [
        pytest.param(
            [TINY / "answers" / "ana.yaml", TINY / "answers" / "ana.yaml"], id="file-twice"
        ),
        pytest.param([TINY / "answers", TINY / "answers" / "ana.yaml"], id="file-and-its-folder"),
    ],
)
def test_score_reads_a_file_named_twice_once(cli: Any, twice: list[Path]) -> None:
    result = cli("score", *twice, "--questionnaire", QUESTIONNAIRE, "--format", "json")
    no_traceback(result)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "where", "fragment"),
    [
        pytest.param(
            [TINY / "profile.yaml"],
            TINY / "profile.yaml",
            "this is a profile file, expected kind: answers",
            id="profile-as-answers",
        ),
        pytest.param(
            [TINY / "answers", "--profile", TINY / "answers" / "ben.yaml"],
            TINY / "answers" / "ben.yaml",
            "this is an answers file, expected kind: profile",
            id="answers-as-profile",
        ),
    ],
)
def test_score_refuses_a_file_of_the_wrong_kind(
    cli: Any, args: list[Any], where: Path, fragment: str
) -> None:
    result = cli("score", *args, "--questionnaire", QUESTIONNAIRE)
    assert_problems(error_lines(result), where, [("1:7", [fragment, "right file?"])])


def test_score_refuses_answers_given_as_the_questionnaire(cli: Any) -> None:
    answers = TINY / "answers" / "ana.yaml"
    result = cli("score", TINY / "answers", "--questionnaire", answers)
    assert_problems(
        error_lines(result),
        answers.resolve(),
        [("1:7", ["this is an answers file, expected kind: questionnaire"])],
    )


# ---------------------------------------------------------------- validate


@pytest.mark.parametrize(("name", "expected"), cases({**ANSWERS_CASES, **QUESTIONNAIRE_CASES}))
def test_validate_reports_bad_file(cli: Any, name: str, expected: Expected) -> None:
    path = BAD / name
    result = cli("validate", path, "--questionnaire", QUESTIONNAIRE)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert_problems(result.stdout.splitlines(), path, expected)
    assert f"0 valid, 1 invalid ({len(expected)} problem" in result.stderr


def test_validate_reports_every_problem_of_a_folder_in_one_run(cli: Any, ten_mb: Path) -> None:
    expected = {
        BAD / name: problems
        for name, problems in {
            **ANSWERS_CASES,
            **QUESTIONNAIRE_CASES,
            **DUPLICATE_RESPONDENT,
        }.items()
    }
    valid = BAD / "duplicate-respondent" / "ros-again.yaml"  # only its twin is reported
    assert set(BAD.rglob("*.yaml")) == {*expected, valid}, (
        "every file in tests/data/bad needs its expected problems in a table above"
    )
    expected[ten_mb] = [(None, ["file is 10.0 MB", "up to 2 MB"])]

    result = cli("validate", BAD, ten_mb, "--questionnaire", QUESTIONNAIRE)

    no_traceback(result)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert all(LOCATED.match(line) for line in lines), result.stdout
    for path, problems in expected.items():
        assert_problems([line for line in lines if line.startswith(f"{path}:")], path, problems)
    total = sum(len(problems) for problems in expected.values())
    assert len(lines) == total
    assert f"1 valid, {len(expected)} invalid ({total} problems)" in result.stderr


def test_validate_finds_nothing_wrong_in_good_files(cli: Any) -> None:
    result = cli("validate", TINY)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "4 valid, 0 invalid" in result.stderr


# ---------------------------------------------------------------- hostile files


@pytest.fixture
def ten_mb(tmp_path: Path) -> Path:
    """A 10 MB answers file: a real header, then comment lines."""
    path = tmp_path / "huge.yaml"
    header = (BAD.parent / "tiny" / "answers" / "ana.yaml").read_bytes()
    filler = b"# " + b"x" * 61 + b"\n"  # 64 bytes
    with path.open("wb") as handle:
        handle.write(header)
        handle.write(filler * ((10 * 1024 * 1024 - len(header)) // len(filler)))
    assert 9.9 * 1024 * 1024 < path.stat().st_size <= 10 * 1024 * 1024
    return path


def test_score_refuses_a_10_mb_file(cli: Any, ten_mb: Path) -> None:
    result = cli("score", ten_mb, "--questionnaire", QUESTIONNAIRE)
    assert_problems(
        error_lines(result), ten_mb, [(None, ["file is 10.0 MB", "up to 2 MB", "right file?"])]
    )


@pytest.mark.parametrize("option", ["--questionnaire", "--profile"])
def test_score_refuses_a_10_mb_questionnaire_or_profile(
    cli: Any, ten_mb: Path, option: str
) -> None:
    args = (
        [option, ten_mb]
        if option == "--questionnaire"
        else [option, ten_mb, "--questionnaire", QUESTIONNAIRE]
    )
    lines = error_lines(cli("score", TINY / "answers", *args))
    assert len(lines) == 1
    assert "huge.yaml: file is 10.0 MB" in lines[0]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("kind: answers\nnote: " + "[" * 100_000 + "]" * 100_000 + "\n", id="brackets"),
        pytest.param("kind: answers\nnote:\n" + "- " * 100_000 + "x\n", id="dashes"),
        pytest.param(
            "kind: answers\nnote:\n" + "".join(f"{' ' * i}- \n" for i in range(1, 400)),
            id="indentation",
        ),
    ],
)
def test_deep_nesting_is_refused_without_crashing(cli: Any, tmp_path: Path, text: str) -> None:
    # libyaml composes recursively in C: 100 000 levels used to kill the interpreter
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    lines = error_lines(cli("score", path, "--questionnaire", QUESTIONNAIRE))
    assert len(lines) == 1
    assert re.match(
        rf"{re.escape(str(path))}:\d+:\d+: YAML nests more than 200 levels deep", lines[0]
    )


def test_a_number_too_long_to_read_is_refused(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text("kind: profile\nname: Tiny Org\nsize: " + "9" * 5000 + "\n")
    result = cli("validate", path)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:3:7: invalid YAML: '999")
    assert len(result.stdout) < 300  # the 5000 digits are not echoed back


# ---------------------------------------------------------------- missing arguments


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("missing", ["missing.yaml", "missing-folder/"])
def test_score_refuses_a_missing_answers_path(cli: Any, tmp_path: Path, missing: str) -> None:
    path = tmp_path / missing
    lines = error_lines(cli("score", path, "--questionnaire", QUESTIONNAIRE))
    assert lines == [f"{path}: no such file or directory"]


def test_score_refuses_a_folder_without_answers(cli: Any, empty_dir: Path) -> None:
    lines = error_lines(cli("score", empty_dir, "--questionnaire", QUESTIONNAIRE))
    assert len(lines) == 1
    assert f"no answers files found in {empty_dir}" in lines[0]
    assert "kind: answers" in lines[0]


@pytest.mark.parametrize(
    ("option", "name", "message"),
    [
        ("--questionnaire", "missing.yaml", "no such file or directory"),
        ("--questionnaire", "empty", "not a content pack: it holds no questionnaire.yaml"),
        ("--profile", "missing.yaml", "no such file or directory"),
        ("--profile", "empty", "is a directory, expected a YAML file"),
    ],
)
def test_score_refuses_a_missing_questionnaire_or_profile(
    cli: Any, empty_dir: Path, option: str, name: str, message: str
) -> None:
    path = empty_dir.parent / name
    args = [option, path]
    if option == "--profile":
        args += ["--questionnaire", QUESTIONNAIRE]
    lines = error_lines(cli("score", TINY / "answers", *args))
    assert len(lines) == 1
    assert re.fullmatch(rf"(.*/)?{name}: {message}", lines[0]), lines[0]


@pytest.mark.parametrize("missing", ["missing.yaml", "missing-folder/"])
def test_validate_refuses_a_missing_path(cli: Any, tmp_path: Path, missing: str) -> None:
    path = tmp_path / missing
    lines = error_lines(cli("validate", TINY, path))
    assert lines == [f"{path}: no such file or directory"]


def test_validate_refuses_a_folder_without_yaml_files(cli: Any, empty_dir: Path) -> None:
    lines = error_lines(cli("validate", empty_dir))
    assert lines == [f"no YAML files (*.yaml, *.yml) found in {empty_dir}"]
