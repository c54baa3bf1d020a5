"""The comfyui engine against a real ComfyUI server (see comfyui_server.py), plus the shipped
FIBO templates checked against the node definitions they were written for."""

from __future__ import annotations

import io
import json
import socket
import threading
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import service_missing
from engine_contract import check_engine_contract
from manifests import minimal_manifest
from studioflow.core.controls import apply_controls
from studioflow.core.orchestrator import build_request
from studioflow.engines import CancelToken
from studioflow.engines.comfyui.client import ComfyUIClient, RejectedGraphError
from studioflow.engines.comfyui.engine_comfyui import ComfyUIEngine, ComfyUISettings
from studioflow.engines.comfyui.workflow import (
    BUILTIN,
    PLACEHOLDER,
    PLACEHOLDERS,
    check_graph,
    is_link,
    load_template,
    parse_template,
)
from studioflow.engines.fibo.prompt import serialize
from studioflow.errors import CancelledError, ConfigError, EngineError, UnsupportedError

DATA = Path(__file__).parent / "data" / "comfyui"
MODELFREE = json.loads((DATA / "modelfree.json").read_text())
BG, SQUARE = 0xCC, 0x00  # EmptyImage colours 0x333333 and 0xFFFFFF after ImageInvert


# -- the shipped FIBO templates (no server) ------------------------------------------------

DEFINITIONS = json.loads((DATA / "fibo_node_definitions.json").read_text())["nodes"]
SAMPLE_VALUES = {"fibo_json": '{"short_description":"a bottle"}', "negative_prompt": "",
                 "seed": 7, "steps": 50, "guidance": 5.0, "width": 896, "height": 1120,
                 "aspect_ratio": "4:5", "batch_size": 1, "filename_prefix": "studioflow/x",
                 "input_image": "in.png", "bria_api_token": "token"}


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_shipped_template_matches_the_nodes_it_was_written_for(name):
    template = load_template(name)  # parses, and rejects dangling links and bad placeholders
    assert {"fibo_json", "seed", "filename_prefix"} <= template.placeholders <= set(PLACEHOLDERS)
    graph, filled = template.fill(SAMPLE_VALUES)
    assert not PLACEHOLDER.search(json.dumps(graph)), "every placeholder is filled"
    assert all(graph[n]["inputs"][i] is not None for n, i in filled)
    for node_id, node in graph.items():
        for value in node["inputs"].values():
            if is_link(value):
                assert value[0] in graph, f"node {node_id} links to missing node {value[0]}"
    problems = check_graph(graph, DEFINITIONS, filled)
    assert problems == [], [str(p.detail) for p in problems]


def test_fibo2_template_sends_the_caption_and_sizes_to_the_text_encoder():
    graph, _ = load_template("fibo2_native").fill(SAMPLE_VALUES)
    encoder = next(n for n in graph.values() if n["class_type"] == "TextEncodeFibo2")
    assert encoder["inputs"]["prompt"] == SAMPLE_VALUES["fibo_json"]
    assert (encoder["inputs"]["width"], encoder["inputs"]["height"]) == (896, 1120)
    sampler = next(n for n in graph.values() if n["class_type"] == "KSampler")
    assert (sampler["inputs"]["seed"], sampler["inputs"]["steps"]) == (7, 50)


def test_check_graph_names_node_and_input():
    graph, filled = load_template("fibo_bria_api").fill({**SAMPLE_VALUES, "steps": 8})
    graph["2"]["inputs"]["filename_prefixx"] = graph["2"]["inputs"].pop("filename_prefix")
    problems = {str(p.detail): p.from_request for p in check_graph(graph, DEFINITIONS, filled)}
    assert problems == {
        "$['1'].inputs.steps_num: node 1 (GenerateImageNodeV2): input 'steps_num' is 8, "
        "below the node's minimum 20": True,
        "$['2'].inputs.filename_prefix: node 2 (SaveImage): missing required input "
        "'filename_prefix'": False,
        "$['2'].inputs.filename_prefixx: node 2 (SaveImage): unknown input 'filename_prefixx'; "
        "it takes extra_pnginfo, filename_prefix, images, prompt": False}


def test_template_problems_are_reported_at_load():
    bad = {"1": {"class_type": "SaveImage", "inputs": {"images": ["9", 0],
                                                       "filename_prefix": "{{nope}}"}}}
    with pytest.raises(ConfigError) as err:
        parse_template("bad", json.dumps(bad).encode())
    assert [str(d) for d in err.value.details] == [
        "$['1'].inputs.images: links to node '9', which is not in the graph",
        "$['1'].inputs.filename_prefix: unknown placeholder {{nope}}; known: "
        + ", ".join(sorted(PLACEHOLDERS)),
        "$: the template must use {{fibo_json}}"]


