"""The small declarative condition language of `applies_if` (and, later, plan triggers).

A condition is a YAML mapping; every entry must hold (AND). An entry is either a
combinator or a fact compared with an expression:

    {regulations: contains HIPAA}                 a list fact holds the value
    {industry: in [financial-services, insurance]} a fact is one of the values
    {industry: healthcare}                        a fact equals the value
    {size: ">= 1000"}                             numeric comparison: >=, >, <=, <, ==, !=
    {any: [{...}, {...}]}  {all: [...]}  {not: {...}}

Text compares case-insensitively. A fact the subject does not have makes its entry
false. There is no eval: expressions are parsed into the data classes below.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}
COMBINATORS = ("any", "all", "not")


class ConditionError(ValueError):
    """A condition that does not parse; the message says what to write instead."""


@dataclass(frozen=True)
class Compare:
    fact: str
    op: str  # contains | in | eq | one of _COMPARISONS
    value: Any


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


Condition = Compare | AllOf | AnyOf | Not


def parse_condition(raw: Any, facts: Iterable[str] | None = None) -> Condition:
    """Parse a condition mapping; `facts`, when given, are the only fact names allowed."""
    allowed = set(facts) if facts is not None else None
    if not isinstance(raw, Mapping) or not raw:
        raise ConditionError(
            "a condition is a non-empty mapping such as {regulations: contains GDPR}"
        )
    parts: list[Condition] = []
    for key, value in raw.items():
        key = str(key)
        if key in ("any", "all"):
            if not isinstance(value, list) or not value:
                raise ConditionError(f"'{key}' takes a non-empty list of conditions")
            inner = tuple(parse_condition(item, allowed) for item in value)
            parts.append(AnyOf(inner) if key == "any" else AllOf(inner))
        elif key == "not":
            parts.append(Not(parse_condition(value, allowed)))
        else:
            if allowed is not None and key not in allowed:
                from mcpscale.errors import did_you_mean

                raise ConditionError(
                    f"unknown fact '{key}'{did_you_mean(key, allowed)}; "
                    f"conditions can test: {', '.join(sorted(allowed))}"
                )
            parts.append(_parse_expression(key, value))
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _parse_expression(fact: str, value: Any) -> Compare:
    if isinstance(value, list):
        return Compare(fact, "in", tuple(value))
    if not isinstance(value, str):
        return Compare(fact, "eq", value)
    text = value.strip()
    word, _, rest = text.partition(" ")
    if word == "contains" and rest.strip():
        return Compare(fact, "contains", _scalar(rest))
    if word == "in" and rest.strip():
        items = yaml.safe_load(rest)
        if not isinstance(items, list) or not items:
            raise ConditionError(f"'{fact}: {text}': write the choices as a list, e.g. in [a, b]")
        return Compare(fact, "in", tuple(items))
    for symbol in sorted(_COMPARISONS, key=len, reverse=True):
        if text.startswith(symbol):
            operand = _scalar(text[len(symbol) :])
            if not isinstance(operand, int | float) or isinstance(operand, bool):
                raise ConditionError(f"'{fact}: {text}': '{symbol}' compares with a number")
            return Compare(fact, symbol, operand)
    return Compare(fact, "eq", value)


def comparisons(condition: Condition) -> Iterator[Compare]:
    """Every fact comparison inside a condition, in order."""
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, Not):
        yield from comparisons(condition.part)
    else:
        for part in condition.parts:
            yield from comparisons(part)


@lru_cache(maxsize=4096)
def _scalar(text: str) -> Any:
    """The value a condition compares with, read as YAML reads it (`3` a number, `GDPR` text).
    Remembered: the same few operands recur in every pack and every run of a long process."""
    loaded = yaml.safe_load(text.strip())
    return loaded if isinstance(loaded, str | int | float) else text.strip()


def _norm(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def evaluate(condition: Condition, facts: Mapping[str, Any]) -> bool:
    """True when the condition holds for these facts; missing facts make an entry false."""
    if isinstance(condition, AllOf):
        return all(evaluate(part, facts) for part in condition.parts)
    if isinstance(condition, AnyOf):
        return any(evaluate(part, facts) for part in condition.parts)
    if isinstance(condition, Not):
        return not evaluate(condition.part, facts)
    actual = facts.get(condition.fact)
    if actual is None:
        return False
    if condition.op == "contains":
        items = actual if isinstance(actual, list | tuple | set) else [actual]
        return _norm(condition.value) in {_norm(item) for item in items}
    if condition.op == "in":
        return _norm(actual) in {_norm(item) for item in condition.value}
    if condition.op == "eq":
        return bool(_norm(actual) == _norm(condition.value))
    if not isinstance(actual, int | float):
        return False
    return _COMPARISONS[condition.op](actual, condition.value)
