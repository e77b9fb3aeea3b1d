"""JSON with comments (JSONC, as VS Code and Cursor write it), parsed with the line of every key.

Accepts `//` and `/* */` comments and trailing commas outside strings. Errors name the line
and column but never quote the text: a config file that fails to parse may hold a secret.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any, NamedTuple

MAX_DEPTH = 64

Path_ = tuple[str | int, ...]

_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r\n]+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\x00-\x1f]|\\.)*")
  | (?P<punct>[{}\[\]:,])
  | (?P<literal>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)
    """,
    re.VERBOSE | re.DOTALL,
)


class JsoncError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} at line {line} column {column}")
        self.reason = message
        self.line = line
        self.column = column


class Parsed(NamedTuple):
    value: Any
    lines: dict[Path_, int]
    """Line of each key (for object members) and of each list item, by path from the root."""


class _Token(NamedTuple):
    kind: str
    text: str
    offset: int


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.tokens = self._tokenize()
        self.index = 0
        self.lines: dict[Path_, int] = {}

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.newlines, offset)
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def error(self, message: str, offset: int) -> JsoncError:
        return JsoncError(message, *self.position(offset))

    def _tokenize(self) -> list[_Token]:
        tokens: list[_Token] = []
        offset = 0
        while offset < len(self.text):
            match = _TOKEN.match(self.text, offset)
            if match is None:
                if self.text.startswith("/*", offset):
                    raise self.error("unterminated /* comment", offset)
                if self.text.startswith('"', offset):
                    raise self.error("unterminated string or control character in a string", offset)
                raise self.error("unexpected character", offset)
            kind = match.lastgroup or ""
            if kind not in ("space", "comment"):
                tokens.append(_Token(kind, match.group(), offset))
            offset = match.end()
        tokens.append(_Token("end", "", len(self.text)))
        return tokens

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self, expected: str | None = None) -> _Token:
        token = self.tokens[self.index]
        if expected is not None and token.text != expected:
            raise self.error(f"expected '{expected}'", token.offset)
        self.index += 1
        return token

    def value(self, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} levels deep", self.peek().offset)
        token = self.take()
        if token.kind in ("string", "literal"):
            try:
                return json.loads(token.text)
            except ValueError:
                raise self.error("invalid escape in a string", token.offset) from None
        if token.text == "{":
            return self.members(path)
        if token.text == "[":
            return self.items(path)
        if token.kind == "end":
            raise self.error("unexpected end of file", token.offset)
        raise self.error("expected a value", token.offset)

    def members(self, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while self.peek().text != "}":
            key_token = self.take()
            if key_token.kind != "string":
                raise self.error("expected a quoted key or '}'", key_token.offset)
            key = json.loads(key_token.text)
            self.lines[(*path, key)] = self.position(key_token.offset)[0]
            self.take(":")
            result[key] = self.value((*path, key))
            if self.peek().text not in (",", "}"):
                raise self.error("expected ',' or '}'", self.peek().offset)
            if self.peek().text == "}":
                break
            self.take(",")  # a trailing comma before '}' is allowed
        self.take("}")
        return result

    def items(self, path: Path_) -> list[Any]:
        result: list[Any] = []
        while self.peek().text != "]":
            self.lines[(*path, len(result))] = self.position(self.peek().offset)[0]
            result.append(self.value((*path, len(result))))
            if self.peek().text not in (",", "]"):
                raise self.error("expected ',' or ']'", self.peek().offset)
            if self.peek().text == "]":
                break
            self.take(",")
        self.take("]")
        return result


def parse_jsonc(text: str) -> Parsed:
    """Parse JSONC text; raise JsoncError (with line and column) when it is not valid."""
    parser = _Parser(text.removeprefix("\ufeff"))
    value = parser.value(())
    trailing = parser.peek()
    if trailing.kind != "end":
        raise parser.error("unexpected text after the end of the document", trailing.offset)
    return Parsed(value, parser.lines)
