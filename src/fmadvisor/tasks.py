"""Task vocabulary: Hugging Face pipeline tags, the aliases users type, and task fit.

Pipeline tags are the Hub's fixed vocabulary (huggingface.js `pipelines.ts`); aliases are ours and
are documented in the README. Task fit says how a model with a given pipeline tag can serve a
task: `primary` (built for it), `adaptable` (a base to fine-tune with a task head, e.g. a fill-mask
encoder for classification), `promptable` (can do it through prompting, e.g. an LLM classifying).
"""

from __future__ import annotations

import re
from typing import Any, Final, Literal

import msgspec

from fmadvisor.vocab import GENERATIVE_OUTPUT, TASK_GROUPS

Modality = Literal["text", "image", "audio", "video", "multimodal", "code", "tabular"]
TaskFit = Literal["primary", "adaptable", "promptable"]

PIPELINE_MODALITY: Final[dict[str, Modality]] = {
    # text
    "text-classification": "text",
    "token-classification": "text",
    "question-answering": "text",
    "table-question-answering": "tabular",
    "zero-shot-classification": "text",
    "translation": "text",
    "summarization": "text",
    "feature-extraction": "text",
    "sentence-similarity": "text",
    "text-generation": "text",
    "text2text-generation": "text",
    "fill-mask": "text",
    "text-ranking": "text",
    "multiple-choice": "text",
    # audio
    "automatic-speech-recognition": "audio",
    "audio-classification": "audio",
    "text-to-speech": "audio",
    "text-to-audio": "audio",
    "audio-to-audio": "audio",
    "voice-activity-detection": "audio",
    "audio-text-to-text": "audio",
    # image
    "image-classification": "image",
    "object-detection": "image",
    "image-segmentation": "image",
    "depth-estimation": "image",
    "image-feature-extraction": "image",
    "image-to-image": "image",
    "zero-shot-image-classification": "image",
    "zero-shot-object-detection": "image",
    "mask-generation": "image",
    "keypoint-detection": "image",
    "unconditional-image-generation": "image",
    "text-to-image": "multimodal",
    "image-to-text": "multimodal",
    "image-text-to-text": "multimodal",
    "visual-question-answering": "multimodal",
    "document-question-answering": "multimodal",
    "visual-document-retrieval": "multimodal",
    # video
    "video-classification": "video",
    "text-to-video": "video",
    "image-to-video": "video",
    "video-text-to-text": "video",
    # tabular
    "tabular-classification": "tabular",
    "tabular-regression": "tabular",
    "time-series-forecasting": "tabular",
    "any-to-any": "multimodal",
}

ALIASES: Final[dict[str, str]] = {
    "chatbot": "text-generation",
    "chat": "text-generation",
    "assistant": "text-generation",
    "generation": "text-generation",
    "llm": "text-generation",
    "code": "text-generation",
    "code-generation": "text-generation",
    "code-completion": "text-generation",
    "classification": "text-classification",
    "sentiment": "text-classification",
    "sentiment-analysis": "text-classification",
    "ner": "token-classification",
    "named-entity-recognition": "token-classification",
    "qa": "question-answering",
    "extractive-qa": "question-answering",
    "embeddings": "feature-extraction",
    "embedding": "feature-extraction",
    "retrieval": "feature-extraction",
    "semantic-search": "sentence-similarity",
    "asr": "automatic-speech-recognition",
    "speech-to-text": "automatic-speech-recognition",
    "transcription": "automatic-speech-recognition",
    "captioning": "image-to-text",
    "image-captioning": "image-to-text",
    "vision-language": "image-text-to-text",
    "vqa": "visual-question-answering",
    "image-generation": "text-to-image",
    "detection": "object-detection",
    "segmentation": "image-segmentation",
    "tts": "text-to-speech",
}

_TEXT_GEN = ("text-generation", "text2text-generation")

