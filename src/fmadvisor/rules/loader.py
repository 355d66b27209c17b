"""Loading rule files: shipped profiles, includes, user layers, validation with locations.

Security: rule files are data. YAML is read with the safe loader (`yamlsource`); conditions are
parsed into an AST of named operators; templates only substitute field values. An `include` may
only name a .yaml file below the including file's own folder, so a rule file from an untrusted
pull request cannot make fmadvisor read anything else.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from fmadvisor.errors import Location, RuleError
from fmadvisor.record import from_model
from fmadvisor.rules import Rule, RuleBase
from fmadvisor.rules.conditions import thresholds_of, values_named
from fmadvisor.rules.define import define_rule
from fmadvisor.rules.fields import GpuType, LicenseInfo, Tables, all_fields
from fmadvisor.rules.schema import RuleFileDoc
from fmadvisor.rules.template import check as check_template
from fmadvisor.validation import located_error
from fmadvisor.yamlsource import SourceMap, decode, parse as parse_yaml

BUILTIN = "<builtin>"
MAX_INCLUDE_DEPTH = 8


def _builtin_root() -> Traversable:
    return resources.files("fmadvisor.rulebase")


def profiles() -> list[str]:
    """Names of the shipped profiles (top-level YAML files of the rule base)."""
    return sorted(p.name[:-5] for p in _builtin_root().iterdir() if p.name.endswith(".yaml"))


@dataclass
class _Acc:
    """What has been merged so far."""

    rules: dict[str, Rule] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    strategy_weights: dict[str, float] = field(default_factory=dict)
    floors: dict[str, tuple[float, Location]] = field(default_factory=dict)
    disabled: list[tuple[str, Location]] = field(default_factory=list)
    licenses: dict[str, LicenseInfo] = field(default_factory=dict)
    gpus: dict[str, GpuType] = field(default_factory=dict)
    libraries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    integrations: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    strategies: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    task_benchmarks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    benchmark_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    latin_script_languages: set[str] = field(default_factory=set)
    dataset_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    domains: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    stage_rules: list[tuple[str, Location]] = field(default_factory=list)  # first_stage_when ids


class _Source:
    """A rule file on disk or inside the package, with a display name."""

    def __init__(self, node: Traversable | Path, display: str, builtin: bool) -> None:
        self.node = node
        self.display = display
        self.builtin = builtin

    def read(self) -> str:
        try:
            raw = self.node.read_bytes()
        except FileNotFoundError:
            raise RuleError("rule file not found", Location(self.display)) from None
        except IsADirectoryError:
            raise RuleError("rule file is a directory", Location(self.display)) from None
        except OSError as exc:
            raise RuleError(
                f"cannot read rule file: {exc.strerror or exc}", Location(self.display)
            ) from None
        return decode(raw, self.display, kind="rule file", error=RuleError)

    def expand(self, rel: str, loc: Location) -> list[_Source]:
        return _expand_pattern(self, rel, loc)

    def include(self, rel: str, loc: Location) -> _Source:
        p = PurePosixPath(rel)
        if p.is_absolute() or ".." in p.parts or not rel.endswith((".yaml", ".yml")) or "\\" in rel:
            raise RuleError(
                f"include '{rel}' must be a relative .yaml path inside this file's folder", loc
            )
        if self.builtin:
            node: Traversable | Path = _builtin_root()
            for part in (PurePosixPath(self.display.removeprefix(BUILTIN + "/")).parent / p).parts:
                node = node.joinpath(part)
            return _Source(
                node,
                f"{BUILTIN}/{PurePosixPath(self.display.removeprefix(BUILTIN + '/')).parent / p}",
                True,
            )
        assert isinstance(self.node, Path)
        base = self.node.resolve().parent
        target = (base / p).resolve()
        if not target.is_relative_to(base):  # a symlink pointing outside
            raise RuleError(f"include '{rel}' resolves outside this file's folder", loc)
        return _Source(target, str(Path(self.display).parent / p), False)


def _expand_pattern(src: _Source, rel: str, loc: Location) -> list[_Source]:
    """The files a pattern such as `factors/*.yaml` names, sorted, inside the including file's folder."""
    p = PurePosixPath(rel)
    if "*" in str(p.parent) or not p.name.endswith(".yaml"):
        raise RuleError(
            f"include pattern '{rel}' may use '*' in the file name only, e.g. factors/*.yaml", loc
        )
    folder = src.include(
        str(p.parent / "x.yaml"), loc
    )  # validates the folder part like a plain include
    node = folder.node
    parent = node.parent if isinstance(node, Path) else None
    entries: list[Any]
    if parent is not None:
        entries = sorted(parent.iterdir()) if parent.is_dir() else []
    else:  # a Traversable inside the package: walk from the root
        trav: Any = _builtin_root()
        for part in PurePosixPath(folder.display.removeprefix(BUILTIN + "/")).parent.parts:
            trav = trav.joinpath(part)
        entries = sorted(trav.iterdir(), key=lambda t: t.name)
    out = []
    for entry in entries:
        if fnmatchcase(entry.name, p.name):
            out.append(src.include(str(p.parent / entry.name), loc))
    return out


