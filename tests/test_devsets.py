"""Development sets written from public sources: strategy scenarios and model-pick case studies.

Both run clean (no internal error). The strategy set's tuning slice must stay at 90% or more; its
holdout slice (never tuned on) and the model-pick set are reported, not asserted, so that a number
nobody tuned for cannot be made to pass by tuning for it. benchmarks/eval_*.py print the details."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import eval_picks  # noqa: E402
import eval_strategies  # noqa: E402


def test_public_strategy_scenarios(capsys):
    rows = eval_strategies.evaluate()
    assert not [r for r in rows if str(r["got"]).startswith("error")]
    dev = [r for r in rows if r["slice"] == "dev"]
    assert len(rows) >= 120 and sum(r["slice"] != "dev" for r in rows) >= 30
    assert sum(r["ok"] for r in dev) / len(dev) >= 0.9
    with capsys.disabled():
        print("\n" + eval_strategies.report(rows))


# The tuned slices' acceptable picks at the last measured stop (eval_picks.TUNED: dev, fresh to
# fresh6, fresh9 to fresh11, fresh16 to fresh21; 126 of 195 when fresh5 and fresh6 joined at the
# twelfth, 181 of 267 when fresh10 and fresh11 joined at the fourteenth, 182 once a fill-mask
# checkpoint was graded as a base encoder, 199 at the fifteenth, 224 of 315 when fresh16 and fresh17
# joined at the sixteenth, 253 of 363 when fresh18 and fresh19 joined at the
# seventeenth, 251 once 88 unsized models were sized from their weight files: Marian
# translators of 77M and BiomedCLIP entered top 3s that writers filled with larger or other-task models; 250 with
# 11 voice-activity models, whose unknown sizes fail a diarization case's size check; 249 once text classifiers,
# embedders under a head and prompted generators are charged on CPU for reading a 128-token text:
# a CPU ticket router found DistilBERT, while an intent case's 217 ms RoBERTa estimate against 200 ms
# let a sentiment head into its top 3 and an Arabic router's mBERT and XLM-R now both exceed 200 ms;
# held out +1; 248 once 27 encoders and translators got their context lengths: the SST-2 sentiment head,
# no longer unknown on context, rejoins a ticket router's top 3 over bases whose measured capability is
# low while its own is unknown): a rule or catalog change that loses one should say why (raise or lower
# this with the measured number in the commit). 269 of 411 when fresh20 and fresh21 joined at the eighteenth,
# 273 at its end (the lineage prior +2, translation direction +2). 295 of 459 when fresh22 and fresh23
# joined at the nineteenth, 297 at its end (strategy.inference-cost-corpus-only +1,
# cost.far-oversized-for-need +1). 357 of 555 when fresh24 to fresh27 joined at the twentieth; 353 once
# Mistral's vLLM-library repos stopped being marked unservable by vLLM (a false finding: Voxtral and
# Mistral Small now compete where the sources used Whisper or smaller bases), 356 with
# capability.small-for-best (7B picks on 8 x Gaudi2 give way to 70B ones), 359 with the catalog's
# protein, DNA, SMILES and text-to-music models and task.text-model-for-sequences (ESM-2 for a
# protein LoRA case, MusicGen for a music one that had no eligible model). 386 of 603 when fresh28 and
# fresh29 joined at the twenty-first; 385 once a code modality asks for code models whatever the domain
# words say (a code-documentation case now ranks deepseek-coder-6.7b, 6.74B, under its writer's 7B);
# 387 with min_size_compound_demands 4 (RAG over papers with citations no longer asks for 14B); 389
# with customization.corpus-training-over-memory and a best floor that follows what the training
# cards train in full (continued pre-training plans stop starting from 24-70B bases on 2-8 GPUs); 390
# once the grader reads a checkpoint without a task head (feature-extraction, DINOv2) as a base encoder,
# as it read fill-mask ones; 391 once SMILES and cheminformatics domains are sequence data (ChemBERTa
# over RoBERTa for a property predictor). 458 of 699 when fresh30 to fresh33 joined at the
# twenty-second; 469 with customization.oversized-task-model-to-train (speech LLMs and MADLAD no
# longer lead fine-tuning plans at best quality), 473 with dedicated sizes for zero-shot image
# classifiers and image feature extractors, 475 with strategy.domain-language at a medium gap for
# open-ended tasks. 559 of 843 when fresh34 to fresh39 joined at the twenty-third; 561 with
# customization.far-oversized-task-model-to-train (MADLAD-400 10B below its 3B for fine-tuning plans),
# 564 once vision-language tasks read capability from vision benchmarks only (a text arena score no
# longer lifts 24-31B chat VLMs over OCR-sized ones); 563 once speech encoders (wav2vec 2.0, HuBERT,
# WavLM, w2v-BERT) are candidates for classifying speech: they lead the speech cases whose sources
# fine-tuned them, and one such case now fails on its writer's tag list (audio-classification only,
# though its acceptable examples are feature-extraction encoders).
# 565 with a 7B need for a generator given no labeled example (instructions alone).
# 567 once CPU arithmetic counted from a parameter count alone (token embeddings included) judges a
# model over the latency budget only when it is over even if most of them were embeddings.
# 575 with customization.oversized-generator-to-train (at best quality a fine-tuning plan pays again
# for a generator over the ample size: 32-70B no longer lead narrow fine-tuning jobs).
# 581 with vision-language models promptable for video tasks (they read sampled frames).
# 679 once fresh40 to fresh45 (98 of 144 on adding) joined the tuned slices.
# 684 with TerraTorch backbones (Prithvi) adaptable for segmentation and classification and the
# earth-observation specialty asked for by its domain words (and SigLIP so400m recorded as English).
# 685 once task.context-too-short no longer judges taggers (they read long documents window by window).
# 691 with Open LLM Leaderboard v2 results for 30 more catalog models (Qwen2.5-32B/72B base, Gemma 2
# base, Mistral and SmolLM bases...), from the table the other results came from.
# 696 with timm's SigLIP so400m recorded as English (its OpenCLIP text vocabulary is the English C4 one).
# 698 with spec.text_prediction: next-word and next-character prediction starts at 0.1B and wants
# base checkpoints (task.instruct-for-prediction).
# 807 once fresh46 to fresh51 (109 of 143 on adding at the twenty-fourth stop) joined the tuned slices.
# 809 with text classification judged on classification results (GLUE, SuperGLUE, XNLI): a generator's
# chat leaderboards no longer lift it above encoders a head is trained on.
# 810 with embeddings of sounds served by audio models only (CLAP), not text embedders.
# 814 with SpeechT5 TTS recorded as English and SD 3.5 Large's 8.1B (catalog pass s25).
# 816 once a voice fine-tuned on 500 or more recordings is not held to its base's languages.
# 823 once an encoder base's head is no extra step under a plan that fine-tunes a classifier or
# tagger anyway (task.adaptable): GLiNER and fixed heads no longer lead custom tagging on that alone.
# 933 when fresh52 to fresh57 joined the tuned slices (110 of their 144 on adding).
# 942 once short summaries from many pairs are sized by dedicated summarizers, a text-to-text model
# the plan fine-tunes is no tiny generator, a base far past the training memory costs more, the
# catalog records seq2seq context lengths, biomedical encoders are compared on BLURB and promptable
# mask generators stand back for unattended segmentation (judged on ADE20K, Cityscapes and COCO).
# 1049 when fresh58 to fresh63 joined the tuned slices (107 of their 141 on adding).
# 1056 once a translation architecture (M2M-100) is a translation model whatever its tag, and a card
# naming a macrolanguage member (NLLB's Southern Pashto pbt) covers the macrolanguage (ps).
# 1059 with catalog pass s27 (multilingual and Chinese image-text encoders, MMS voices for Swahili,
# Hausa and four Indic languages, MADLAD-400 7B sizes).
# 1060 once a partial language cover costs nothing extra where the plan teaches the missing languages.
# 1168 when fresh64 to fresh69 joined the tuned slices (108 of their 144 on adding).
# 1171 once a model beyond a dedicated task's sizes (a 4.4B speech LLM for transcription) pays for its
# size at best quality where no comparable published result shows what the size buys.
# 1181 once results outside the top tenth (Phi-4-multimodal's mid-table Open ASR results) do not back
# that size either.
# 1179 with catalog pass s28 (English biomedical encoders, seq2seq summarizers, languages of gpt-oss,
# Gemma 4, Gemma 2 27B and Qwen3-VL 30B): gpt-oss-20b, now known to be English, entered 8B fine-tuning plans.
# 1186 once a plan that fine-tunes a thinking model on input/output pairs pays for wearing its reasoning away.
# 1187 once SuperPoint and LightGlue are image-matching specialists, off the domain of a body-pose spec.
# 1190 once text embedding tasks are sized by their dedicated models (spec.task_model_ample_b reads
# rag_embedder_max_b, 1.5B): a 7B embedder outside the top tenth no longer leads at best quality.
# 1300 once fresh70 to fresh75 joined the tuned slices (110 of their 144 pass).
# 1301 once a captioning model (COCO captioners: BLIP, GIT-COCO, ViT-GPT2) pays where the images hold
# text to be read (handwriting, receipts, OCR).
# 1306 with catalog pass s29 (BART-large XSum's size, BigBird-PEGASUS PubMed's weight file): a
# dedicated summarizer of known size takes third place in short-input summarization top 3s.
# 1312 with sourced sizes for Gemma 3 12B-it, TimesFM 1.0 and 2.0, Canary-1B v2, TrOCR-large stage 1 and
# Depth Anything V2 Base: models of unknown size no longer lose to ones of known size on that alone.
# 1431 once fresh76 to fresh81 joined the tuned slices (119 of their 144 pass).
# 1528 once fresh82 to fresh87 joined the tuned slices (97 of their 142 pass).
# 1533 with catalog pass s31 (head_dim sizes Falcon3-10B's KV cache, which was unknown; XLS-R 1B,
# MMS-1B and Salamandra 7B among the new records the sources accepted).
# 1534 with mT5-XL's size (catalog pass s31, with the tabular and video models).
# 1642 once fresh88 to fresh93 joined the tuned slices (108 of their 144 pass).
# 1644 with Chronos-Bolt's and Chronos-2's remote code known (none) and Chronos-Bolt-Small's successor.
# 1644 also once nineteen libraries' frameworks were in the software table (9 lost, 2 fixed: dots.ocr and SAM 2,
# their frameworks known, rose) and task.document-parser-for-scenes came with them (8 fixed, 1 lost).
# 1643 with Chronos Benchmark II results for five Chronos checkpoints: Chronos-Bolt-Base now leads the
# time-series cases it ties in, and Chronos-Bolt-Small (48M) enters one top 3 whose floor is 50M.
# 1644 once text-to-SQL asks for code models in a specialist domain too (a pharma SQL assistant).
# 1645 once a domain whose words name no specialty (retail, documents) leaves the task's own
# benchmarks (code for text-to-SQL); fresh94 to fresh99 and the older held out unchanged.
# 1750 once fresh94 to fresh99 joined the tuned slices (105 of their 144 pass).
# 1745 once speech encoders (XLS-R, MMS, w2v-BERT) start speech recognizers for named languages
# (4 fixed: languages no ready recognizer covers; 9 lost: w2v-BERT third behind Whisper where it does)
# and KBLab's kb-whisper-small records Swedish.
# 1763 with Whisper's FLEURS word error rates per language (its paper's Table 13, six sizes, 82 languages),
# each column read only for a spec that needs its language: 22 fixed (Chinese, Thai, Hebrew, Estonian,
# Tamil cases among them), 4 lost (w2v-BERT and XLS-R cases where Whisper's useless columns ranked).
# 1765 once error rates in percent compare capped at 100 (no usable transcript past it): Whisper's
# Bengali and Georgian columns, all sizes past 100, no longer put whisper-base above large (2 fixed).
# 1760 with the weight files, weight types and first commits of ten seq2seq summarizers (LED, PEGASUS,
# BigBird-Pegasus, BART-CNN, DistilBART; their Hub listings): sized, pszemraj's LED book summarizer enters
# five top 3s whose sources fine-tuned 1-35B instruct LLMs (5 lost, none fixed).
# 1860 once fresh100 to fresh105 joined the tuned slices (100 of their 143 pass).
# 1861 with task.extractive-for-broad-qa (a SQuAD reader is no broad RAG assistant); 1863 once zero-shot
# classification is judged on NLI and classification sets and a generator under 1B prompted to classify
# costs (task.tiny-prompted-classifier).
# 1960 once fresh106 to fresh111 joined the tuned slices (97 of their 142 pass).
# 1961 once text-to-text generators (mT0, Flan-T5) pay capability.small-for-best at best quality: 2
# translation cases fixed (Latin with NLLB, WHO patient leaflets), 1 lost (Qwen2.5-14B, 14.77B, enters
# third for an insurance translator whose bound is 14B).
# 1964 with capability.small-for-best-hosted: at best quality through a provider's API (no GPUs stated)
# a generator under best_floor_max_b pays as under a large cluster (3 fixed: hosted agents and
# assistants whose sources used 24-30B and larger; none lost).
# 1964 unchanged with task.tiny-prompted-tagger (GLiNER, not FLAN-T5 small, first for German PII; FLAN-T5
# out of a Dutch sports desk's top 3, which still fails on size; an ONNX-only on-device PII masker still
# has FLAN-T5 small first, GLiNER's library not running on ONNX Runtime).
# 2080 once fresh112 to fresh117 joined the tuned slices (116 of their 143 pass).
# 2081 with task.instruct-where-base-asked (spec.asks_base: a spec whose words name a base model or
# continued pre-training): 2 fixed (raw chartering-email drafts, a COBOL code model), 1 lost (Hitachi's
# 70B JP1 agent, where base Qwen2.5-7B now ties 14B for third).
# 2085 once customization.oversized-generator-to-train weighs an MoE's total parameters (fine-tuning holds
# and trains every expert): 10 fixed (30-80B MoE models out of 7-14B fine-tunes), 6 lost; held out 126 -> 125.
# 2086 with the MS MARCO reranking results of five cross-encoders (sentence-transformers docs): a CPU
# reranker under a 100 ms SLA fixed (TinyBERT-L2's bottom results now cost it).
# 2199 once fresh118 to fresh123 joined the tuned slices (113 of their 143 pass).
# 2201 once customization.oversized-generator-to-train spares sizes up to spec.best_floor_b (no size
# between the two rules' bounds went uncharged): 5 fixed, 3 lost, held out unchanged.
# 2203 with strategy.corpus-to-prompt-over (a spec that says it prompts an instruct model over its corpus is
# not offered continued pre-training): 2 fixed (corpus-scale OCR correction, web-page rewriting), none lost.
# 2212 once fine-tuning a text recogniser on 2,000+ transcribed lines of a Latin-script language teaches
# it the language (spec.plan.teaches_languages), so TrOCR's silent card no longer costs task.languages-
# unstated's -0.5: 10 fixed (Swedish, Norwegian, Sami, Latin and Italian hands), 1 lost, held out unchanged.
# 2218 once customization.oversized-generator-to-train spares the 7-8B class (finetune_any_size_b): 6
# fixed (7-8B LoRA fine-tunes of narrow jobs), none lost, held out unchanged.
# 2326 once fresh124 to fresh129 joined the tuned slices (108 of their 143 pass).
# 2327 with strategy.prompting-wastes-a-label-set (a classifier or tagger with 10,000+ labels is not
# offered prompting a model as it is): 1 fixed (Russian brand NER), none lost, held out unchanged.
# 2326 once a training fit with the vocabulary unknown (the loss's memory) is a fit only if the largest
# vocabulary would fit too, else unknown (no unknown counted as a fit): 1 fixed, 2 lost (Command R7B,
# whose real 256k vocabulary the old estimate left out, had been a QLoRA fit), held out unchanged.
# 2437 once fresh130 to fresh135 joined the tuned slices (111 of their 143 pass).
# 2536 once fresh136 to fresh141 joined the tuned slices (99 of their 140 pass).
# 2648 once fresh142 to fresh147 joined the tuned slices (112 of their 143 pass).
# 2649 with 17 more catalog models the tuned scenarios name as acceptable (multilingual DistilBERT,
# Llama 2 chat, Qwen2-72B, QwQ-32B, Mask2Former, ...): 7 fixed, 6 lost (Qwen2-72B-Instruct, whose
# base's terms had been unknown, ranks first or second in four fine-tunes asking for models up to
# 35B), held out unchanged.
# 2644 with 22 more (German, French, historic-multilingual and biomedical encoders, two Whisper checkpoints,
# image classifiers, LLaVA-NeXT, GOT-OCR 2.0, Aya 23, Yi-6B, ...): 5 lost, all handwritten-line
# recognisers for which GOT-OCR 2.0 (image-text-to-text, a card saying only "multilingual") now ranks
# second where the writers asked for image-to-text models; held out unchanged.
# 2643 with the release dates of 18 models that had none (distil-small.en's 2023-12, known recent rather
# than unknown, takes third place for a Raspberry Pi children's recogniser asking a smaller model).
# 2733 once fresh148 to fresh153 joined the tuned slices (90 of their 141 pass).
# 2732 once a writer's example named by another id of the same repository counts as that repository
# (the catalog's new `aliases`: `xlm-roberta-base` is FacebookAI/xlm-roberta-base; ids compared
# case-insensitively, as the Hub does): 1 lost, a Chinese NER source that rules out xlm-roberta-base
# under its legacy id, which had not been matched; held out unchanged.
# 2730 with 28 more catalog models the tuned scenarios name as acceptable (CLAP, Parler-TTS multilingual,
# IndicF5, DETR panoptic, MaskFormer, Deformable DETR, YOLOv10n, MedSAM, Japanese CLIP, CodeBERT MLM,
# Kimi K2, Chronos-Bolt tiny, ...): none fixed, 2 lost (IndicF5 and MedSAM ViT-B, whose sizes no source
# gave, rank third for a Tamil voice and first for zero-shot CT segmentation); held out unchanged.
# 2735 with the sizes of 6 catalog models that had none (Mitra, Nucleotide Transformer v2 100M, Mochi,
# MOSS-Audio-8B from their authors' figures; a SUPERB emotion head and Parler-TTS multilingual from their
# weight files): 5 fixed (two tabular, two DNA and an audio-LLM scenario), none lost; held out unchanged.
# 2737 with IndicF5's languages and TabPFN-Mix's licence from their cards: 2 fixed (tabular scenarios that
# ask commercial use), none lost; held out unchanged.
# 2825 with fresh154 to fresh159 tuned on (88 of 143 on adding, reported at the forty-second stop).
# 2913 with fresh160 to fresh165 tuned on (88 of 143 on adding, reported at the forty-third stop).
# 2923 with clinical specialties and care settings naming medical models (3 fixed, 2 lost), a generator
# tagging entities on CPU costed (2 fixed), and BioClinical ModernBERT and three medical encoders' facts in
# the catalog (9 fixed, 2 lost: retrieval specs whose writers accept no fill-mask base); held out unchanged.
# 3017 with fresh166 to fresh171 tuned on (94 of 144 on adding, reported at the forty-fourth stop).
# 3023 with orthopaedic/preclinical naming medical models (2 fixed), 23 catalog models' sizes (7 fixed, 4
# lost) and the grader reading a writer's `languages: [any]` as no requirement (1 fixed).
# 3024 with task.multilingual-for-one-language and bge-reranker-base's single output recorded (3 fixed, 2
# lost); held out and fresh172 to fresh177 unchanged.
# 3125 with fresh172 to fresh177 tuned on (101 of 144 on adding, reported at the forty-fifth stop).
# 3228 with the grader leaving `variant: base` unjudged for vision, speech, embedding, translation and
# time-series checkpoints (3,125 with --strict-variant).
# 3227 with 33 catalog models writers name (1 fixed, 2 lost); held out -1.
# 3340 with fresh178 to fresh183 tuned on (113 of 144 on adding, reported at the forty-sixth stop).
# 3334 with 48 catalog models writers name (3,287 with the first 29 alone: Bioformer-8L, a 43M biomedical
# encoder, rose into 69 failing top threes, an MMS Telugu voice with no recorded language and the MMS
# language-ID classifiers into others) and capability.small-encoder plus task.languages-to-teach's unknown
# cost (3,334); held out -3.
# 3329 with two of those models sized by their weight files (DistilHuBERT, 23.5M, then ranks second for
# speech emotion, deepfake and proficiency specs: 1 fixed, 6 lost; held out -1). Charging small audio
# encoders as capability.small-encoder charges text ones was tried: 3 fixed, 7 lost (bird-call,
# humpback-song, ship-sonar and music-genre specs), reverted.
# 3445 with fresh184 to fresh189 tuned on (116 of 141 on adding, reported at the forty-seventh stop).
# 3471 with task.zero-shot-tagger-to-train (GLiNER behind fine-tuned encoders when a tagger is trained on
# 500 or more labeled examples: 27 fixed, 1 lost; held out unchanged). Letting labeled clips teach an audio
# classifier the spec's languages was tried: 2 fixed, 3 lost (AudioSet heads with silent cards rose into
# language-ID and reading-assessment specs), reverted; so was charging a translation model's window shorter
# than needs.context_tokens -0.15 instead of -0.6 (7 fixed, 11 lost, held out -1).
# 3593 with fresh190 to fresh195 tuned on (122 of 142 on adding, reported at the forty-eighth stop).
# 3600 with spec.reads_text reading an image spec's own words (2 fixed, 1 lost), 36 catalog models writers
# name (6 fixed, 5 lost with the first 25; 6 fixed, 3 lost with the other 11, the base Qwen2-VL-2B among them;
# held out -1) and task.base-model-for-chat charging base vision-language checkpoints (2 fixed). Charging them
# in task fine-tuning plans too (task.base-for-task-tuning) fixed 4 and lost 3, reverted.
# 3718 with fresh196 to fresh201 tuned on (118 of 140 on adding, reported at the forty-ninth stop).
# 3719 with hardware.below-16bit-unsized (a generator without its shape whose 16-bit weights alone overflow
# the card is charged as a quantized one: 1 fixed, where Aya 101 had led smaller seq2seq models on an L4; none
# lost).
# 3827 with fresh202 to fresh207 tuned on (108 of 126 on adding, reported at the fiftieth stop).
# 3828 with spec.asks_base reading history.tried: continued pre-training that went promising or adequate asks
# for a base checkpoint to go on training (1 fixed, none lost).
# 3931 with fresh208 to fresh213 tuned on (103 of 128 on adding, reported at the fifty-first stop).
# 4033 with fresh214 to fresh219 tuned on (102 of 123 on adding, reported at the fifty-second stop); 4036
# once facebook/mms-tts-tel, whose language no page of its own in reach names, left the catalog.
# 4145 with fresh220 to fresh225 tuned on (109 of 128 on adding, reported at the fifty-third stop); 4146
# once the catalog held audio-to-audio models (twelve speech enhancement, separation and conversion
# checkpoints; before, specs of that task had no candidate).
# 4248 with fresh226 to fresh231 tuned on (102 of 120 after the fifty-fourth stop's catalog change, 101 on adding).
# 4345 with fresh232 to fresh237 tuned on (97 of 118 on adding, reported at the fifty-fifth stop).
# 4458 with fresh238 to fresh243 tuned on (113 of 119 on adding, reported at the fifty-sixth stop).
# 4549 with fresh244 to fresh249 tuned on (91 of 104 on adding, reported at the fifty-seventh stop); 4537
# once the catalog held 28 more models writers named (2 fixed, 14 lost: LightOnOCR-2-1B in eleven, ten of them
# OCR fine-tunes bounded at 1B that its 1.01B just passes, and facebook/mms-tts-kor in three, a voice whose
# languages no source in reach names and whose 36M parameters are under two of their bounds).
# 4632 with fresh250 to fresh255 tuned on (95 of 120 on adding, reported at the fifty-eighth stop); 4635
# once the catalog held 24 more models writers named (5 fixed, 2 lost: a Russian handwriting TrOCR ranked for
# a video describer, a Thai TrOCR of unrecorded size for an English receipt parser); 4636 once captioners and
# OCR models answering a vision-language assistant's questions about scenes were held to the size the task
# calls for.
# 4731 with fresh256 to fresh261 tuned on (95 of 117 on adding, reported at the fifty-ninth stop); 4733 once the
# catalog held 31 more models writers named (8 fixed, all segmentation specs whose top three UperNet
# ConvNeXt-base now joins; 6 lost: Zyphra/ZONOS2, an 8B mixture-of-experts voice of 0.9B active parameters whose
# languages no source in reach names, in five text-to-speech top threes, and that UperNet's 0.12B for a drone
# segmenter bounded at 0.1B).
# 4824 with fresh262 to fresh267 tuned on (91 of 119 on adding, reported at the sixtieth stop); 4827 once
# four single-language Meta MMS voices whose language no page of their own names left the catalog (3 fixed,
# text-to-speech specs whose top three held mms-tts-kor, of 0.04B and unknown languages; none lost); still
# 4827 once the catalog held 34 more models writers named (2 fixed; 2 lost, medical question-answering
# assistants that FreedomIntelligence/Apollo-7B, whose card does not say base or instruct, now leads);
# 4830 once spoken-language identifiers were charged for audio tasks that ask no language (3 fixed: a
# manatee-call detector, sound-event detection and bird-song transfer; none lost).
# 4939 with fresh268 to fresh273 tuned on (109 of 133 on adding, reported at the sixty-first stop); 4943 once
# the catalog held 20 more models writers named (5 fixed, among them Chinese encoders whose top three
# ckiplab/bert-base-chinese now joins; 1 lost: an Indonesian aspect-sentiment spec asking a base encoder, which an
# Indonesian sentiment classifier now leads); 4950 once Zyphra/ZONOS2's languages and four vision and audio
# models' sizes were sourced (15 fixed, among them video, medical segmentation and text-to-speech specs; 8 lost:
# text-to-speech specs whose top three ZONOS2, 8B of which 0.9B are active per token, now joins); 4954 once a
# mixture of experts was charged for the memory its experts hold beside a task's dedicated models (4 fixed, all
# text-to-speech specs, three of the eight above among them; none lost).
# 5064 with fresh274 to fresh279 tuned on (110 of 134 on adding, reported at the sixty-second stop); 5064
# still once the catalog held 20 more models writers named (1 fixed, a humpback-call embedding spec; 1 lost:
# a card-recognition embedding spec whose top three LibreYOLO/librefacerec-l, a face embedder of unknown size,
# now joins).
# 5174 with fresh280 to fresh285 tuned on (110 of 126 on adding, reported at the sixty-third stop); 5175 once
# the catalog held 26 more models writers named (1 fixed, an HS-code nearest-neighbour embedding spec; none lost).
# 5286 with fresh286 to fresh291 tuned on (111 of 128 on adding, reported at the sixty-fourth stop); 5286
# still once the catalog held 14 more models writers named (none fixed, none lost).
# 5404 with fresh292 to fresh297 tuned on (118 of 138 on adding, reported at the sixty-fifth stop); 5412
# once the catalog held 25 more models writers named, SEA-LION v3's old id as an alias and yue beside zh for two
# Cantonese recognisers (11 fixed; 3 lost, Mandarin speech-recognition specs whose top three a distilled Cantonese
# Whisper, tagged zh, now joins).
# 5523 with fresh298 to fresh303 tuned on (111 of 126 on adding, reported at the sixty-sixth stop); 5525
# once the catalog held 20 more models writers named (3 fixed; 1 lost, an on-device PCB defect classifier whose top
# three a facial-expression ViT now joins).
# 5651 with fresh304 to fresh309 tuned on (126 of 142 on adding, reported at the sixty-seventh stop); 5651
# still once the catalog held 22 more models writers named (none fixed, none lost).
# 5772 with fresh310 to fresh315 tuned on (121 of 135 on adding, reported at the sixty-eighth stop); 5775
# once the catalog held 24 more models writers named (3 fixed: two Spanish-Nahuatl translation specs now ranking the
# translators their writers named, and a Portuguese embedded intent classifier whose top three a Portuguese encoder
# joins; none lost).
MODEL_PICK_TUNING_FLOOR = 5775


def test_model_pick_case_studies(capsys):
    results, errors = eval_picks.evaluate("all")
    assert errors == 0 and len(results) >= 40
    tuning = [r for r in results if r["slice"] in eval_picks.TUNED]
    assert sum(r["ok"] for r in tuning) >= MODEL_PICK_TUNING_FLOOR
    with capsys.disabled():
        for name in eval_picks.SLICES:
            part = [r for r in results if r["slice"] == name]
            if part:
                print(f"\nmodel picks {name}: {sum(r['ok'] for r in part)}/{len(part)}")


def test_pick_grading_reads_a_fill_mask_checkpoint_as_a_base_encoder():
    expect = {"variant": "base", "pipeline_tags": ["fill-mask", "text-classification"]}
    encoder = {"id": "x/enc", "pipeline_tag": "fill-mask"}
    tuned_head = {"id": "x/head", "pipeline_tag": "text-classification"}
    instruct = {"id": "x/gen", "pipeline_tag": "text-generation", "variant": "instruct"}
    assert eval_picks.problems(encoder, expect, None) == []
    assert eval_picks.problems(tuned_head, expect, None) == ["x/head: variant None is not base"]
    assert "x/gen: variant instruct is not base" in eval_picks.problems(instruct, expect, None)


def test_pick_grading_leaves_the_variant_of_a_vision_or_speech_checkpoint_unjudged():
    expect = {"variant": "base"}
    detector = {"id": "x/det", "pipeline_tag": "object-detection"}
    audio_head = {"id": "x/emotion", "pipeline_tag": "audio-classification"}
    chat = {"id": "x/vlm", "pipeline_tag": "image-text-to-text", "variant": "instruct"}
    unknown = {"id": "x/vlm2", "pipeline_tag": "image-text-to-text"}
    assert eval_picks.problems(detector, expect, None) == []
    assert eval_picks.problems(detector, expect, None, strict_variant=True) == [
        "x/det: variant None is not base"
    ]
    assert eval_picks.problems(audio_head, expect, None) == ["x/emotion: variant None is not base"]
    assert eval_picks.problems(chat, expect, None) == ["x/vlm: variant instruct is not base"]
    assert eval_picks.problems(unknown, expect, None) == ["x/vlm2: variant None is not base"]
    assert eval_picks.problems(detector, {"variant": "instruct"}, None) == [
        "x/det: variant None is not instruct"
    ]


def test_pick_grading_reads_a_list_of_any_as_no_language_requirement():
    detector = {"id": "x/det", "pipeline_tag": "object-detection"}
    assert eval_picks.problems(detector, {"languages": ["any"]}, None) == []
    assert eval_picks.problems(detector, {"languages": "any"}, None) == []
    assert eval_picks.problems(detector, {"languages": ["en"]}, None) == [
        "x/det: languages unknown"
    ]