# task -> {pipeline tag: fit}; a task missing here is served by its own tag only.
_FIT: Final[dict[str, dict[str, TaskFit]]] = {
    "text-classification": {
        "text-classification": "primary",
        "fill-mask": "adaptable",
        "feature-extraction": "adaptable",
        "zero-shot-classification": "promptable",
        **{t: "promptable" for t in _TEXT_GEN},
    },
    "token-classification": {
        "token-classification": "primary",
        "fill-mask": "adaptable",
        **{t: "promptable" for t in _TEXT_GEN},
    },
    "question-answering": {
        "question-answering": "primary",
        "fill-mask": "adaptable",
        **{t: "promptable" for t in _TEXT_GEN},
    },
    "zero-shot-classification": {
        "zero-shot-classification": "primary",
        **{t: "promptable" for t in _TEXT_GEN},
    },
    "summarization": {"summarization": "primary", **{t: "promptable" for t in _TEXT_GEN}},
    "translation": {"translation": "primary", **{t: "promptable" for t in _TEXT_GEN}},
    "text-generation": {
        "text-generation": "primary",
        "text2text-generation": "promptable",
        "image-text-to-text": "promptable",
    },
    "text2text-generation": {"text2text-generation": "primary", "text-generation": "promptable"},
    "feature-extraction": {
        "feature-extraction": "primary",
        "sentence-similarity": "primary",
        "fill-mask": "adaptable",
    },
    "sentence-similarity": {
        "sentence-similarity": "primary",
        "feature-extraction": "primary",
        "fill-mask": "adaptable",
    },
    "text-ranking": {"text-ranking": "primary", "sentence-similarity": "adaptable"},
    "image-classification": {
        "image-classification": "primary",
        "image-feature-extraction": "adaptable",
        "zero-shot-image-classification": "promptable",
    },
    "object-detection": {"object-detection": "primary", "zero-shot-object-detection": "promptable"},
    # a promptable mask generator (SAM) learns a structure's masks from labeled ones (MedSAM)
    "image-segmentation": {"image-segmentation": "primary", "mask-generation": "adaptable"},
    "image-to-text": {"image-to-text": "primary", "image-text-to-text": "primary"},
    "automatic-speech-recognition": {
        "automatic-speech-recognition": "primary",
        "audio-text-to-text": "promptable",
    },
    "image-text-to-text": {"image-text-to-text": "primary", "image-to-text": "promptable"},
    # a vision-language model reads a video as its sampled frames (Qwen2-VL, InternVL, LLaVA-OneVision
    # take several images a prompt), as the case studies' teams did where no video model fitted
    "video-text-to-text": {"video-text-to-text": "primary", "image-text-to-text": "promptable"},
    # document question answering (invoices, forms, scans): vision-language models read the page
    "document-question-answering": {
        "document-question-answering": "primary",
        "image-text-to-text": "primary",
        "visual-question-answering": "primary",
        "image-to-text": "adaptable",  # OCR-free readers (Donut) trained on the fields
    },
    "table-question-answering": {
        "table-question-answering": "primary",
        **{t: "promptable" for t in _TEXT_GEN},
    },
    "visual-question-answering": {
        "visual-question-answering": "primary",
        "image-text-to-text": "primary",
    },
    "zero-shot-image-classification": {"zero-shot-image-classification": "primary"},
}


def known_tasks() -> list[str]:
    """Every task name a spec may use: pipeline tags and aliases, sorted."""
    return sorted({*PIPELINE_MODALITY, *ALIASES})


def resolve(task: str) -> str | None:
    """The pipeline tag a task name means, or None when it is neither a tag nor an alias."""
    name = task.strip().lower().replace("_", "-").replace(" ", "-")
    if name in PIPELINE_MODALITY:
        return name
    return ALIASES.get(name)


def default_modality(task: str) -> Modality:
    """Modality implied by a task name (code aliases imply `code`)."""
    if task.strip().lower().startswith("code"):
        return "code"
    tag = resolve(task)
    return PIPELINE_MODALITY.get(tag, "text") if tag else "text"


# Tasks a single-score text-classification head serves as it is: a classifier with one output
# (config id2label {"0": "LABEL_0"}) scores a pair of texts, which is what a cross-encoder re-ranker
# is; many re-rankers (bge-reranker, jina-reranker-v2) carry the text-classification tag. A single
# output named for a class ({"0": "toxic"}, Detoxify's multilingual checkpoint) is a detector's
# probability for that class, not a relevance score.
SCORE_HEAD_TASKS: Final[frozenset[str]] = frozenset({"text-ranking"})
_UNNAMED_LABEL = re.compile(r"label_?\d+")


def score_head_fit(
    task: str, model_tag: str | None, labels: tuple[str, ...] | None
) -> TaskFit | None:
    """How a single-score text-classification head serves `task` (primary for re-ranking); None
    for any other model or task."""
    if model_tag != "text-classification" or labels is None or len(labels) != 1:
        return None
    if not _UNNAMED_LABEL.fullmatch(labels[0].strip().lower()):
        return None
    return "primary" if task in SCORE_HEAD_TASKS else None


