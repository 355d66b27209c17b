"""Fields on a model's languages against the spec's: cover, partial cover, silence, dedication."""

from __future__ import annotations

from fmadvisor.rules.env import Env
from fmadvisor.rules.registry import derived


def one_language(e: Env) -> str | None:
    """The spec's one required language when it requires exactly one and it is not English."""
    return e.languages[0] if len(e.languages) == 1 and e.languages[0] != "en" else None


@derived(
    "fit.language_coverage",
    "number",
    "share of the spec's languages the model's card names (1 when the spec names none)",
    ("languages",),
)
def _language_coverage(e: Env, languages: tuple[str, ...] | None) -> float | None:
    if not e.languages:
        return 1.0
    if languages is None:
        return None
    covered = sum(1 for lang in e.languages if lang in languages)
    if covered < len(e.languages) and "*" in languages:
        return None  # the card names more languages than recorded: cannot tell
    return covered / len(e.languages)


@derived(
    "fit.missing_languages",
    "list",
    "the spec's languages the model's card does not name",
    ("languages",),
)
def _missing_languages(e: Env, languages: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if languages is None:
        return None
    return tuple(lang for lang in e.languages if lang not in languages)


@derived(
    "fit.unwritten_languages",
    "list",
    "for a translator that writes only some languages (model.target_languages): the languages "
    "translations go into (task.target_languages, else every one of task.languages) that it does "
    "not write; unknown for other models",
    ("target_languages",),
)
def _unwritten_languages(e: Env, targets: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if targets is None:
        return None
    return tuple(x for x in e.spec.task.target_languages or e.languages if x not in targets)


@derived(
    "fit.languages_excluded",
    "bool",
    "the card names languages and leaves out some the spec requires (unknown when the card names "
    "none, or says it covers more than it lists)",
    ("languages",),
)
def _languages_excluded(e: Env, languages: tuple[str, ...] | None) -> bool | None:
    if not e.languages:
        return False
    if languages is None:
        return None
    missing = [lang for lang in e.languages if lang not in languages]
    if not missing:
        return False
    return None if "*" in languages else True


@derived(
    "fit.languages_partly_covered",
    "bool",
    "the card lists its languages, and they include some of the spec's languages other than English "
    "but not all (a base to adapt to the rest); false when the card lists none or says it covers "
    "more than it lists (task.languages-excluded charges that unknown once)",
    ("languages",),
)
def _languages_partly_covered(e: Env, languages: tuple[str, ...] | None) -> bool:
    if languages is None or "*" in languages:
        return False
    if all(lang in languages for lang in e.languages):
        return False
    return any(lang in languages for lang in e.languages if lang != "en")


@derived(
    "fit.languages_unstated",
    "bool",
    "the spec requires a language other than English and the model's card names no language at all "
    "(not even 'multilingual')",
    ("languages",),
)
def _languages_unstated(e: Env, languages: tuple[str, ...] | None) -> bool:
    return languages is None and any(lang != "en" for lang in e.languages)


@derived(
    "fit.dedicated_to_language",
    "bool",
    "the spec requires one language other than English (spec.task.one_language) and the model's card "
    "lists it among at most three languages (pre-trained for it, not sharing its capacity across "
    "many); false otherwise, and when the card lists none or says it covers more than it lists",
    ("languages",),
)
def _dedicated_to_language(e: Env, languages: tuple[str, ...] | None) -> bool:
    language = one_language(e)
    if language is None or languages is None or "*" in languages:
        return False
    return language in languages and len(languages) <= 3