def _builtin(name: str, loc: Location | None = None) -> _Source:
    if name not in profiles():
        raise RuleError(
            f"unknown profile '{name}'; shipped profiles: {', '.join(profiles())}, or 'none'", loc
        )
    return _Source(_builtin_root().joinpath(f"{name}.yaml"), f"{BUILTIN}/{name}.yaml", True)


def load_rulebase_from_yaml(
    paths: list[Path] | None = None, *, profile: str | None = None
) -> RuleBase:
    """`load_rulebase`, always from the YAML files."""
    user = [_Source(Path(p), str(p), False) for p in (paths or [])]
    docs = [(s, *_parse(s)) for s in user]
    base = profile
    base_loc: Location | None = None
    for _src, doc, smap in docs:
        if doc.extends is not None:
            if base is not None and base != doc.extends:
                raise RuleError(
                    f"extends '{doc.extends}', but another file or --profile chose '{base}'",
                    smap.locate(("extends",)),
                )
            base, base_loc = doc.extends, smap.locate(("extends",))
    acc = _Acc()
    if (base or "default") != "none":
        _apply(_builtin(base or "default", base_loc), acc, depth=0)
    for src, doc, smap in docs:
        _merge(src, doc, smap, acc, depth=0)
    return _finish(acc, base or "default")


_CACHE: dict[str, tuple[RuleFileDoc, SourceMap]] = {}


def _parse(src: _Source) -> tuple[RuleFileDoc, SourceMap]:
    if src.builtin and src.display in _CACHE:
        return _CACHE[src.display]
    text = src.read()
    doc = parse_yaml(text, src.display, kind="rule file", error=RuleError)
    if not isinstance(doc.data, dict):
        raise RuleError(
            "a rule file must be a mapping with 'version: 1'", Location(src.display, 1, 1)
        )
    try:
        parsed = RuleFileDoc.model_validate(doc.data)
    except ValidationError as exc:
        raise located_error(exc, doc.source, RuleFileDoc, RuleError) from None
    if src.builtin:
        _CACHE[src.display] = (parsed, doc.source)
    return parsed, doc.source


def _apply(src: _Source, acc: _Acc, depth: int) -> None:
    doc, smap = _parse(src)
    if src.builtin and doc.extends not in (None, "none"):
        if depth > MAX_INCLUDE_DEPTH:
            raise RuleError("profiles extend each other in a cycle", smap.locate(("extends",)))
        _apply(_builtin(str(doc.extends), smap.locate(("extends",))), acc, depth + 1)
    _merge(src, doc, smap, acc, depth)


