"""Property-based tests of the whole API from its own OpenAPI document (schemathesis, in
process, no network): no 5xx for anything a client can send, and every response (errors
included) conforms to what the document declares."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable

from api_support import make_app, slow_manifest

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
MIN_REQUESTS = 500


@pytest.fixture
def api(settings):
    """An app without workers (nothing renders), holding one render and one finished job,
    so that routes with ids also answer 200 and not only 404."""
    from fastapi.testclient import TestClient

    app = make_app(settings, workers=0, max_queued=10_000)
    studio = app.state.studio
    render = studio.render(slow_manifest(1))
    child = studio.rerender(render.id)
    with TestClient(app) as client:
        job_id = client.post("/v1/renders", json={"manifest": slow_manifest(2)}).json()["job_id"]
        client.delete(f"/v1/jobs/{job_id}")  # finished: its event stream ends at once
    batch_id = finished_batch(app)
    known = {"render_id": render.id, "a": render.id, "b": child.id, "job_id": job_id,
             "batch_id": batch_id}
    return app, known


def finished_batch(app) -> str:
    """A completed batch (rendered here, as the CLI does): nothing re-opens it, so its event
    stream ends at once, also after a resume."""
    from studioflow.batch import open_batch_stores
    from studioflow.batch.csv_reader import parse_csv
    from studioflow.batch.planner import BatchOptions, Planner
    from studioflow.batch.runner import BatchRunner

    studio = app.state.studio
    batches, templates = open_batch_stores(studio.settings)
    plan = Planner(studio, templates, BatchOptions(engine="slow", width=64, height=64)).plan(
        parse_csv(b"sku,prompt\nA,mug\nB,\n"))
    batch = batches.create(plan.items, options={}, issues=plan.issues, total_rows=plan.rows,
                           source="c.csv", mode="cli")
    BatchRunner(studio, batches).run(batch.id)
    return batch.id


def run_operation(operation, mode, path_parameters, examples, counter) -> None:
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    @hypothesis_settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(HealthCheck))
    def check(case):
        counter.append(1)
        case.call_and_validate(checks=CHECKS if path_parameters else checks)

    try:
        check()
    except Unsatisfiable:  # nothing to make invalid: an operation without any input
        assert mode is GenerationMode.NEGATIVE


def test_the_api_honours_its_openapi_document(api):
    app, known = api
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    runs = []
    for op in operations:
        names = {p.name for p in op.path_parameters}
        runs.append((op, GenerationMode.POSITIVE, None))
        runs.append((op, GenerationMode.NEGATIVE, None))
        if names:  # again with ids that exist
            runs.append((op, GenerationMode.POSITIVE, {n: known[n] for n in names}))
    examples = math.ceil(2 * MIN_REQUESTS / len(runs))
    sent: list[int] = []
    for op, mode, path_parameters in runs:
        run_operation(op, mode, path_parameters, examples, sent)
    assert len(sent) >= MIN_REQUESTS
