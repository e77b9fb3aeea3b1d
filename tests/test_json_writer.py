"""The one JSON writer: orjson's speed, the json module's bytes, so results still diff in git."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcpscale import api
from mcpscale.formats.serialize import to_json
from mcpscale.history.portfolio import portfolio_to_dict
from mcpscale.pipeline import Options, score_portfolio

from .conftest import ACME, DATA, Cli, examples

GENERALITY = DATA / "generality"


def json_module_text(data: Any) -> str:
    """What every command wrote before orjson: the json module's sorted, indented text."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# Text with what JSON must escape or may not: quotes, backslashes, control characters,
# DEL, line and paragraph separators, accents, emoji, and a lone surrogate orjson refuses.
_awkward = st.sampled_from(
    ['"', "\\", "\x00", "\x08", "\x0c", "\n", "\r", "\t", "\x1f", "\x7f", "\u2028", "\u2029"]
    + ["é", "ß", "中", "😀", "\ud800", "/", "<", "e", "1e5", ": 1e-05", "0.00001"]
)
texts = st.lists(st.one_of(st.text(max_size=4), _awkward), max_size=5).map("".join)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),  # past orjson's 64 bits
    st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e-05, 1e-4, 9.99e-5, 1e-7, 1e16, 9999999999999998.0, 1e22, 5e-324, -0.0]),
)
leaves = st.one_of(st.none(), st.booleans(), numbers, texts)
json_like = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(texts, inner, max_size=5),
    ),
    max_leaves=30,
)


@settings(max_examples=examples(500), deadline=None)
@given(json_like)
def test_the_writer_writes_what_the_json_module_wrote(data: Any) -> None:
    assert to_json(data) == json_module_text(data)


@pytest.mark.parametrize(
    "data",
    [
        {1: "one", 2.5: "two and a half", False: "no"},  # keys that are not text
        {None: "nothing"},
        {"n": np.float64(0.1), "tiny": np.float64(1e-05)},  # numpy floats orjson refuses
        {"huge": 10**30, "tiny": 1e-300, "big": 1.5e300},
        [{"z": 1, "a": [1e-05, 123456789.0, 1e16]}],
        "text alone",
        0.00001,
        {},
        [],
    ],
)
def test_what_orjson_refuses_or_writes_otherwise_is_written_as_before(data: Any) -> None:
    assert to_json(data) == json_module_text(data)


def test_what_json_refuses_is_still_refused() -> None:
    @dataclasses.dataclass
    class Point:
        x: int

    for data in ({"when": dt.date(2026, 1, 1)}, {"p": Point(1)}, {object(): 1}, {1: 1, "a": 2}):
        with pytest.raises(TypeError):
            json_module_text(data)
        with pytest.raises(TypeError):
            to_json(data)


def test_nan_is_written_as_null_that_json_readers_accept() -> None:
    """No output holds a NaN (input files refuse them, a summary of no scores is None);
    should one ever, it is written as null, not as the NaN JSON readers refuse."""
    text = to_json({"score": float("nan"), "worst": float("-inf")})
    assert text == '{\n  "score": null,\n  "worst": null\n}\n'
    assert json.loads(text) == {"score": None, "worst": None}


# ---------------------------------------------------------------- real outputs


def test_acme_score_json_is_byte_identical(cli: Cli) -> None:
    options = api.Options(profile=ACME / "profile.yaml")
    expected = json_module_text(api.result_to_dict(api.score([ACME / "answers"], options)))
    result = cli("score", ACME / "answers", "--profile", ACME / "profile.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


@pytest.mark.parametrize("pack", ["percent", "binary", "signed", "wide", "features"])
def test_every_pack_shape_scores_to_byte_identical_json(
    cli: Cli, pack: str, tmp_path: Path
) -> None:
    folder = GENERALITY / pack
    questionnaire = str(folder / "questionnaire.yaml")
    options = api.Options(questionnaire=questionnaire)
    expected = json_module_text(api.result_to_dict(api.score([folder / "answers"], options)))
    out = tmp_path / "result.json"
    result = cli(
        "score", folder / "answers", "-q", questionnaire, "--format", "json", "--output", out
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == expected


def test_acme_plan_json_is_byte_identical(cli: Cli) -> None:
    options = api.Options(profile=ACME / "profile.yaml", simulations=200, seed=7)
    expected = json_module_text(api.plan_to_dict(api.plan([ACME / "answers"], options)))
    result = cli(
        "plan", ACME / "answers", "--profile", ACME / "profile.yaml",
        "--simulations", "200", "--seed", "7", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_portfolio_json_is_byte_identical(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "units"
    for pack in ("percent", "wide"):
        for unit in ("north", "south"):
            shutil.copytree(GENERALITY / pack / "answers", root / pack / f"{unit}-{pack}")
    for pack in ("percent", "wide"):
        questionnaire = str(GENERALITY / pack / "questionnaire.yaml")
        portfolio = score_portfolio(root / pack, Options(questionnaire=questionnaire), jobs=1)
        out = tmp_path / f"out-{pack}"
        result = cli("portfolio", root / pack, "-q", questionnaire, "--output-dir", out)
        assert result.exit_code == 0, result.output
        written = (out / "portfolio.json").read_text(encoding="utf-8")
        assert written == json_module_text(portfolio_to_dict(portfolio))
