"""Safe YAML loading that remembers where every value came from.

Every user-supplied YAML document (specs, rule files, later waivers and lockfiles) is read here:
- only the safe constructors run (no Python tags, no code); libyaml is used when available;
- duplicate keys, non-string keys, non-UTF-8 bytes, oversized files, very deep nesting and
  alias expansion beyond a node budget are refused with a located error;
- the result is plain Python data plus a `SourceMap` from field paths to (line, column), so later
  validation errors (pydantic, rule compilation) can name the file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

import yaml

from fmadvisor.errors import InputError, Location
from fmadvisor.package_files import package_dir

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
"""Largest YAML file read (2 MiB): far above any real spec or rule file."""
MAX_NODES = 200_000
"""Most values one document may expand to, counting every alias use (stops alias bombs)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences."""

PathKey = tuple[str | int, ...]

# YAML 1.1 (PyYAML) reads `7e9` and `1.5e9` as text; YAML 1.2 and every reader of it as numbers.
# Unquoted scalars of that shape are numbers here, as a user writing them means.
_EXPONENT_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+")


def format_path(path: Sequence[str | int]) -> str:
    """('constraints', 'hardware', 'gpus', 0, 'memory_gb') -> 'constraints.hardware.gpus[0].memory_gb'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class SourceMap(msgspec.Struct):
    """Where each value (and each mapping key) of a document starts, 1-based."""

    file: str
    values: dict[PathKey, tuple[int, int]] = msgspec.field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = msgspec.field(default_factory=dict)

    def locate(self, path: Sequence[str | int], *, prefer_key: bool = False) -> Location:
        """The location of `path`, or of its nearest existing ancestor when it is missing."""
        p = tuple(path)
        while True:
            table = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            for t in table:
                if p in t:
                    line, col = t[p]
                    return Location(self.file, line, col, format_path(path))
            if not p:
                return Location(self.file, 1, 1, format_path(path))
            p = p[:-1]


class YamlDocument:
    """A parsed document: `data` (plain Python) and `source` (positions)."""

    __slots__ = ("data", "source")

    def __init__(self, data: Any, source: SourceMap) -> None:
        self.data = data
        self.source = source


def read_text(path: Path, *, kind: str, error: type[InputError] = InputError) -> str:
    """Read a UTF-8 text file with the size limit, as a located error on failure."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise error(f"{kind} is {size:,} bytes; the limit is {MAX_BYTES:,}", Location(name))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{kind} not found", Location(name)) from None
    except IsADirectoryError:
        raise error(f"{kind} is a directory, expected a YAML file", Location(name)) from None
    except OSError as exc:
        raise error(f"cannot read {kind}: {exc.strerror or exc}", Location(name)) from None
    return decode(raw, name, kind=kind, error=error)


def decode(raw: bytes, name: str, *, kind: str, error: type[InputError] = InputError) -> str:
    if len(raw) > MAX_BYTES:
        raise error(f"{kind} is {len(raw):,} bytes; the limit is {MAX_BYTES:,}", Location(name))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            f"not UTF-8 text (byte {exc.start}: 0x{raw[exc.start]:02x})", Location(name, line)
        ) from None
    return text


def load_file(
    path: Path, *, kind: str = "YAML file", error: type[InputError] = InputError
) -> YamlDocument:
    return parse(read_text(path, kind=kind, error=error), str(path), kind=kind, error=error)


def load_shipped(relpath: str) -> Any:
    """A data file shipped in the package's rule base (`fmadvisor/rulebase/<relpath>`), read
    through the same safe parser as user files."""
    text = (package_dir("fmadvisor.rulebase") / relpath).read_text(encoding="utf-8")
    return parse(text, f"fmadvisor/rulebase/{relpath}", kind="shipped rule-base file").data


def parse(
    text: str, name: str, *, kind: str = "YAML file", error: type[InputError] = InputError
) -> YamlDocument:
    """Parse one YAML document safely. Raises `error` with a location on any problem."""
    if len(text) > MAX_BYTES:
        raise error(
            f"{kind} is {len(text):,} characters; the limit is {MAX_BYTES:,}", Location(name)
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        source = SourceMap(name)
        if node is None:
            return YamlDocument(None, source)
        builder = _Builder(loader, source, error)
        data = builder.build(node, (), 0)
        return YamlDocument(data, source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", Location(name, line, col)) from None
    except (
        yaml.reader.ReaderError
    ) as exc:  # binary or control characters: located by offset, not by mark
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise error(
            f"invalid YAML: unacceptable character #x{ord(char):04x} ({exc.reason})",
            Location(name, line, column),
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", Location(name)) from None
    except RecursionError:
        raise error(f"{kind} is nested too deeply (limit {MAX_DEPTH})", Location(name)) from None
    finally:
        loader.dispose()


class _Builder:
    """Turns a composed node tree into plain data, enforcing the limits as it goes."""

    def __init__(self, loader: yaml.SafeLoader, source: SourceMap, error: type[InputError]) -> None:
        self.loader = loader
        self.source = source
        self.error = error
        self.count = 0

    def _fail(self, message: str, node: yaml.Node, path: PathKey) -> InputError:
        m = node.start_mark
        return self.error(
            message, Location(self.source.file, m.line + 1, m.column + 1, format_path(path))
        )

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(
                f"document expands to more than {MAX_NODES:,} values (alias expansion?)", node, path
            )
        if depth > MAX_DEPTH:
            raise self._fail(f"nested more than {MAX_DEPTH} levels deep", node, path)
        m = node.start_mark
        self.source.values[path] = (m.line + 1, m.column + 1)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<) safely
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._fail("mapping keys must be plain strings", key_node, path)
                if not key_node.tag.startswith("tag:yaml.org,2002:") or ":python/" in key_node.tag:
                    raise self._fail(
                        f"unsupported YAML tag on a key: {key_node.tag}", key_node, path
                    )
                key = str(key_node.value)  # the key's text: `yes:` is the field "yes", not True
                child = (*path, key)
                if key in out:
                    raise self._fail(f"duplicate key '{key}'", key_node, child)
                km = key_node.start_mark
                self.source.keys[child] = (km.line + 1, km.column + 1)
                out[key] = self.build(value_node, child, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if (
            node.tag == "tag:yaml.org,2002:str"
            and not node.style
            and _EXPONENT_FLOAT.fullmatch(node.value)
        ):
            return float(node.value)  # 1e400 is inf: the schema's finite check refuses it, located
        try:
            return self.loader.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            raise self._fail(f"unsupported YAML value: {exc.problem}", node, path) from None
