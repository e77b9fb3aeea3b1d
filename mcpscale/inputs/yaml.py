"""Safe YAML loading that remembers where every value came from, and YAML text to write."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mcpscale.errors import UserError
from mcpscale.inputs.reader import read_bounded

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# An answers file is a few kilobytes; anything this large is a mistake or an attack.
MAX_FILE_BYTES = 2 * 1024 * 1024
# Aliases may be reused, but the document they expand to must stay small: this
# stops "billion laughs" documents before anything walks them.
MAX_EXPANDED_NODES = 200_000
# Real files nest a handful of levels; libyaml composes recursively in C, so a file
# nested tens of thousands deep would crash the interpreter instead of raising.
MAX_DEPTH = 200
# Below this many nesting characters libyaml cannot recurse deep enough to crash, so the
# slower event scan is skipped for everyday files.
_SAFE_NESTING_CHARACTERS = 10_000
_MAX_REMEMBERED_TAGS = 20_000
_TOO_DEEP = f"YAML nests more than {MAX_DEPTH} levels deep; is this the right file?"


class SafeLoader(_BaseLoader):
    """A value YAML recognises but cannot build (2026-13-45, 0x_) fails at its line."""

    # Resolving a plain scalar's tag tries PyYAML's regular expressions in Python and
    # took a third of parsing an answers file; the same few hundred keys and choice ids
    # recur in every file, so their tags are remembered (bounded: notes are unique).
    _scalar_tags: dict[tuple[str, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._scalar_tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._scalar_tags) < _MAX_REMEMBERED_TAGS:
                self._scalar_tags[key] = tag
        return tag

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            what = "a valid date" if node.tag.endswith(":timestamp") else "a valid value"
            hint = "; write dates as YYYY-MM-DD" if what == "a valid date" else ""
            value = node.value if len(node.value) <= 40 else f"{node.value[:37]}..."
            reason = str(exc).split(";")[0]
            raise yaml.constructor.ConstructorError(
                None, None, f"'{value}' is not {what} ({reason}){hint}", node.start_mark
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        """A key written twice is an error at its second line, not a silent overwrite."""
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    first = seen[key_node.value].start_mark.line + 1
                    raise _DuplicateKey(key_node, first)
                seen[key_node.value] = key_node
        return super().construct_mapping(node, deep)


class _DuplicateKey(Exception):
    def __init__(self, key_node: yaml.ScalarNode, first_line: int) -> None:
        super().__init__(key_node.value)
        self.key_node = key_node
        self.first_line = first_line


Location = tuple[int, int]  # 1-based line and column
YamlPath = Sequence[str | int]


@dataclass
class YamlDocument:
    """A parsed YAML file: its data, and its text to point at lines.

    The node tree that knows every line is composed again from the text when first needed
    (to locate a problem, or to edit the file in place): a thousand files' trees, kept
    alive while they are checked and scored, made the garbage collector cost more than
    parsing them."""

    path: Path
    data: Any
    text: str = field(default="", repr=False, compare=False)
    _root: yaml.Node | None = field(default=None, repr=False, compare=False)
    _composed: bool = field(default=False, repr=False, compare=False)
    # Each mapping's members by key, built when first located in: one problem per key of a
    # 60,000-key mapping must not scan the mapping each time.
    _member_index: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def root(self) -> yaml.Node | None:
        """The node tree of `text` (None for an empty document), composed on first use."""
        if not self._composed:
            self._root, self._composed = _compose(self.text), True
        return self._root

    def _members(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        members = self._member_index.get(id(node))
        if members is None:
            members = {}
            for key_node, value_node in node.value:
                members.setdefault(str(key_node.value), (key_node, value_node))
            self._member_index[id(node)] = members
        return members

    @property
    def kind(self) -> str | None:
        if isinstance(self.data, dict):
            kind = self.data.get("kind")
            return kind if isinstance(kind, str) else None
        return None

    def locate(self, path: YamlPath, key: bool = False) -> Location | None:
        """Line and column of the value at `path` (or of its key, with key=True).

        Walks as far as the path exists, so a missing key points at its parent.
        """
        node = self.root
        found: Location | None = _mark(node) if node is not None else None
        last = len(path) - 1
        for index, step in enumerate(path):
            if isinstance(node, yaml.MappingNode):
                pair = self._members(node).get(str(step))
                if pair is None:
                    return found
                key_node, node = pair
                found = _mark(key_node if key and index == last else node)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if 0 <= step < len(node.value):
                    node = node.value[step]
                    found = _mark(node)
                else:
                    return found
            else:
                return found
        return found


def _mark(node: yaml.Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file safely; every failure is a UserError naming file and line."""
    data = read_bounded(path, MAX_FILE_BYTES, "a YAML file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = exc.object[: exc.start].decode("utf-8", "replace").split("\n")
        raise UserError.at(
            path,
            f"not UTF-8 text (byte {exc.start}); save it as UTF-8",
            len(before),
            len(before[-1]) + 1,
        ) from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> YamlDocument:
    loader = SafeLoader(text)
    try:
        _check_depth(text, path)
        root = loader.get_single_node()
        if root is None:
            return YamlDocument(path, None, text)
        if "&" in text:  # only anchors make aliases, and only aliases make bombs
            _check_node_tree(root, path)
            data = loader.construct_document(root)
        else:
            try:
                data = _construct_plain(loader, root)
            except (_Unusual, _DuplicateKey):
                # Too deep a tree is reported before any other problem, as when the depth
                # was checked first; PyYAML's constructor builds what _construct_plain
                # leaves to it, and finds the duplicate key again.
                _check_tree_depth(root, path)
                data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        message, mark = _yaml_problem(exc, text)
        if "maximum nesting depth" in message:  # newer libyaml stops deep files itself
            message = _TOO_DEEP
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise UserError.at(
            path, message if message == _TOO_DEEP else f"invalid YAML: {message}", line, column
        ) from None
    except yaml.YAMLError as exc:
        raise UserError.at(path, f"invalid YAML: {exc}") from None
    except _DuplicateKey as exc:
        raise UserError.at(
            path,
            f"duplicate key '{exc.key_node.value}' (first defined on line "
            f"{exc.first_line}); keep one",
            *_mark(exc.key_node),
        ) from None
    except RecursionError:
        raise UserError.at(path, _TOO_DEEP) from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, text)