def test_typed_and_embedded_placeholders():
    template = parse_template("t", json.dumps({"1": {"class_type": "X", "inputs": {
        "seed": "{{seed}}", "caption": "{{ fibo_json }}", "name": "run-{{seed}}-{{width}}"}}}
    ).encode())
    graph, filled = template.fill({**SAMPLE_VALUES, "seed": 42})
    assert graph["1"]["inputs"] == {"seed": 42, "caption": SAMPLE_VALUES["fibo_json"],
                                    "name": "run-42-896"}
    assert filled == {("1", "seed"), ("1", "caption"), ("1", "name")}


# -- settings and status without a server --------------------------------------------------

def engine_for(url: str | None, workflow: str | Path = DATA / "modelfree.json",
               **settings) -> ComfyUIEngine:
    return ComfyUIEngine(ComfyUISettings(url=url, workflow=str(workflow), **settings))


def test_not_configured_without_url():
    status = engine_for(None).status()
    assert (status.installed, status.configured, status.available) == (True, False, False)
    assert "STUDIOFLOW_COMFYUI_URL" in status.reason


def test_unknown_template_is_a_configuration_problem():
    status = engine_for("http://127.0.0.1:1", workflow="no_such_template").status()
    assert not status.configured and "no_such_template" in status.reason


def test_closed_port_is_unavailable_and_render_says_so():
    with socket.socket() as sock:  # a port that was free a moment ago refuses connections
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = engine_for(f"http://127.0.0.1:{port}")
    status = engine.status()
    assert status.configured and not status.available
    assert f"127.0.0.1:{port}" in status.reason
    with pytest.raises(EngineError, match="cannot reach ComfyUI"):
        engine.render(request_for())


def test_silent_server_times_out_quickly():
    with socket.socket() as sock:  # accepts connections (kernel backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        engine = engine_for(f"http://127.0.0.1:{sock.getsockname()[1]}", status_timeout=0.5)
        status = engine.status()
    assert not status.available and "did not answer within 0.5 s" in status.reason


# -- against the real server ---------------------------------------------------------------

@pytest.fixture(scope="session")
def comfyui(tmp_path_factory):
    import comfyui_server

    try:
        python, root = comfyui_server.install()
        server = comfyui_server.start(python, root, tmp_path_factory.mktemp("comfyui"))
    except comfyui_server.ServerUnavailable as exc:
        service_missing("ComfyUI test server", str(exc))
    yield server
    server.stop()


def request_for(seed: int = 11, width: int = 128, height: int = 96, cancel=None, **render):
    manifest = minimal_manifest(engine="comfyui", width=width, height=height, seed=seed,
                                **render)
    return build_request(apply_controls(manifest), cancel)


def graph_file(tmp_path: Path, graph: dict, name: str = "graph") -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(graph))
    return path


def slow_graph(seconds_per_step: float) -> dict:
    graph = json.loads(json.dumps(MODELFREE))
    graph["4"]["inputs"]["seconds_per_step"] = seconds_per_step
    return graph


def history(server) -> dict:
    with urllib.request.urlopen(server.url + "/history") as answer:
        return json.load(answer)


def test_render_follows_the_prompt_to_its_images(comfyui):
    engine = engine_for(comfyui.url)
    assert engine.status().available
    events = []
    result = engine.render(request_for(seed=11, steps=5), events.append)

    image = result.images[0]
    assert image.shape == (96, 128, 3) and image.dtype == np.uint8
    assert (image[0, 0] == BG).all() and (image[95, 127] == BG).all()
    assert (image[8:24, 11:27] == SQUARE).all(), "the 16 px square sits at x=seed, y=8"
    assert (image[8:24, 27] == BG).all() and (image[8:24, 10] == BG).all()
    # one step per node (6) plus the 5 sampling steps, the sampler's ticks among them
    assert [e.step for e in events] == list(range(1, 12)) and {e.total for e in events} == {11}
    assert any("StudioFlowFakeSampler" in e.message and "/5" in e.message for e in events)

    meta = result.metadata
    entry = history(comfyui)[meta["prompt_id"]]
    sent = entry["prompt"][2]
    assert sent["4"]["inputs"]["caption"] == serialize(request_for().fibo)
    assert sent["6"]["inputs"]["filename_prefix"] == f"studioflow/{meta['client_id']}"
    assert (comfyui.output_dir / meta["outputs"][0]).is_file()
    assert meta["server_url"] == comfyui.url and meta["template"] == "modelfree"
    assert meta["template_sha256"] == load_template(str(DATA / "modelfree.json")).digest
    assert result.steps == 5


def test_batch_gives_every_image_and_seeds_move_the_square(comfyui):
    engine = engine_for(comfyui.url)
    assert engine.capabilities.max_images > 1  # the template maps {{batch_size}}
    two = engine.render(request_for(seed=40, num_images=2)).images
    assert len(two) == 2 and all((img[8:24, 40:56] == SQUARE).all() for img in two)
    assert (two[0][8:24, 11:27] == BG).all()


