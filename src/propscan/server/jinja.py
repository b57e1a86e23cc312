"""The Jinja2 templates of the pages (autoescaped: article text is always shown as text)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from propscan import __version__
from propscan.render.segments import describe, percent

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["version"] = __version__
templates.env.filters["percent"] = percent
templates.env.filters["technique_name"] = lambda label: describe(label).name