def _merge(src: _Source, doc: RuleFileDoc, smap: SourceMap, acc: _Acc, depth: int) -> None:
    """Add one rule file to what is accumulated: its includes first, then its weights, disables,
    tables and rules, each checked where it stands in the file."""
    if depth > MAX_INCLUDE_DEPTH:
        raise RuleError(
            f"includes nest deeper than {MAX_INCLUDE_DEPTH} (a cycle?)", Location(src.display)
        )
    acc.sources.append(src.display)
    before = {key: list(getattr(acc, key)) for key in ("weights", "strategy_weights")}
    for i, rel in enumerate(doc.include):
        loc = smap.locate(("include", i))
        for included in src.expand(rel, loc) if "*" in rel else [src.include(rel, loc)]:
            if "*" in rel and included.display in acc.sources:
                continue  # a pattern adds the files not already included by name
            _apply(included, acc, depth + 1)
    _merge_weights(doc, smap, acc, before)
    for i, rule_id in enumerate(doc.disable):
        acc.disabled.append((rule_id, smap.locate(("disable", i))))
    if doc.tables is not None:
        _merge_tables(doc.tables, smap, acc)
    known = all_fields()
    for i, r in enumerate(doc.rules):
        acc.rules[r.id] = define_rule(r, ("rules", i), src.display, smap, acc.rules, known)


def _merge_weights(
    doc: RuleFileDoc, smap: SourceMap, acc: _Acc, before: dict[str, list[str]]
) -> None:
    for key in ("weights", "strategy_weights"):
        table = getattr(acc, key)
        for name, weight in getattr(doc, key).items():
            if weight < 0:
                raise RuleError("a weight must be 0 or more", smap.locate((key, name)))
            table[name] = weight
        # Factor order (reports list factors in it): what came before, this file's own weights,
        # then weights that only included files declare (a new factor file carries its own).
        own = list(getattr(doc, key))
        order = [*before[key], *(k for k in own if k not in before[key])]
        order += [k for k in table if k not in order]
        setattr(acc, key, {k: table[k] for k in order})
    for name, floor in doc.floors.items():
        if not -1.0 <= floor <= 0.0:
            raise RuleError("a floor must be from -1 to 0", smap.locate(("floors", name)))
        acc.floors[name] = (floor, smap.locate(("floors", name)))


def _merge_tables(t: Any, smap: SourceMap, acc: _Acc) -> None:
    for k, v in t.licenses.items():
        info = LicenseInfo(v.license_class, v.commercial, v.name, v.obligations)
        for key in (k, *v.aliases):
            acc.licenses[key.lower()] = info
    for g in t.gpus:
        gpu = GpuType(
            g.name,
            g.memory_gb,
            g.bf16_tflops,
            g.usd_per_hour,
            tuple(g.aliases),
            g.fp16_tflops,
            g.memory_bandwidth_gbps,
            g.price_source,
        )
        for key in (g.name, *g.aliases):
            acc.gpus[key.lower()] = gpu
    acc.libraries.update({k: tuple(v) for k, v in t.libraries.items()})
    acc.integrations.update(
        {
            k.lower(): {
                "libraries": tuple(v.libraries),
                "pipeline_tags": tuple(v.pipeline_tags),
            }
            for k, v in t.integrations.items()
        }
    )
    known = all_fields()
    for sid, plan in t.strategies.items():
        problem = check_template(plan.refresh, known)
        if problem:
            raise RuleError(problem, smap.locate(("tables", "strategies", sid, "refresh")))
        acc.strategies[sid] = from_model(plan)  # records: the compiled base needs no pydantic
        acc.stage_rules += [
            (rule_id, smap.locate(("tables", "strategies", sid, "first_stage_when", i)))
            for i, rule_id in enumerate(plan.first_stage_when)
        ]
    acc.metrics.update({k: tuple(v) for k, v in t.metrics.items()})
    acc.task_benchmarks.update({k: tuple(v) for k, v in t.task_benchmarks.items()})
    acc.benchmark_languages.update(_language_words(t.benchmark_languages))
    acc.latin_script_languages.update(t.latin_script_languages)
    acc.dataset_labels.update({k.lower(): tuple(v) for k, v in t.dataset_labels.items()})
    acc.thresholds.update(t.thresholds)
    acc.domains.update({k.lower(): from_model(v) for k, v in t.domains.items()})