# Speech encoders pre-trained without a task head (wav2vec 2.0, HuBERT, WavLM, data2vec-audio,
# w2v-BERT) carry the Hub's feature-extraction tag, as text embedders do, or none at all (a
# pre-training head has no pipeline); their config's model type or architecture tells them apart.
# Each is the usual start of a fine-tuned classifier of speech (emotion, spoken language, keywords,
# voice-chat toxicity), which a spec says by naming the languages spoken; for other sounds
# (machines, animals, sound events) AudioSet-trained models are, and a speech encoder serves no
# text task. It is also the usual start of a speech recognizer for a language the ready
# recognizers leave out: a CTC head trained on transcribed speech ("With as little as 10 minutes
# of labeled audio data, Wav2Vec2 could be fine-tuned to achieve 5% word-error rate", Hugging
# Face, "Fine-Tune W2V2-Bert for low-resource ASR", huggingface.co/blog/fine-tune-w2v2-bert,
# 2024, after its XLS-R and MMS counterparts).
AUDIO_ENCODER_TYPES: Final[frozenset[str]] = frozenset(
    {
        "wav2vec2",
        "wav2vec2-bert",
        "wav2vec2-conformer",
        "hubert",
        "wavlm",
        "data2vec-audio",
        "unispeech",
        "unispeech-sat",
        "sew",
        "sew-d",
    }
)
SPEECH_ENCODER_TASKS: Final[frozenset[str]] = frozenset(
    {"audio-classification", "automatic-speech-recognition"}
)
AUDIO_ENCODER_ARCHITECTURES: Final[tuple[str, ...]] = (
    "Wav2Vec2",
    "Hubert",
    "WavLM",
    "Data2VecAudio",
    "UniSpeech",
    "SEW",
)


def audio_encoder(tag: str | None, architecture: str | None, model_type: str | None) -> bool:
    """Is the model a speech encoder without a task head (feature-extraction tag or none), known by
    its config's model type or architecture?"""
    if tag not in ("feature-extraction", None):
        return False
    return model_type in AUDIO_ENCODER_TYPES or (architecture or "").startswith(
        AUDIO_ENCODER_ARCHITECTURES
    )


# Libraries whose checkpoints carry no pipeline tag and are backbones for the tasks the library
# trains heads for: TerraTorch fine-tunes geospatial foundation models (Prithvi, TerraMind) with
# "ready-to-use tasks for image segmentation, pixelwise regression, classification" (its
# documentation, ibm.github.io/terratorch; the PyPI description says the same).
BACKBONE_LIBRARIES: Final[dict[str, frozenset[str]]] = {
    "terratorch": frozenset({"image-segmentation", "image-classification"}),
}


# Embedding tasks whose inputs a spec may say are sounds (task.modality audio): the Hub has no
# audio embedding tag, so text embedders and audio encoders share feature-extraction. Contrastive
# audio-text encoders (CLAP: "audio representations through natural language", the Transformers
# documentation of ClapModel) embed sounds and their descriptions in one space, which searching
# sounds by description needs; a speech encoder's pooled states are a start a head is trained on.
# For a task on text a CLAP model is no candidate: its text tower learned to match sound captions,
# not to retrieve, compare or classify text.
EMBEDDING_TASKS: Final[frozenset[str]] = frozenset({"feature-extraction", "sentence-similarity"})
AUDIO_TEXT_TYPES: Final[frozenset[str]] = frozenset({"clap"})


def embeds_audio(task: str, modality: str | None) -> bool:
    """Does the spec ask for embeddings of sounds (where a text embedder serves nothing)?"""
    return modality == "audio" and task in EMBEDDING_TASKS


# Embedding tasks whose inputs a spec may say are pictures, video frames or pictures with their
# text (task.modality image, video, multimodal): the Hub tags text embedders and some image-text
# encoders alike feature-extraction. An image-text contrastive encoder (CLIP, SigLIP: the Hub's
# zero-shot-image-classification tag, or a CLIP model type or an OpenCLIP checkpoint) embeds both
# in one space, which searching pictures by words needs (X-CLIP does so for video clips); an
# image encoder (DINOv2: the image-feature-extraction tag) embeds pictures only, and a video
# classifier's backbone (VideoMAE) clips. A text embedder has never seen a pixel: for such a task it
# is no candidate.
VISUAL_MODALITIES: Final[frozenset[str]] = frozenset({"image", "video", "multimodal"})
IMAGE_TEXT_TYPES: Final[frozenset[str]] = frozenset(
    {"clip", "clyp", "siglip", "siglip2", "chinese_clip", "jina_clip"}
)
VIDEO_TEXT_TYPES: Final[frozenset[str]] = frozenset({"xclip"})  # X-CLIP: clips and their captions


def embeds_images(task: str, modality: str | None) -> bool:
    """Does the spec ask for embeddings of pictures or video (a text embedder serves nothing)?"""
    return modality in VISUAL_MODALITIES and task in EMBEDDING_TASKS


