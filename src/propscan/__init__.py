"""propscan: find propaganda and persuasion techniques in news articles."""

__version__ = "0.1.0"

from propscan.article import Analysis, Article, Span  # noqa: E402
from propscan.errors import PropscanError  # noqa: E402
from propscan.model.bundle import Model, load_model  # noqa: E402
from propscan.pipeline import analyze  # noqa: E402
from propscan.techniques import TECHNIQUES, Technique  # noqa: E402

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