def test_uploaded_input_image_reaches_load_image(comfyui, tmp_path):
    pixels = np.zeros((64, 80, 3), dtype=np.uint8)
    pixels[:, :40] = (200, 30, 10)
    pixels[:, 40:] = (10, 90, 250)
    source = tmp_path / "product.png"
    Image.fromarray(pixels).save(source)
    graph = {"1": {"class_type": "LoadImage", "inputs": {"image": "{{input_image}}"}},
             "2": {"class_type": "StudioFlowFakeSampler",
                   "inputs": {"image": ["1", 0], "caption": "{{fibo_json}}", "steps": 1,
                              "seconds_per_step": 0.0}},
             "3": {"class_type": "SaveImage",
                   "inputs": {"images": ["2", 0], "filename_prefix": "{{filename_prefix}}"}}}
    engine = engine_for(comfyui.url, graph_file(tmp_path, graph), input_image=source)
    result = engine.render(request_for(width=80, height=64))
    assert np.array_equal(result.images[0], pixels)
    assert list((comfyui.work / "input").glob("studioflow_*.png"))


def test_graph_is_checked_against_the_server_before_submitting(comfyui, tmp_path):
    graph = json.loads(json.dumps(MODELFREE))
    graph["5"]["class_type"] = "ImageInvertPlus"
    graph["1"]["inputs"]["colour"] = graph["1"]["inputs"].pop("color")
    graph["3"]["inputs"]["source"] = ["2", 3]
    engine = engine_for(comfyui.url, graph_file(tmp_path, graph))
    before = set(history(comfyui))
    with pytest.raises(ConfigError) as err:
        engine.render(request_for())
    assert [str(d) for d in err.value.details] == [
        "$['1'].inputs.color: node 1 (EmptyImage): missing required input 'color'",
        "$['1'].inputs.colour: node 1 (EmptyImage): unknown input 'colour'; it takes "
        "batch_size, color, height, width",
        "$['3'].inputs.source: node 3 (ImageCompositeMasked): input 'source' links to output "
        "3 of node 2 (EmptyImage), which has 1 outputs",
        "$['5'].class_type: node 5: unknown node class 'ImageInvertPlus' on this server "
        "(is its custom node package installed?)"]
    assert set(history(comfyui)) == before, "nothing was submitted"


def test_request_outside_the_nodes_ranges_is_unsupported(comfyui):
    with pytest.raises(UnsupportedError) as err:
        engine_for(comfyui.url).render(request_for(seed=9000))
    assert [str(d) for d in err.value.details] == [
        "$['3'].inputs.x: node 3 (ImageCompositeMasked): input 'x' is 9000, above the node's "
        "maximum 8192"]


def test_server_validation_errors_name_node_and_input(comfyui):
    graph = {"1": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8,
                                                          "batch_size": 1}},
             "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0],
                                                         "filename_prefix": "x"}}}
    with pytest.raises(RejectedGraphError) as err:
        ComfyUIClient(comfyui.url).submit(graph, "test-client", "p1")
    assert "Prompt outputs failed validation" in err.value.message
    assert any(d.path == "$['1'].inputs.color" and "node 1 (EmptyImage)" in d.message
               and "Required input is missing" in d.message for d in err.value.details)


def test_runtime_error_names_node_class_and_message(comfyui, tmp_path):
    graph = {"1": {"class_type": "CheckpointLoaderSimple",
                   "inputs": {"ckpt_name": "garbage.safetensors"}},
             "2": {"class_type": "EmptyLatentImage",
                   "inputs": {"width": "{{width}}", "height": "{{height}}", "batch_size": 1}},
             "3": {"class_type": "VAEDecode", "inputs": {"samples": ["2", 0], "vae": ["1", 2]}},
             "4": {"class_type": "StudioFlowFakeSampler",
                   "inputs": {"image": ["3", 0], "caption": "{{fibo_json}}", "steps": 1,
                              "seconds_per_step": 0.0}},
             "5": {"class_type": "SaveImage",
                   "inputs": {"images": ["4", 0], "filename_prefix": "{{filename_prefix}}"}}}
    engine = engine_for(comfyui.url, graph_file(tmp_path, graph))
    with pytest.raises(EngineError) as err:
        engine.render(request_for())
    message = err.value.message
    assert message.startswith("ComfyUI failed in node 1 (CheckpointLoaderSimple): ")
    assert len(message) > len("ComfyUI failed in node 1 (CheckpointLoaderSimple): ") + 5
    assert err.value.details[0].path == "$['1']"


