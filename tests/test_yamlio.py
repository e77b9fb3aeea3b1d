"""The fast path that builds plain YAML trees gives exactly what PyYAML's constructor gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mcpscale.errors import UserError
from mcpscale.inputs.yaml import SafeLoader, parse_yaml

from .conftest import ROOT, examples

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.text(max_size=20),
    st.sampled_from(["yes", "no", "on", "~", "0x1F", "1e3", "2026-11-16", "a: b", "- x", ""]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers(0, 9)), children, max_size=4),
    ),
    max_leaves=25,
)


def reference(text: str) -> object:
    """PyYAML's own constructor, with the same loader (duplicate keys, dated errors)."""
    loader = SafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@settings(max_examples=examples(300), deadline=None)
@given(documents, st.booleans())
def test_plain_trees_build_as_pyyaml_builds_them(data: object, flow: bool) -> None:
    text = yaml.safe_dump({"key": data}, default_flow_style=flow, allow_unicode=True)
    assert_same(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!set {x, y}\n",  # explicit tags go through PyYAML's constructor
        "base: {a: 1}\nmerged:\n  <<: {a: 2}\n  b: 3\n",  # merge keys too
        "a: !!binary aGVsbG8=\n",
        "? [1, 2]\n: x\n",  # unhashable key: PyYAML's own error
        "a: 2026-13-45\n",
        "a: 1\nb: 2\na: 3\n",
    ],
)
def test_unusual_documents_match_pyyaml_or_fail_the_same_way(text: str) -> None:
    assert_same(text)


def assert_same(text: str) -> None:
    """parse_yaml builds what the reference builds, or refuses what it refuses."""
    try:
        expected = reference(text)
    except Exception:  # noqa: BLE001 - whatever the reference raises, parse_yaml must refuse
        with pytest.raises(UserError):
            parse_yaml(text, Path("x.yaml"))
        return
    assert parse_yaml(text, Path("x.yaml")).data == expected


def test_every_good_yaml_file_in_the_project_builds_the_same() -> None:
    folders = ("questionnaires", "examples", "tests/data/tiny")
    files = [p for folder in folders for p in (ROOT / folder).rglob("*.yaml")]
    assert len(files) >= 8
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text, path).data == reference(text), path


# ---------------------------------------------------------------- lines, without the tree


def test_values_are_located_though_the_node_tree_is_not_kept() -> None:
    """A document keeps its text, not its tree; locating a problem composes the tree again."""
    text = "kind: answers\nanswers:\n  gov.a: most\n  gov.b:\n    choice: some\n"
    document = parse_yaml(text, Path("ana.yaml"))
    assert document.locate(["answers", "gov.b", "choice"]) == (5, 13)
    assert document.locate(["answers", "gov.b"], key=True) == (4, 3)
    assert document.locate(["answers", "gov.z"]) == (3, 3)  # missing: its parent, the mapping


@pytest.mark.parametrize("text", ["~\n", "null\n", "# only a comment\n", ""])
def test_an_empty_document_points_where_it_always_did(text: str) -> None:
    document = parse_yaml(text, Path("empty.yaml"))
    assert document.data is None
    assert document.locate([]) == ((1, 1) if text.strip() and text[0] != "#" else None)


def test_nesting_too_deep_is_found_in_the_same_walk_at_the_same_place() -> None:
    # Under the size where the event scan runs: the walk that builds the data finds it
    with pytest.raises(UserError) as raised:
        parse_yaml("a: " + "[" * 250 + "]" * 250 + "\n", Path("deep.yaml"))
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (1, 203)  # the 200th bracket: level 200
    assert problem.message.startswith("YAML nests more than 200 levels deep")


def test_nesting_too_deep_is_told_before_a_duplicate_key() -> None:
    text = "a: 1\na: 2\nb: " + "[" * 250 + "]" * 250 + "\n"
    with pytest.raises(UserError, match="nests more than 200 levels deep"):
        parse_yaml(text, Path("deep.yaml"))
    with pytest.raises(UserError, match="duplicate key 'a' \\(first defined on line 1\\)"):
        parse_yaml("a: 1\na: 2\nb: [[x]]\n", Path("shallow.yaml"))


# ---------------------------------------------------------------- the cycle collector


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_answers_leaves_the_cycle_collector_as_it_found_it(
    tmp_path: Path, enabled: bool
) -> None:
    """The collector is paused while answers are read and scored, then put back as it was,
    also when a file is refused."""
    import gc

    from mcpscale.pipeline import Options, score_files

    from .conftest import TINY

    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: answers\nquestionnaire: tiny\nrespondent: [\n")
    (gc.enable if enabled else gc.disable)()
    try:
        score_files([TINY / "answers"], Options(questionnaire=str(TINY / "questionnaire.yaml")))
        assert gc.isenabled() is enabled
        with pytest.raises(UserError, match="bad.yaml:4:1: invalid YAML"):
            score_files([bad], Options(questionnaire=str(TINY / "questionnaire.yaml")))
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
