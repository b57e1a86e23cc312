"""Several server processes on one port (``propscan serve --workers N``): uvicorn starts each
from the settings the command put in the environment; they share the store, and the cores."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from propscan.cores import available_cores
from propscan.server import service
from propscan.server.app import create_app
from propscan.server.settings import Settings

SETTINGS_VARIABLE = "PROPSCAN_SERVE_SETTINGS"
APP_FACTORY = "propscan.server.workers:app_from_environment"


def lanes_of(workers: int) -> int:
    """Articles each of ``workers`` processes analyses at once: the cores shared out."""
    return max(1, available_cores() // workers)


def settings_json(settings: Settings, lanes: int) -> str:
    """The settings (and lanes per process) for the worker processes, as JSON."""
    data: dict[str, Any] = asdict(settings)
    data["model_dir"] = str(settings.model_dir) if settings.model_dir else None
    return json.dumps({"settings": data, "lanes": lanes})


def app_from_environment() -> FastAPI:
    """The app of one worker process, from ``$PROPSCAN_SERVE_SETTINGS``."""
    data = json.loads(os.environ[SETTINGS_VARIABLE])
    given = data["settings"]
    given["model_dir"] = Path(given["model_dir"]) if given["model_dir"] else None
    given["allowed_hosts"] = tuple(given["allowed_hosts"])
    service.use_lanes(int(data["lanes"]))
    return create_app(Settings(**given))
