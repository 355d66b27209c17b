"""What a spec's own words ask for, where no field says it: code completion, typing prediction,
text-to-SQL, masks drawn from prompts, a base checkpoint. Each reader names the field and the words
it matched; WORD_FIELDS are the `spec.*` fields rules read them by."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fmadvisor.vocab import STRATEGY_KINDS

if TYPE_CHECKING:
    from fmadvisor.rules.env import Env
    from fmadvisor.spec_model import Spec

# How a code spec's own words name editor completion (fill-in-the-middle), which base code
# checkpoints serve; "chat completions" (an API's name) and the completion of a project are not it.
_COMPLETION_WORDS = re.compile(
    r"\b(?:code|inline|ide|editor|tab|line|next-line|single-line|multi-line)[- ]completions?\b"
    r"|\bauto-?complet\w*|\bfill[- ]in[- ]the[- ]middle\b|\b(?-i:FIM)\b"
    r"|\bcomplet(?:e|es|ing)\s+(?:the\s+|a\s+)?(?:next\s+|current\s+|partial\s+)?"
    r"(?:line|statement|snippet)s?\b",  # not "complete code": "complete code review" is not it
    re.IGNORECASE,
)


# How a text spec's words ask for the next word or character as someone types (keyboards, AAC): a
# language model's own probabilities, which base checkpoints give and chat tuning skews
PREDICTION_WORDS = re.compile(
    r"\bnext[- ](?:word|character|letter)s?\b|\b(?:word|character|letter)[- ]prediction"
    r"|\bpredictive[- ](?:text|typing|keyboard)", re.IGNORECASE
)  # fmt: skip


# How a text-generation spec's own words say the model writes code: SQL (text-to-SQL), graph queries
# or a script in a programming language. Its output is code, which code models are trained to write,
# even when its input is prose (modality: text).
_CODE = r"(?:sql|sparql|cypher|python|javascript|typescript|bash)"
_CODE_OUTPUT_WORDS = re.compile(
    rf"\b(?:text|nl|natural[- ]language|questions?)[- ]?(?:to|2)[- ]?{_CODE}\b"
    rf"|\b(?:into|writes?|writing|generat\w*|produc\w*|translat\w*)\s+(?:\w+\s+){{0,2}}{_CODE}\b",
    re.IGNORECASE,
)


def writes_code(spec: Spec) -> bool:
    """A text-generation spec whose name or description says the model writes SQL, a graph query or
    a program ("turn questions into SQL", "generate and run Python")."""
    return (
        spec.task.pipeline_tag == "text-generation"
        and spec_says(spec, _CODE_OUTPUT_WORDS) is not None
    )


def spec_says(spec: Spec, words: re.Pattern[str]) -> str | None:
    """Where the spec's own words match `words` ("project.description says '...'"), description
    first, then name; None when neither does."""
    for field, text in (
        ("project.description", spec.project.description),
        ("project.name", spec.project.name),
    ):
        match = words.search(text or "")
        if match:
            return f"{field} says '{match.group(0)}'"
    return None


def code_completion(spec: Spec) -> str | None:
    """Why the spec asks for code completion (None: it does not): its task type, or, for a code
    task, the words of its name or description."""
    if spec.task.type == "code-completion":
        return "task.type=code-completion"
    if spec.task.resolved_modality != "code":
        return None
    return spec_says(spec, _COMPLETION_WORDS)


# How a segmentation spec's own words ask for masks drawn from prompts (points, boxes, clicks) or for
# help to annotators, which promptable mask generators (Segment Anything) are made for; a text prompt
# asks for open-vocabulary segmentation, which they do not read.
_PROMPTED_MASK_WORDS = re.compile(
    r"(?<!text-)(?<!text )\bprompt\w*|\bclick\w*|\binteractiv\w*|\bsegment[- ]anything\b"
    # help to annotators, not annotated training data ("2,000 annotated tiles")
    r"|\bannotators?\b|\bannotation (?:tools?|work\w*|effort|time)\b"
    r"|\b(?:speed|help|assist)\w*(?: up)? (?:\w+'?s? )?annotation",
    re.IGNORECASE,
)


def prompted_masks(spec: Spec) -> str | None:
    """Why an image-segmentation spec asks for masks from prompts (spec.task.prompted_masks);
    None when its words do not, or for other tasks."""
    if spec.task.pipeline_tag != "image-segmentation":
        return None
    return spec_says(spec, _PROMPTED_MASK_WORDS)


# How a generation spec's own words ask for a base checkpoint: a base model named as such (not a
# knowledge base's model), or raw text to continue pre-training on, which starts from the base and
# re-tunes instructions after
_BASE_WORDS = re.compile(
    r"(?<!knowledge )\bbase (?:LLMs?|models?|checkpoints?|language models?)\b"
    r"|\b(?:continu\w*|further|domain-adaptive)[- ]pre-?train\w*",
    re.IGNORECASE,
)


def asks_base(spec: Spec) -> str | None:
    """Why a text-generation spec asks for a base checkpoint (spec.asks_base): its words, or a
    history in which continued pre-training (or pre-training) went promising or adequate, so the
    team goes on training on raw text; None when neither, or for other tasks."""
    if spec.task.pipeline_tag != "text-generation":
        return None
    said = spec_says(spec, _BASE_WORDS)
    if said is not None:
        return said
    for attempt in spec.history.tried:
        # the approaches that start from a base checkpoint: continued pre-training, pre-training
        starts_from_base = STRATEGY_KINDS[attempt.approach].starts_from == "base"
        if starts_from_base and attempt.outcome in ("promising", "adequate"):
            return f"history.tried says {attempt.approach} was {attempt.outcome}"
    return None


# How a spec's own words say the team prompts a model as it is: prompts, an instruction-tuned model
# named as such, zero- or few-shot use
_PROMPTING_WORDS = re.compile(
    r"\bprompt(?:s|ed|ing)?\b|\binstruct(?:ion)?(?:[- ]tuned)?[- ](?:LLMs?|models?)\b"
    r"|\b(?:zero|few)[- ]shot\b",
    re.IGNORECASE,
)


def says_prompting(spec: Spec) -> str | None:
    """Where a text-generation spec's own words say it prompts a model (spec.says_prompting); None
    when they do not, when the spec also asks for continued pre-training or a base model (asks_base), or
    for other tasks (a text-to-image model's prompts are its users')."""
    if spec.task.pipeline_tag != "text-generation" or asks_base(spec) is not None:
        return None
    return spec_says(spec, _PROMPTING_WORDS)


# How an image spec's own words say its images hold text to read: OCR or HTR, text recognition,
# handwriting, pages scanned or faxed, or reading and transcribing text, numbers or codes. "scanned"
# alone is not it: scanned photographs are pictures to describe.
_READING_WORDS = re.compile(
    r"\b(?:ocr|htr)\b|\b(?:text|character|handwriting)[- ]recognition\b|\bhandwrit\w*"
    r"|\b(?:scanned|faxed)\s+(?:[\w-]+\s+){0,5}?(?:pages?|documents?|forms?|reports?|records?|books?"
    r"|sheets?|letters?|printouts?|ledgers?)\b"
    r"|\b(?:read|reads|reading|transcrib\w*|recogni[sz]\w*)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:text|numbers?|codes?|characters?|digits?)\b",
    re.IGNORECASE,
)


def says_reading(spec: Spec) -> str | None:
    """Where an image spec's own words say its images hold text to read (spec.reads_text); None
    when they do not, or for tasks on other inputs."""
    if spec.task.resolved_modality != "image":
        return None
    return spec_says(spec, _READING_WORDS)


# How an audio spec's own words ask which language is spoken: spoken-language identification (LID),
# language or dialect detection, code-switch detection. A language-ID head serves these and no other
# audio task.
_LANGUAGE_ID_WORDS = re.compile(
    r"\b(?:language|dialect)[- ](?:identification|identifier|id|recognition|detection|classification)\b"
    r"|\b(?:identif\w*|detect\w*|recogni[sz]\w*|classif\w*)\s+(?:the\s+|which\s+|what\s+)?"
    r"(?:spoken\s+)?(?:languages?|dialects?)\b|\b(?-i:LID)\b|\bcode[- ]?switch\w*",
    re.IGNORECASE,
)


def identifies_language(spec: Spec) -> str | None:
    """Where an audio spec's own words ask which language (or dialect) is spoken
    (spec.identifies_language); None when they do not, or for tasks on other inputs."""
    if spec.task.resolved_modality != "audio":
        return None
    return spec_says(spec, _LANGUAGE_ID_WORDS)


def reading_reason(env: Env) -> str | None:
    """Why the spec's images hold text to read: its domain words (tables.domains), else its own
    words (says_reading); None when neither says so."""
    if env.domain and env.domain.reads_text:
        return f"task.domain '{env.spec.task.domain}' names text to read"
    return says_reading(env.spec)


WORD_FIELDS: dict[str, tuple[str, str, Callable[[Env], Any]]] = {
    "spec.says_prompting": (
        "bool",
        "a text-generation spec whose project name or description says the team prompts a model "
        "(prompts, an instruction-tuned or instruct model, zero- or few-shot use), and does not "
        "also ask for continued pre-training or a base model",
        lambda e: says_prompting(e.spec) is not None,
    ),
    "spec.says_prompting_reason": (
        "text",
        "the words that make spec.says_prompting true; empty if it is not",
        lambda e: says_prompting(e.spec),
    ),
    "spec.code_completion": (
        "bool",
        "the spec asks for code completion (fill-in-the-middle in an editor): task.type "
        "code-completion, or a code task whose project name or description says so",
        lambda e: e.code_completion_reason is not None,
    ),
    "spec.code_completion_reason": (
        "text",
        "what makes the spec a code-completion one (spec.code_completion); empty if it is not",
        lambda e: e.code_completion_reason,
    ),
    "spec.text_prediction": (
        "bool",
        "a text-generation spec whose project name or description asks for the next word or "
        "character as someone types (predictive keyboards, AAC): a language model's own probabilities",
        lambda e: e.text_prediction_reason is not None,
    ),
    "spec.task.prompted_masks": (
        "bool",
        "an image-segmentation spec whose project name or description asks for masks from prompts "
        "(points, boxes, clicks) or for help to annotators, what Segment Anything models are made for",
        lambda e: prompted_masks(e.spec) is not None,
    ),
    "spec.reads_text": (
        "bool",
        "the spec's images hold text to be read: its domain words say so (spec.domain.reads_text) "
        "or an image spec's project name or description does (OCR, handwriting, scanned pages, "
        "reading text, numbers or codes)",
        lambda e: reading_reason(e) is not None,
    ),
    "spec.reads_text_reason": (
        "text",
        "what makes spec.reads_text true (the domain, or the words that say it); empty if it is not",
        lambda e: reading_reason(e),
    ),
    "spec.identifies_language": (
        "bool",
        "an audio spec whose project name or description asks which language or dialect is spoken "
        "(language identification, LID, language or dialect detection, code-switch detection)",
        lambda e: identifies_language(e.spec) is not None,
    ),
    "spec.asks_base": (
        "bool",
        "a text-generation spec whose project name or description asks for a base checkpoint (a "
        "'base model' or 'base LLM', or continued pre-training), or whose history.tried has "
        "continued pre-training or pre-training going promising or adequate",
        lambda e: asks_base(e.spec) is not None,
    ),
    "spec.asks_base_reason": (
        "text",
        "the words or history that make spec.asks_base true; empty if it is not",
        lambda e: asks_base(e.spec),
    ),
    "spec.wants_base": (
        "bool",
        "the spec asks for what base checkpoints do: code completion (spec.code_completion), "
        "next-word prediction (spec.text_prediction) or a base model by name, continued pre-training "
        "or a history of it (spec.asks_base)",
        lambda e: (
            e.code_completion_reason is not None
            or e.text_prediction_reason is not None
            or asks_base(e.spec) is not None
        ),
    ),
}
