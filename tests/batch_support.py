"""Shared by the batch tests: stores on the test's database, planning a CSV text."""

from __future__ import annotations

import json
from typing import Any

from studioflow.batch import open_batch_stores
from studioflow.batch.csv_reader import parse_csv
from studioflow.batch.planner import BatchOptions, Planner
from studioflow.core.orchestrator import RenderOverrides

TEMPLATE_PROMPT = ("perfume bottle on black velvet, dramatic rim light from behind, hard key "
                   "light from the right, 50mm, low angle")


def stores(studio):
    return open_batch_stores(studio.settings)


def plan_csv(studio, text: str, base_dir=None, **options: Any):
    _, templates = stores(studio)
    planner = Planner(studio, templates, BatchOptions(**options), base_dir=base_dir)
    return planner.plan(parse_csv(text.encode("utf-8")))


def manifests(plan) -> dict[tuple[int, int], dict[str, Any]]:
    return {(i.row, i.variant): json.loads(i.manifest_json) for i in plan.items}


def save_template(studio, name: str = "noir", size: int = 192, **render) -> Any:
    record = studio.render_prompt(TEMPLATE_PROMPT,
                                  RenderOverrides(width=size, height=size, seed=5, **render))
    _, templates = stores(studio)
    return templates.save(name, record.manifest, record.id)
