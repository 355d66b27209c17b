"""Fields on a model's languages against the spec's: cover, partial cover, silence, dedication."""

from __future__ import annotations

from fmadvisor.rules.env import Env
from fmadvisor.rules.registry import derived


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
    "the spec requires one language other than English and the model's card lists it among at most "
    "three languages (pre-trained for it, not sharing its capacity across many); false when the card "
    "lists none or says it covers more than it lists",
    ("languages",),
)
def _dedicated_to_language(e: Env, languages: tuple[str, ...] | None) -> bool:
    if languages is None or "*" in languages or len(e.languages) != 1:
        return False
    return e.languages[0] in languages and len(languages) <= 3
