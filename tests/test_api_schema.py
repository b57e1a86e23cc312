"""Schemathesis against /openapi.json: no request it can make gets a 500 or an undocumented
answer (bounded: a few examples per operation; raise MAX_EXAMPLES for a longer search)."""

from __future__ import annotations

import os
import tempfile

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import FakeClassifier, FakeTagger
from propscan.model.bundle import Model
from propscan.server import Settings, create_app
from propscan.server.deps import get_fetcher, get_model
from propscan.server.fetch import Fetcher

MAX_EXAMPLES = int(os.environ.get("PROPSCAN_SCHEMA_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def make_app() -> FastAPI:
    """The app with a fake model, a new store and a web where every page is missing."""
    db = f"sqlite:///{tempfile.mkdtemp(prefix='propscan-schema-')}/corpus.db"
    app = create_app(Settings(db=db, max_bytes=20_000, allowed_hosts=("*",)))
    model = Model(name="fake", tagger=FakeTagger(["corrupt elites"]), classifier=FakeClassifier())
    app.dependency_overrides[get_model] = lambda: model
    nowhere = httpx.MockTransport(lambda _: httpx.Response(404))
    app.dependency_overrides[get_fetcher] = lambda: Fetcher(
        max_bytes=20_000, timeout=1, transport=nowhere
    )
    return app


schema = schemathesis.openapi.from_asgi("/openapi.json", make_app())


@pytest.mark.issue(10)
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_500_or_an_undocumented_answer(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