def _image_embedding_fit(
    tag: str | None, model_type: str | None, library: str | None, modality: str | None
) -> TaskFit | None:
    """How a model serves embeddings of pictures or video (see VISUAL_MODALITIES above)."""
    if tag == "zero-shot-image-classification" or model_type in IMAGE_TEXT_TYPES:
        return "primary"
    if model_type in VIDEO_TEXT_TYPES:
        return "primary" if modality == "video" else None
    if tag is None and library == "open_clip":
        return "primary"
    if tag == "image-feature-extraction":
        return "primary" if modality == "image" else "adaptable"
    return "adaptable" if tag == "video-classification" and modality == "video" else None


# Translation architectures (the Transformers docs: M2M100 "primarily intended for translation
# tasks", NLLB's checkpoints use it; Marian, the OPUS-MT models; FSMT, FairSeq's WMT19 systems): a
# model of one is a translation model whatever its pipeline tag (the Hub tags facebook/m2m100_1.2B
# text2text-generation) and serves no other task.
TRANSLATION_TYPES: Final[frozenset[str]] = frozenset({"m2m_100", "marian", "fsmt", "nllb-moe"})
TRANSLATION_ARCHITECTURES: Final[tuple[str, ...]] = ("M2M100", "Marian", "FSMT", "NllbMoe")


def translation_model(architecture: str | None, model_type: str | None) -> bool:
    """Is the model of a translation-only architecture, known by its config's type or class?"""
    return model_type in TRANSLATION_TYPES or (architecture or "").startswith(
        TRANSLATION_ARCHITECTURES
    )


def model_fit(
    task: str,
    table: dict[str, TaskFit],
    tag: str | None,
    architecture: str | None,
    model_type: str | None,
    labels: tuple[str, ...] | None,
    spoken: bool = False,
    library: str | None = None,
    modality: str | None = None,
) -> TaskFit | None:
    """How a model serves `task` (whose `fit_table` is `table`) from its pipeline tag, refined by
    its config (a speech encoder is adaptable for classifying or transcribing speech, `spoken`: the
    spec names the languages spoken, and serves no text task), labels (a single-score classifier
    re-ranks) and, without a tag, its library (a TerraTorch backbone takes a segmentation or
    classification head); for embeddings of sounds (`modality` audio) only audio models serve, and
    an audio-text encoder (CLAP) serves no task on text; for embeddings of pictures or video
    (`modality` image, video or multimodal) only image-text and image encoders serve (video ones
    for video); a translation architecture (M2M-100, Marian) serves translation only; None when it
    does not."""
    if embeds_audio(task, modality):
        if model_type in AUDIO_TEXT_TYPES:
            return "primary"
        return "adaptable" if audio_encoder(tag, architecture, model_type) else None
    if embeds_images(task, modality):
        return _image_embedding_fit(tag, model_type, library, modality)
    if model_type in AUDIO_TEXT_TYPES and modality != "audio":
        return None
    if audio_encoder(tag, architecture, model_type):
        return "adaptable" if spoken and task in SPEECH_ENCODER_TASKS else None
    if translation_model(architecture, model_type):
        return "primary" if task == "translation" else None
    if tag is None:
        return "adaptable" if task in BACKBONE_LIBRARIES.get(library or "", ()) else None
    return table.get(tag) or score_head_fit(task, tag, labels)


def fit_table(pipeline_tag: str) -> dict[str, TaskFit]:
    """Pipeline tags that can serve `pipeline_tag`, with how well."""
    return _FIT.get(pipeline_tag, {pipeline_tag: "primary"})


# Models that write their output token by token keep a head over the vocabulary whatever they learn;
# tasks learnt through one are writing text (or speech, images) and masked-language modelling itself
LM_HEAD_MODELS = GENERATIVE_OUTPUT | TASK_GROUPS["decoders"]
LM_LOSS_TASKS = LM_HEAD_MODELS | {"automatic-speech-recognition", "fill-mask"}


def head_loss(task: str | None, model_tag: str | None, corpus: bool) -> bool:
    """Does fine-tuning a `model_tag` model for `task` train a task head only, with a few logits per
    text, token or box instead of one per vocabulary entry at every position (an encoder fine-tuned
    to classify, tag, rank or embed)? Never when training on a corpus (continued pre-training,
    pre-training), which is language modelling, nor when the task or the model's own task is
    unknown (it may be a generator: the language-model loss is the safe side)."""
    if corpus or task is None or model_tag is None:
        return False
    return model_tag not in LM_HEAD_MODELS and task not in LM_LOSS_TASKS


def trained_for(arch: Any, task: str | None, model_tag: str | None, corpus: bool) -> Any:
    """`arch` (an estimate.Arch) as training a `model_tag` model for `task` sees it: with no logits
    over the vocabulary when that trains a task head (head_loss)."""
    if head_loss(task, model_tag, corpus):
        return msgspec.structs.replace(arch, lm_loss=False)
    return arch
