"""propscan: find propaganda and persuasion techniques in news articles."""

__version__ = "0.2.1"

from propscan.article import Analysis, Article, Span
from propscan.errors import PropscanError
from propscan.model.bundle import Model, load_model
from propscan.pipeline import analyze
from propscan.techniques import TECHNIQUES, Technique

__all__ = [
    "TECHNIQUES",
    "Analysis",
    "Article",
    "Model",
    "PropscanError",
    "Span",
    "Technique",
    "__version__",
    "analyze",
    "load_model",
]