def _language_words(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """benchmark_languages with each `{language}` key expanded: one word per listed language,
    measuring that language alone (a table of per-language columns, one entry)."""
    out: dict[str, tuple[str, ...]] = {}
    for key, langs in table.items():
        word = key.lower()
        if "{language}" in word:
            out.update({word.replace("{language}", lang.lower()): (lang,) for lang in langs})
        else:
            out[word] = tuple(langs)
    return out


def _finish(acc: _Acc, profile: str) -> RuleBase:
    for rule_id, loc in acc.disabled:
        if rule_id not in acc.rules:
            raise RuleError(f"disables unknown rule '{rule_id}'", loc)
    disabled = {rule_id for rule_id, _ in acc.disabled}
    rules = tuple(r for r in acc.rules.values() if r.id not in disabled)
    for r in rules:
        key = "weights" if r.target == "model" else "strategy_weights"
        if r.factor not in (acc.weights if r.target == "model" else acc.strategy_weights):
            raise RuleError(
                f"rule '{r.id}' scores factor '{r.factor}', which has no weight; add it under '{key}:'",
                Location(r.file, r.line, 0, "factor"),
            )

    def normalized(table: dict[str, float], key: str) -> dict[str, float]:
        total = sum(table.values())
        if table and total <= 0:
            raise RuleError(
                f"{key} add up to 0", Location(acc.sources[-1] if acc.sources else BUILTIN)
            )
        return {k: v / total for k, v in table.items()} if table else {}

    weights = normalized(acc.weights, "factor weights")
    if not weights:
        raise RuleError(
            "no factor weights: a rule base needs 'weights:'",
            Location(acc.sources[-1] if acc.sources else BUILTIN),
        )
    _check_references(rules, acc)
    tables = Tables(
        acc.licenses,
        acc.gpus,
        acc.libraries,
        acc.integrations,
        acc.strategies,
        acc.metrics,
        acc.thresholds,
        acc.domains,
        acc.task_benchmarks,
        acc.dataset_labels,
        acc.benchmark_languages,
        frozenset(acc.latin_script_languages),
    )
    return RuleBase(
        rules,
        weights,
        tables,
        tuple(acc.sources),
        profile,
        strategy_weights=normalized(acc.strategy_weights, "strategy weights"),
        floors=_floors(acc, weights),
        plan_strategies=frozenset(
            v
            for r in rules
            if r.target == "model"
            for node in (r.condition, r.applies)
            if node is not None
            for v in values_named(node, "spec.plan.strategy")
        ),
    )


def _floors(acc: _Acc, weights: dict[str, float]) -> dict[str, float]:
    for name, (_, where) in acc.floors.items():
        if name not in weights:
            raise RuleError(f"floor for '{name}', which is not a model factor (weights)", where)
    return {name: floor for name, (floor, _) in acc.floors.items()}


def _check_references(rules: tuple[Rule, ...], acc: _Acc) -> None:
    """Every rule a rule subsumes, and every threshold a condition compares with, exists."""
    ids = {r.id for r in rules}
    for r in rules:
        for other in r.subsumes:
            if other not in ids:
                raise RuleError(
                    f"rule '{r.id}' subsumes unknown rule '{other}'",
                    Location(r.file, r.line, 0, "subsumes"),
                )
    # defined rules, disabled ones too: disabling the rule only means no stage is ever called for
    strategy_rules = {r.id for r in acc.rules.values() if r.target == "strategy"}
    for rule_id, loc in acc.stage_rules:
        if rule_id not in strategy_rules:
            raise RuleError(
                f"first_stage_when names '{rule_id}', which is not a strategy rule of this rule base",
                loc,
            )
    for r in rules:
        for node in (r.applies, r.condition):
            for name in thresholds_of(node) if node is not None else ():
                if name not in acc.thresholds:
                    raise RuleError(
                        f"rule '{r.id}' compares with threshold '{name}', which no 'thresholds:' table defines",
                        Location(r.file, r.line, 0, "when"),
                    )
