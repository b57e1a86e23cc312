"""The web app: a REST API and pages over the pipeline and the corpus store (``propscan serve``)."""

from propscan.server.app import create_app
from propscan.server.settings import Settings

__all__ = ["Settings", "create_app"]
