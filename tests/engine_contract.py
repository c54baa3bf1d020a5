"""The contract every engine must pass. Engine test modules call ``check_engine_contract``
with a ready engine and a manifest it can render; test_engine_contract.py runs it over
every engine installed through entry points that reports itself available."""

from __future__ import annotations

import numpy as np
import pytest

from studioflow.core.orchestrator import build_request
from studioflow.engines import CancelToken, Capabilities, Engine, EngineStatus, ProgressEvent
from studioflow.errors import CancelledError


def check_engine_contract(engine: Engine, manifest: dict, width: int, height: int) -> None:
    assert isinstance(engine, Engine)
    assert isinstance(engine.name, str) and engine.name
    caps = engine.capabilities
    assert isinstance(caps, Capabilities) and caps.label
    assert width % caps.size_multiple == 0 and height % caps.size_multiple == 0
    status = engine.status()
    assert isinstance(status, EngineStatus)
    assert status.available, status.reason

    def request(seed: int, cancel: CancelToken | None = None):
        m = {**manifest, "render": {**manifest["render"], "width": width, "height": height,
                                    "seed": seed, "num_images": 1}}
        return build_request(m, cancel)

    events: list[ProgressEvent] = []
    result = engine.render(request(11), events.append)
    assert len(result.images) == 1
    image = result.images[0]
    assert image.shape == (height, width, 3)
    assert image.dtype == (np.float32 if caps.float_output else np.uint8)
    if image.dtype == np.float32:
        assert float(image.min()) >= 0.0 and float(image.max()) <= 1.0
    # progress: at least one event, steps increase by one up to the total
    assert events, "an engine must report progress"
    assert [e.step for e in events] == list(range(1, len(events) + 1))
    assert all(e.total == events[-1].total for e in events) and events[-1].step == events[-1].total

    if caps.deterministic:
        again = engine.render(request(11)).images[0]
        assert np.array_equal(again, image), "same request and seed must give the same pixels"
        other = engine.render(request(12)).images[0]
        assert not np.array_equal(other, image), "a different seed must give different pixels"

    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        engine.render(request(11, token))