def _compose(text: str) -> yaml.Node | None:
    """The node tree of a text `parse_yaml` has already read without a problem."""
    loader = SafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_CONSTRUCTS = {
    "a flow mapping": "the {...} mapping",
    "a flow sequence": "the [...] list",
    "a quoted scalar": "the quoted text",
}


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, yaml.Mark | None]:
    """The parser's complaint, where the construct it was reading began, and what to try.

    Returns the message and the mark to report; an unclosed quote or bracket that runs
    to the end of the file is reported where it opens.
    """
    problem = exc.problem or exc.context or "invalid YAML"
    context, mark, start = exc.context or "", exc.problem_mark or exc.context_mark, exc.context_mark
    within = context.removeprefix("while parsing ").removeprefix("while scanning ")
    within = _CONSTRUCTS.get(within, within)
    lines = text.split("\n")
    found = (
        lines[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(lines) else ""
    )
    if problem == "found character that cannot start any token" and found:  # libyaml omits it
        problem = f"found character {found!r} that cannot start any token"
    if mark and start and ("flow" in context or "scalar" in context):
        rest = "\n".join(lines[mark.line :])[mark.column :]
        if not rest.strip():
            problem, mark = f"{within} is never closed (the file ends first)", start
        elif start.line != mark.line:
            problem += (
                f" in {within} that starts on line {start.line + 1}, column {start.column + 1}"
            )
    if "'\\t'" in problem:
        hint = "indent with spaces, not tabs"
    elif "cannot start any token" in problem:
        hint = "put the value in quotes"
    elif "flow" in context:
        hint = f"is a closing '{'}' if 'mapping' in context else ']'}' or a ',' missing?"
    elif "quoted scalar" in context:
        hint = "is a closing quote missing?"
    elif any(word in problem for word in ("expected key", "mapping values", "indent")):
        hint = "check the indentation, and quote values that contain ': '"
    else:
        return problem, mark
    return f"{problem}; {hint}", mark


def _check_depth(text: str, path: Path) -> None:
    """Refuse deep nesting from the flat event stream, before anything recurses into it."""
    if sum(map(text.count, "[{-:?")) <= _SAFE_NESTING_CHARACTERS:  # each level needs one
        return
    loader = _BaseLoader(text)
    try:
        depth = 0
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
                    raise UserError.at(path, _TOO_DEEP, line, column)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Unusual(Exception):
    """The tree holds something _construct_plain leaves to PyYAML's constructor."""


def _construct_plain(loader: SafeLoader, root: yaml.Node) -> Any:
    """The data of an alias-free tree, as PyYAML's constructor builds it, three times faster.

    PyYAML's general constructor costs more than parsing itself for an answers file; this
    builds plain mappings, lists and strings directly, and hands every other scalar (dates,
    numbers, booleans) to the loader, so values and errors are the same. Explicit tags,
    merge keys, unhashable keys and nesting deeper than MAX_DEPTH raise _Unusual: the
    caller then checks the depth and uses the constructor, so the recursion is bounded.
    """

    def build(node: yaml.Node, depth: int = 0) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR_TAG else loader.construct_object(node)
        if depth >= MAX_DEPTH:
            raise _Unusual
        if kind is yaml.SequenceNode and node.tag == _SEQ_TAG:
            return [build(item, depth + 1) for item in node.value]
        if kind is not yaml.MappingNode or node.tag != _MAP_TAG:
            raise _Unusual
        seen: dict[Any, yaml.Node] = {}  # duplicates first, as SafeLoader.construct_mapping
        for key_node, _ in node.value:
            if type(key_node) is yaml.ScalarNode:
                if key_node.tag == _MERGE_TAG:
                    raise _Unusual
                if key_node.value in seen:
                    raise _DuplicateKey(key_node, seen[key_node.value].start_mark.line + 1)
                seen[key_node.value] = key_node
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = build(key_node, depth + 1)
            try:
                hash(key)
            except TypeError:
                raise _Unusual from None
            mapping[key] = build(value_node, depth + 1)
        return mapping

    return build(root)


def _check_tree_depth(root: yaml.Node, path: Path) -> None:
    """Refuse nesting deeper than MAX_DEPTH in a tree without aliases (a cheap walk)."""
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.MappingNode):
            if depth >= MAX_DEPTH:
                raise UserError.at(path, _TOO_DEEP, *_mark(node))
            for key_node, value_node in node.value:
                stack.append((key_node, depth + 1))
                stack.append((value_node, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            if depth >= MAX_DEPTH:
                raise UserError.at(path, _TOO_DEEP, *_mark(node))
            stack.extend((item, depth + 1) for item in node.value)


def _check_node_tree(root: yaml.Node, path: Path) -> None:
    """Refuse alias bombs and self-referencing aliases before constructing anything."""
    expanded: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        known = expanded.get(id(node))
        if known is not None:
            return known
        if id(node) in open_nodes:
            raise UserError.at(
                path,
                "an alias inside this anchored collection refers back to "
                "it, so it would contain itself; write the values out instead",
                *_mark(node),
            )
        if depth > MAX_DEPTH:
            raise UserError.at(path, _TOO_DEEP, *_mark(node))
        open_nodes.add(id(node))
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += size(key_node, depth + 1) + size(value_node, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item, depth + 1)
        if total > MAX_EXPANDED_NODES:
            raise UserError.at(
                path,
                "YAML aliases expand to too large a document (possible alias bomb); "
                "write the values out instead",
                *_mark(node),
            )
        expanded[id(node)] = total
        open_nodes.discard(id(node))
        return total

    size(root, 0)


def iter_yaml_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The given files, and every *.yaml / *.yml below the given directories, sorted.

    A file named twice (or also found in a named directory) comes once. Hidden folders
    and files below a directory (.github/, .gitlab-ci.yml) are tools' configuration, not
    assessment files, and are skipped; name one explicitly to read it.
    """
    for file, _ in resolved_yaml_files(paths):
        yield file


def resolved_yaml_files(paths: Sequence[Path]) -> Iterator[tuple[Path, Path]]:
    """`iter_yaml_files`, each file with its resolved path (symlinks followed), resolved once:
    resolving walks every folder of the path, and took a tenth of reading 1,000 files."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not p.is_dir()  # a FIFO, device or broken link is reported, not skipped
            )
        else:
            found = [path]
        for file in found:
            resolved = file.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield file, resolved


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


class _Dumper(yaml.SafeDumper):
    """Block style, and multi-line strings as literal blocks so notes stay readable."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