def test_blank_or_missized_images_are_failed_items(comfyui, tmp_path):
    blank = {"1": {"class_type": "EmptyImage", "inputs": {"width": 512, "height": 512,
                                                          "batch_size": 1, "color": 0}},
             "2": {"class_type": "StudioFlowFakeSampler",
                   "inputs": {"image": ["1", 0], "caption": "{{fibo_json}}", "steps": 1,
                              "seconds_per_step": 0.0}},
             "3": {"class_type": "SaveImage",
                   "inputs": {"images": ["2", 0], "filename_prefix": "{{filename_prefix}}"}}}
    with pytest.raises(EngineError, match="single flat colour"):
        engine_for(comfyui.url, graph_file(tmp_path, blank, "blank")).render(
            request_for(width=128, height=128))
    swapped = json.loads(json.dumps(MODELFREE))
    swapped["1"]["inputs"].update(width="{{height}}", height="{{width}}")
    with pytest.raises(EngineError, match="is 96x128, not the requested 128x96"):
        engine_for(comfyui.url, graph_file(tmp_path, swapped, "swapped")).render(request_for())


def test_cancel_interrupts_the_running_prompt(comfyui, tmp_path):
    engine = engine_for(comfyui.url, graph_file(tmp_path, slow_graph(0.25)))
    token = CancelToken()
    events = []

    def on_progress(event):
        events.append(event)
        if "/40" in event.message:  # the sampler is running: cancel from here
            token.cancel()

    before = set(history(comfyui))
    with pytest.raises(CancelledError):
        engine.render(request_for(cancel=token, steps=40), on_progress)
    (prompt_id,) = set(history(comfyui)) - before
    entry = history(comfyui)[prompt_id]
    assert [m[0] for m in entry["status"]["messages"]][-1] == "execution_interrupted"
    assert entry["outputs"] == {}, "the image was never saved"


def test_cancel_while_queued_deletes_only_our_prompt(comfyui, tmp_path):
    client = ComfyUIClient(comfyui.url)
    blocker_graph, _ = parse_template("blocker", json.dumps(slow_graph(0.25)).encode()) \
        .fill({**SAMPLE_VALUES, "fibo_json": serialize(request_for().fibo), "width": 64,
               "height": 64, "steps": 12})
    blocker = client.submit(blocker_graph, "someone-else", "b1")
    token = CancelToken()
    timer = threading.Timer(1.0, token.cancel)
    before = set(history(comfyui))
    timer.start()
    try:
        with pytest.raises(CancelledError, match="before ComfyUI started it"):
            engine_for(comfyui.url).render(request_for(cancel=token))
    finally:
        timer.cancel()
    entry = None
    for _ in range(100):  # the blocker runs on, untouched
        entry = client.history(blocker)
        if entry:
            break
        threading.Event().wait(0.2)
    assert entry["status"]["status_str"] == "success" and entry["outputs"]
    assert set(history(comfyui)) - before == {blocker}, "our prompt never ran"


def test_overall_timeout_stops_the_prompt(comfyui, tmp_path):
    engine = engine_for(comfyui.url, graph_file(tmp_path, slow_graph(0.25)), timeout=1.5)
    before = set(history(comfyui))
    with pytest.raises(EngineError, match="did not finish within 1.5 s"):
        engine.render(request_for(steps=40))
    client = ComfyUIClient(comfyui.url)
    for _ in range(100):
        new = set(history(comfyui)) - before
        if new:
            break
        threading.Event().wait(0.1)
    (prompt_id,) = new
    assert client.history(prompt_id)["status"]["messages"][-1][0] == "execution_interrupted"


def test_engine_contract_on_the_real_server(comfyui):
    engine = engine_for(comfyui.url)
    manifest = apply_controls(minimal_manifest(engine="comfyui"))
    check_engine_contract(engine, manifest, width=128, height=96)


def test_view_returns_the_saved_png(comfyui):
    result = engine_for(comfyui.url).render(request_for(seed=3))
    subfolder, filename = result.metadata["outputs"][0].rsplit("/", 1)
    from studioflow.engines.comfyui.client import ImageRef

    data = ComfyUIClient(comfyui.url).view(ImageRef(filename, subfolder))
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")),
                          result.images[0])


def test_a_dropped_websocket_falls_back_to_the_history(comfyui, monkeypatch):
    opened = ComfyUIClient.events

    def closed_at_once(self, client_id):
        stream = opened(self, client_id)
        stream.close()
        return stream

    monkeypatch.setattr(ComfyUIClient, "events", closed_at_once)
    events = []
    result = engine_for(comfyui.url).render(request_for(seed=20), events.append)
    assert (result.images[0][8:24, 20:36] == SQUARE).all()
    assert [e.step for e in events] == list(range(1, events[-1].total + 1))


def test_url_without_scheme_is_a_configuration_problem():
    status = engine_for("gpu-box:8188").status()
    assert not status.configured and "http://" in status.reason
