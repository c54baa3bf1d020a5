"""Render submissions (checked before queueing), history, images, lineage, diff, backpressure."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api_support import assert_error, make_app, slow_factory, slow_manifest, wait_for
from manifests import manifest_with_controls
from studioflow.core.studio import pixels_digest
from studioflow.export.png import decode_png, read_metadata


@pytest.fixture
def app(settings):
    app = make_app(settings, workers=1, steps=2, delay=0)
    app.state.studio.engines.add("offline", slow_factory(available=False))
    return app


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


def render(client, **body) -> dict:
    response = client.post("/v1/renders", json=body)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert response.headers["location"] == accepted["links"]["job"]
    job = wait_for(client, accepted["job_id"])
    assert job["status"] == "succeeded", job
    return client.get(f"/v1/renders/{job['render_id']}").json()


def job_count(client) -> int:
    return sum(client.get("/healthz").json()["jobs"].values())


def test_prompt_render_end_to_end(client):
    record = render(client, prompt="a perfume bottle on white marble", width=128, height=128,
                    seed=11)
    assert record["prompt"] == "a perfume bottle on white marble"
    assert record["translator"] == "rules" and record["engine_label"] == "preview"
    assert (record["seed"], record["width"], record["height"]) == (11, 128, 128)
    assert record["job_id"] and record["manifest"]["render"]["seed"] == 11
    image = record["images"][0]
    response = client.get(image["url"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["etag"] == f'"{image["sha256"]}"'
    assert "immutable" in response.headers["cache-control"]
    assert pixels_digest(decode_png(response.content)) == image["sha256"]
    assert read_metadata(response.content)["render_id"] == record["id"]
    again = client.get(image["url"], headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304 and not again.content
    assert_error(client.get(f"/v1/renders/{record['id']}/image", params={"index": 3}),
                 404, "not_found", "query.index")


def test_manifest_render_with_overrides(client):
    record = render(client, manifest=manifest_with_controls(seed=3), num_images=2, seed=4)
    assert record["seed"] == 4 and [i["index"] for i in record["images"]] == [0, 1]
    assert record["prompt"] is None
    assert client.get(f"/v1/renders/{record['id'][:8]}").json()["id"] == record["id"]


@pytest.mark.parametrize("body,status,code,path", [
    ({"manifest": manifest_with_controls(), "width": 100}, 422, "invalid_manifest",
     "$.render.width"),
    ({"manifest": {"schema_version": "1.0", "fibo": 5}}, 422, "invalid_manifest", "$.fibo"),
    ({"manifest": slow_manifest(), "engine": "nope"}, 422, "invalid_manifest",
     "$.render.engine"),
    ({"manifest": slow_manifest(), "engine": "offline"}, 503, "not_configured",
     "$.render.engine"),
    ({"prompt": "a mug", "seed": -1}, 422, "invalid_request", "$.seed"),
    ({"prompt": "a mug", "manifest": slow_manifest()}, 422, "invalid_input", "$"),
    ({}, 422, "invalid_input", "$"),
    ({"prompt": ""}, 422, "invalid_prompt", "prompt"),
    ({"prompt": "a mug", "sized": 3}, 422, "invalid_request", "$.sized"),
])
def test_bad_submissions_are_refused_before_anything_is_queued(client, body, status, code,
                                                               path):
    assert_error(client.post("/v1/renders", json=body), status, code, path)
    assert job_count(client) == 0


def test_refine_and_rerender(client):
    parent = render(client, manifest=manifest_with_controls(seed=5))
    response = client.post(f"/v1/renders/{parent['id']}/refine",
                           json={"instruction": "make the key light come from the right"})
    assert response.status_code == 202, response.text
    child = client.get(f"/v1/renders/{wait_for(client, response.json()['job_id'])['render_id']}"
                       ).json()
    assert child["parent_id"] == parent["id"] and child["seed"] == 5
    assert "right" in child["manifest"]["fibo"]["lighting"]["direction"]
    response = client.post(f"/v1/renders/{parent['id']}/rerender")
    assert response.status_code == 202 and response.json()["kind"] == "rerender"
    copy = client.get(f"/v1/renders/{wait_for(client, response.json()['job_id'])['render_id']}"
                      ).json()
    assert copy["images"][0]["sha256"] == parent["images"][0]["sha256"]

    tree = client.get(f"/v1/renders/{child['id']}/lineage").json()
    assert tree["id"] == parent["id"]
    assert {c["id"] for c in tree["children"]} == {child["id"], copy["id"]}
    changes = client.get(f"/v1/renders/{parent['id']}/diff/{child['id']}").json()
    assert "$.fibo.lighting.direction" in {c["path"] for c in changes}
    assert all(c["kind"] in ("added", "removed", "changed") for c in changes)
    assert client.get(f"/v1/renders/{parent['id']}/diff/{copy['id']}").json() == []

    unknown = "0" * 26
    assert_error(client.post(f"/v1/renders/{unknown}/refine", json={"instruction": "x"}),
                 404, "not_found")
    assert_error(client.post(f"/v1/renders/{unknown}/rerender"), 404, "not_found")
    assert_error(client.post(f"/v1/renders/{parent['id']}/refine", json={"instruction": " "}),
                 422, "invalid_prompt", "instruction")
    for path in ("", "/lineage", f"/diff/{parent['id']}"):
        assert_error(client.get(f"/v1/renders/{unknown}{path}"), 404, "not_found")


def test_history_pages_and_filters(client):
    ids = []
    for seed in range(3):
        m = slow_manifest(seed)
        m["product"] = {"sku": "SKU-1" if seed < 2 else "SKU-2", "name": f"bottle {seed}"}
        ids.append(render(client, manifest=m)["id"])
    first = client.get("/v1/renders", params={"limit": 2}).json()
    assert [r["id"] for r in first["items"]] == ids[::-1][:2]
    second = client.get("/v1/renders", params={"limit": 2, "cursor": first["next_cursor"]}
                        ).json()
    assert [r["id"] for r in second["items"]] == [ids[0]] and second["next_cursor"] is None
    by_sku = client.get("/v1/renders", params={"sku": "SKU-1"}).json()["items"]
    assert sorted(r["id"] for r in by_sku) == sorted(ids[:2])
    assert [r["id"] for r in client.get("/v1/renders", params={"q": "bottle 2"}
                                        ).json()["items"]] == [ids[2]]
    assert_error(client.get("/v1/renders", params={"cursor": "not a cursor!"}), 400,
                 "invalid_input", "cursor")


def test_a_full_queue_answers_429_with_retry_after(settings):
    app = make_app(settings, workers=0, max_queued=2)
    with TestClient(app) as client:
        for seed in range(2):
            assert client.post("/v1/renders", json={"manifest": slow_manifest(seed)}
                               ).status_code == 202
        response = client.post("/v1/renders", json={"manifest": slow_manifest(9)})
        assert_error(response, 429, "queue_full")
        assert int(response.headers["retry-after"]) >= 1
        assert client.get("/healthz").json()["jobs"] == {"queued": 2}
