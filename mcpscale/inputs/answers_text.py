"""An answers file's text with its answers replaced, keeping everything around them as written.

`mcpscale migrate` rewrites answers files that people keep in git: the comments, quoting and
order they wrote stay, and only the entries that change are written anew. An answer that is
unchanged but for its id keeps its lines (the key renamed); a changed one is written in the
house style; a removed one loses its lines, the comments around it stay. Where the file is
not laid out in block style, or the edited text would not read back as exactly the new
answers, the whole file is written from the data instead (its comments are then lost, and
`comments_kept` says so).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import yaml

from mcpscale.errors import UserError
from mcpscale.formats.answers import Answer, AnswerSet, answer_data
from mcpscale.inputs.yaml import YamlDocument, dump_yaml, parse_yaml


class AnswersText(NamedTuple):
    text: str
    comments_kept: bool  # False: the whole file was written from its data
    comments_lost: tuple[int, ...] = ()  # lines of comments inside entries rewritten or removed


# A quoted YAML string, so that a '#' inside one is not taken for a comment.
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')
_COMMENT = re.compile(r"(?:^|\s)#")


def answers_text(
    document: YamlDocument,
    text: str,
    questionnaire_ref: str,
    answers: Mapping[str, Answer],
    origins: Mapping[str, Sequence[str]],
) -> AnswersText:
    """The file `document` was parsed from (`text`), naming `questionnaire_ref` and holding
    `answers`; `origins` says which of the file's answers each new answer came from."""
    lost: list[int] = []
    edited = _edited(document, text, questionnaire_ref, answers, origins, lost)
    if edited is not None and _reads_back(edited, document, questionnaire_ref, answers):
        return AnswersText(edited, True, tuple(lost))
    data = dict(document.data)
    data["questionnaire"] = questionnaire_ref
    data["answers"] = {qid: answer_data(answer) for qid, answer in answers.items()}
    return AnswersText(dump_yaml(data), "#" not in text)


def _edited(
    document: YamlDocument,
    text: str,
    questionnaire_ref: str,
    answers: Mapping[str, Answer],
    origins: Mapping[str, Sequence[str]],
    comments_lost: list[int],
) -> str | None:
    root = document.root
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    members = {str(key.value): value for key, value in root.value}
    ref_node, answers_node = members.get("questionnaire"), members.get("answers")
    if not isinstance(ref_node, yaml.ScalarNode):
        return None
    if not isinstance(answers_node, yaml.MappingNode) or answers_node.flow_style:
        return None
    original = dict(document.data.get("answers") or {})
    by_first_origin: dict[str, list[str]] = {}
    for qid, sources in origins.items():
        by_first_origin.setdefault(sources[0], []).append(qid)
    edits: list[tuple[int, int, str]] = []  # (start, end, new text), in file order
    quote = ref_node.style if ref_node.style in ("'", '"') else ""
    edits.append(
        (ref_node.start_mark.index, ref_node.end_mark.index, f"{quote}{questionnaire_ref}{quote}")
    )
    for key_node, value_node in answers_node.value:
        old_id = str(key_node.value)
        start = text.rfind("\n", 0, key_node.start_mark.index) + 1
        if text[start : key_node.start_mark.index].strip():
            return None  # not one entry per line
        end = _line_end(text, _end(value_node))
        entry = text[start:end]
        indent = " " * key_node.start_mark.column
        pieces: list[str] = []
        verbatim = False
        for new_id in by_first_origin.get(old_id, []):
            answer = answers[new_id]
            unchanged = tuple(origins[new_id]) == (old_id,) and _same(original.get(old_id), answer)
            if unchanged:
                key_at = key_node.start_mark.index - start
                key_end = key_node.end_mark.index - start
                pieces.append(entry[:key_at] + _key(new_id, key_node) + entry[key_end:])
                verbatim = True
            else:
                written = dump_yaml({new_id: answer_data(answer)})
                pieces.append("".join(indent + line for line in written.splitlines(True)))
        if not verbatim:
            first_line = key_node.start_mark.line + 1
            comments_lost.extend(
                first_line + number
                for number, line in enumerate(entry.splitlines())
                if _COMMENT.search(_QUOTED.sub("", line))
            )
        edits.append((start, end, "".join(pieces)))
    for earlier, later in zip(edits, edits[1:], strict=False):
        if earlier[1] > later[0]:
            return None  # overlapping spans: a layout this editor does not understand
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text


def _same(raw: Any, answer: Answer) -> bool:
    try:
        return Answer.model_validate(raw) == answer
    except ValueError:
        return False


def _key(new_id: str, key_node: yaml.ScalarNode) -> str:
    if key_node.style in ("'", '"'):
        return f"{key_node.style}{new_id}{key_node.style}"
    return new_id


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends (a block collection's end mark lies past what follows)."""
    if not isinstance(node, yaml.CollectionNode) or node.flow_style or not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    return _end(last[1] if isinstance(node, yaml.MappingNode) else last)


def _line_end(text: str, index: int) -> int:
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _reads_back(
    text: str, document: YamlDocument, questionnaire_ref: str, answers: Mapping[str, Answer]
) -> bool:
    """True when `text` parses to the same file with exactly the new answers, in order."""
    try:
        data = parse_yaml(text, document.path).data
        read = AnswerSet.model_validate(data)
    except (UserError, ValueError):
        return False
    others = {k: v for k, v in data.items() if k not in ("questionnaire", "answers")}
    before = {k: v for k, v in document.data.items() if k not in ("questionnaire", "answers")}
    return (
        read.questionnaire == questionnaire_ref
        and list(read.answers.items()) == list(answers.items())
        and others == before
    )
