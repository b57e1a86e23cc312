"""One ONNX network of a model folder and its tokenizer, opened on first use.

A model that only some texts are routed to (the multilingual model, for an English user) then
costs no load time and no memory until such a text comes.
"""

from __future__ import annotations

import os
import threading
from functools import cached_property
from pathlib import Path

import onnxruntime as ort
from tokenizers import Tokenizer

from propscan.errors import ModelNotFound
from propscan.model import THREADS_VARIABLE
from propscan.model.transformer.text import Specials, load_tokenizer


def open_session(path: Path, threads: int | None = None) -> ort.InferenceSession:
    """An ONNX Runtime CPU session using ``threads`` cores (default: ``$PROPSCAN_THREADS``, else
    1). One thread per run is the fastest use of the cores here: on 2 cores, one article at a
    time runs at 11.0 articles/s with 1 thread and 9.6 with 2, and two articles at once with 1
    thread each at 20 (RESULTS.md); ``pipeline.analyze_many`` analyses several at once."""
    options = ort.SessionOptions()
    default = int(os.environ.get(THREADS_VARIABLE) or 1)
    options.intra_op_num_threads = threads or default
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Inputs change shape with every text: cached memory plans and an arena only hold memory
    # (75 articles, two at once: peak 559 MB without them, 599 MB with, at the same speed).
    options.enable_mem_pattern = False
    options.enable_cpu_mem_arena = False
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own pybind exception types
        raise ModelNotFound(f"{path}: cannot load the ONNX model ({error})") from error


class OnnxNetwork:
    """The files of one network: checked when the model loads, read when first used."""

    def __init__(self, model_path: Path, tokenizer_path: Path, threads: int | None) -> None:
        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise ModelNotFound(f"{path}: missing from the model folder")
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._threads = threads
        self._opening = threading.Lock()

    @cached_property
    def tokenizer(self) -> Tokenizer:
        """The word-piece tokenizer (truncation and padding off)."""
        with self._opening:
            return load_tokenizer(self._tokenizer_path)

    @cached_property
    def specials(self) -> Specials:
        """The ids of the tokenizer's special pieces."""
        return Specials.of(self.tokenizer)

    @cached_property
    def session(self) -> ort.InferenceSession:
        """The ONNX Runtime session."""
        with self._opening:
            return open_session(self._model_path, self._threads)
