"""Customization strategies: which way to adapt a model (prompting, RAG, fine-tuning, ...), scored
with the same rule engine as models. `recommend.py` builds and ranks the options; `option.py` is the
thing strategy rules read."""
