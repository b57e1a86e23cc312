"""The transformer-onnx model family: a fine-tuned encoder run by ONNX Runtime (no torch)."""
