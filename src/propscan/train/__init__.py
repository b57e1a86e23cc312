"""Training and held-out evaluation of both model families.

- ``evaluation``: article folds, held-out predictions and SemEval scores (shared).
- ``linear``: the crf-linear recipe and its cross-validation (scikit-learn, python-crfsuite).
- ``transformer``: the transformer-onnx recipe (needs the ``train`` extra: torch, transformers,
  onnx), with ``si`` (span tagger), ``tc`` (technique classifier), ``_loop`` (fine-tuning),
  ``export`` (ONNX and int8), ``tuning`` (decodings) and ``transformer_cv`` (nested k-fold CV);
  ``tc_cv`` cross-validates the classifier alone, and ``repetition_decider`` fits and scores
  its decision rules on those out-of-fold rows (scikit-learn only).

Nothing is imported here, so the crf-linear recipe works without torch.
"""
