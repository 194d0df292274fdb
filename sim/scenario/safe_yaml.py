"""Bounded YAML reading: file size, alias expansion, nesting depth, duplicate keys.

PyYAML's `safe_load` refuses arbitrary Python objects but not resource abuse:
nested aliases ("billion laughs") expand into billions of nodes once anything
walks the data, a list nested 10,000 deep overflows the recursion limit, and a
repeated key silently keeps its last value. `load_yaml` composes with a loader
that counts every node as if aliases were expanded, caps the depth, and
rejects repeated keys, so each of these ends as one line within a second.
"""

from __future__ import annotations

import os
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

#: Largest scenario file read without an override (MB). Shipped scenarios are < 20 kB.
DEFAULT_MAX_FILE_MB = 2.0
#: Environment variable that raises (or lowers) the file-size limit, in MB.
MAX_FILE_MB_ENV = "JMSIM_MAX_FILE_MB"
#: Most nodes a document may hold with every alias expanded (shipped files: < 3,000).
MAX_NODES = 200_000
#: Deepest nesting of mappings and lists (shipped files: 6).
MAX_DEPTH = 50


class YamlLimitError(ValueError):
    """A YAML document broke a resource limit; the message is one line for the user."""


def max_file_bytes() -> int:
    """The file-size limit in bytes (`JMSIM_MAX_FILE_MB` or the default)."""
    raw = os.environ.get(MAX_FILE_MB_ENV)
    if raw is None or raw.strip() == "":
        return int(DEFAULT_MAX_FILE_MB * 2**20)
    try:
        mb = float(raw)
    except ValueError:
        raise YamlLimitError(
            f"environment {MAX_FILE_MB_ENV}: got {raw!r}; expected a size in MB, e.g. 10"
        ) from None
    if not mb > 0 or mb != mb or mb == float("inf"):
        raise YamlLimitError(f"environment {MAX_FILE_MB_ENV}: got {raw!r}; expected a size > 0 MB")
    return int(mb * 2**20)


def check_size(n_bytes: int) -> None:
    """Raise `YamlLimitError` when a file of `n_bytes` is over the limit."""
    limit = max_file_bytes()
    if n_bytes > limit:
        raise YamlLimitError(
            f"(file): got {n_bytes / 2**20:.1f} MB; expected at most {limit / 2**20:g} MB "
            f"(set {MAX_FILE_MB_ENV} to allow larger files)"
        )


def _where(node_or_mark: Any) -> str:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(file)"


class _BoundedComposer(Composer):
    """Composer that tracks depth and the alias-expanded size of every node."""

    def __init__(self) -> None:
        super().__init__()
        self._sizes: dict[int, int] = {}
        self._stack: list[int] = [0]  # running child-size sum of each open node

    def _add(self, size: int, node: Node) -> None:
        self._stack[-1] += size
        if self._stack[-1] > MAX_NODES or sum(self._stack) > MAX_NODES:
            raise YamlLimitError(
                f"{_where(node)}: got more than {MAX_NODES:,} values with aliases expanded; "
                "expected a scenario without alias bombs (nested anchors/aliases)"
            )

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # noqa: D102
        if self.check_event(AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:  # alias to a node still being composed: a cycle
                raise YamlLimitError(
                    f"{_where(mark)}: got an alias inside its own anchor; "
                    "expected aliases to refer to finished values"
                )
            self._add(size, node)
            return node
        if len(self._stack) > MAX_DEPTH:
            raise YamlLimitError(
                f"{_where(self.peek_event().start_mark)}: got nesting deeper than {MAX_DEPTH} "
                "levels; expected a scenario nested a few levels deep"
            )
        self._stack.append(0)
        try:
            node = super().compose_node(parent, index)
        finally:
            inner = self._stack.pop()
        size = 1 + inner
        self._sizes[id(node)] = size
        self._add(size, node)
        return node


class _StrictConstructor(SafeConstructor):
    """Safe constructor that refuses a key repeated in one mapping."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:  # noqa: D102
        if isinstance(node, MappingNode):
            seen: dict[Any, Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                try:
                    key = self.construct_object(key_node, deep=True)
                    hash(key)
                except (TypeError, ConstructorError):
                    continue  # reported by the base constructor
                if key in seen:
                    raise YamlLimitError(
                        f"{_where(key_node)}: got key {key!r} a second time (first at "
                        f"{_where(seen[key])}); expected each key once per mapping"
                    )
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


class PyBoundedLoader(Reader, Scanner, Parser, _BoundedComposer, _StrictConstructor, Resolver):
    """`yaml.SafeLoader` with size, depth, alias-expansion and duplicate-key limits."""

    def __init__(self, stream: Any) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self)
        _StrictConstructor.__init__(self)
        Resolver.__init__(self)


try:  # libyaml scans and parses ~40x faster; composing stays in Python, with the limits
    from yaml._yaml import CParser

    class CBoundedLoader(_BoundedComposer, CParser, _StrictConstructor, Resolver):
        """The same limits over libyaml's event parser (its composer is bypassed)."""

        def __init__(self, stream: Any) -> None:
            CParser.__init__(self, stream)
            _BoundedComposer.__init__(self)
            _StrictConstructor.__init__(self)
            Resolver.__init__(self)

    BoundedLoader: type = CBoundedLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    BoundedLoader = PyBoundedLoader


def load_yaml(text: str, loader: type | None = None) -> Any:
    """Parse one YAML document within the limits; `YamlLimitError` or `yaml.YAMLError`."""
    check_size(len(text.encode("utf-8")))
    return yaml.load(text, Loader=loader or BoundedLoader)  # noqa: S506 (safe constructor)
