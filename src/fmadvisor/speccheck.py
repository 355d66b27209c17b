"""Words a spec names from an open-ended list, checked against the vocabularies fmadvisor knows.

Languages, frameworks, integrations and GPU names are free text in the spec (a team may use a tool
the tables do not list yet), so a word nobody knows is a warning rather than an error; but a typo
there silently changes the ranking (`frameworks: [torch]` matches no model), so each warning is
located and offers a did-you-mean. Under `--strict` (or the strict profile) they are errors.

The vocabularies are data: languages from the rule base's `tables/languages.yaml` (ISO 639-1),
frameworks and integrations from `tables/software.yaml`, GPU names from `tables/gpus.yaml` (so a
team's rule file that adds a GPU or an integration also teaches the check).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable

from fmadvisor.errors import SpecError
from fmadvisor.rules.tables import Tables
from fmadvisor.spec import LoadedSpec
from fmadvisor.yamlsource import load_shipped


@functools.cache
def languages() -> dict[str, str]:
    """ISO 639-1 code -> English name."""
    doc = load_shipped("tables/languages.yaml")
    return {str(code): str(name) for code, name in doc["languages"].items()}


def _closest(word: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def language_hint(lang: str) -> str:
    """' (did you mean 'ja' (Japanese)?)' for a language name or a near-miss code, else ''."""
    codes = languages()
    by_name = {name.lower(): code for code, name in codes.items()}
    match = by_name.get(lang) or _closest(lang, [*codes, *by_name])
    code = by_name.get(match, match) if match else None
    return f" (did you mean '{code}' ({codes[code]})?)" if code else ""


def _language_problems(loaded: LoadedSpec) -> list[SpecError]:
    out = []
    for i, lang in enumerate(loaded.spec.task.languages):
        if lang in languages():
            continue
        out.append(
            SpecError(
                f"unknown language '{lang}'{language_hint(lang)}; "
                "languages are ISO 639-1 codes (en, de, ja, ...)",
                loaded.source.locate(("task", "languages", i)),
            )
        )
    return out


def _did_you_mean(word: str | None) -> str:
    return f" (did you mean '{word}'?)" if word else ""


def _word_problems(
    loaded: LoadedSpec, field: str, words: list[str], known: set[str], what: str
) -> list[SpecError]:
    out = []
    for i, word in enumerate(words):
        if word in known:
            continue
        out.append(
            SpecError(
                f"unknown {what} '{word}'{_did_you_mean(_closest(word, sorted(known)))}; "
                f"known: {', '.join(sorted(known))}",
                loaded.source.locate(("constraints", field, i)),
            )
        )
    return out


def _gpu_problems(loaded: LoadedSpec, tables: Tables) -> list[SpecError]:
    out = []
    names = sorted({g.name for g in tables.gpus.values()})
    for i, gpu in enumerate(loaded.spec.constraints.hardware.gpus):
        if tables.gpu(gpu.name) is not None or gpu.memory_gb is not None:
            continue  # a GPU the table lacks works when its memory is given
        key = _closest(gpu.name.strip().lower(), tables.gpus)
        hint = _did_you_mean(tables.gpus[key].name if key else None)
        out.append(
            SpecError(
                f"GPU '{gpu.name}' is not in the GPU table{hint}; give its memory_gb, or use one of: "
                f"{', '.join(names)}",
                loaded.source.locate(("constraints", "hardware", "gpus", i, "name")),
            )
        )
    return out


def vocabulary_problems(loaded: LoadedSpec, tables: Tables) -> list[SpecError]:
    """Every word of the spec that no vocabulary knows, located, in the order of the file."""
    c = loaded.spec.constraints
    frameworks = set(tables.libraries) | {f for fs in tables.libraries.values() for f in fs}
    found = [
        *_language_problems(loaded),
        *_word_problems(loaded, "frameworks", c.frameworks, frameworks, "framework"),
        *_word_problems(
            loaded, "integrations", c.integrations, set(tables.integrations), "integration"
        ),
        *_gpu_problems(loaded, tables),
    ]
    return sorted(found, key=lambda e: e.location.line if e.location else 0)


def as_error(problems: list[SpecError]) -> SpecError:
    """The problems as one error (strict mode): the first, carrying the others."""
    first = problems[0]
    first.also = tuple(problems[1:])
    first.total = len(problems)
    return first
