"""Every engine passes the same contract: the ones available out of the box here, and each
installed engine in its own test module (with its own tiny model, server or fake API)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine_contract import check_engine_contract
from manifests import manifest_with_controls, minimal_manifest
from studioflow.core.config import Settings
from studioflow.core.controls import apply_controls
from studioflow.engines import EngineRegistry

REGISTRY = EngineRegistry(Settings())


AVAILABLE = [name for name in REGISTRY.names() if REGISTRY.get(name).status().available]


@pytest.mark.parametrize("name", AVAILABLE)
@pytest.mark.parametrize("build", [minimal_manifest, manifest_with_controls])
def test_available_engine_passes_the_contract(name, build):
    engine = REGISTRY.get(name)
    manifest = apply_controls(build(engine=name))
    caps = engine.capabilities

    def side(n: int) -> int:  # the smallest allowed side of at least n pixels
        return -(-max(caps.min_side, n) // caps.size_multiple) * caps.size_multiple

    check_engine_contract(engine, manifest, width=side(128), height=side(96))


def test_preview_engine_is_installed_by_default():
    assert "preview" in REGISTRY.names()
    assert REGISTRY.capabilities("preview").label == "preview"


@pytest.mark.parametrize("name", REGISTRY.names())
def test_every_installed_engine_has_a_contract_test(name):
    module = Path(__file__).with_name(f"test_engine_{name}.py")
    tested = module.exists() and "check_engine_contract(" in module.read_text()
    assert name in AVAILABLE or tested, (
        f"engine {name!r} needs tests/test_engine_{name}.py calling check_engine_contract")
