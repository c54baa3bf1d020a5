"""Templates (brand kits): a saved manifest whose locked fields every row of a batch shares.

Applying a template to a row: the row's prompt is translated with the template as the base
(the translator keeps every base field the prompt does not mention), then the locked fields
are forced from the template, so lighting, backdrop, camera, composition, style and size are
identical across the catalogue and only the product varies. A field the template does not
have is removed from the row, so the template's compiled text stands.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from studioflow.errors import ErrorDetail, InputError, NotFoundError
from studioflow.schema import check_manifest, set_path, upgrade
from studioflow.store.ids import new_id
from studioflow.store.sql_common import as_utc, dump_json
from studioflow.store.tables import TemplateRow

TEMPLATES = TemplateRow.__table__
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$")

# What a template locks. Controls and the FIBO text they compile into go together, so a row
# cannot keep a controlled light and lose its wording (core/controls.py lists who owns what).
LOCKED_PATHS = (
    "controls.lights", "controls.shadows", "controls.background", "controls.camera",
    "controls.color_palette",
    "fibo.background_setting", "fibo.lighting", "fibo.photographic_characteristics",
    "fibo.aesthetics", "fibo.style_medium", "fibo.artistic_style", "fibo.context",
    "render.engine", "render.model", "render.width", "render.height", "render.aspect",
    "render.steps", "render.guidance_scale", "render.negative_prompt",
)
_MISSING = object()
_LOCKED_PARTS = tuple((path, tuple(path.split("."))) for path in LOCKED_PATHS)


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    manifest: dict[str, Any]
    source_render_id: str | None
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "manifest": self.manifest,
                "source_render_id": self.source_render_id,
                "created_at": self.created_at.isoformat(),
                "updated_at": self.updated_at.isoformat()}




def template_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """What a template keeps of a render's manifest: everything but the seed, the image
    count and the product's own identity (its brand stays: it is the brand's kit)."""
    result = copy.deepcopy(upgrade(manifest))
    result.get("render", {}).pop("seed", None)
    result.get("render", {}).pop("num_images", None)
    brand = (result.get("product") or {}).get("brand")
    result.pop("product", None)
    if brand:
        result["product"] = {"brand": brand}
    return check_manifest(result, source="template manifest")


def _lookup(data: Any, parts: tuple[str, ...]) -> Any:
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return _MISSING
        data = data[part]
    return data


def apply_template(row: dict[str, Any], template: dict[str, Any]) -> list[str]:
    """Force the template's locked fields onto ``row`` (in place). Returns the locked paths
    the row had changed, e.g. a prompt that asked for another backdrop."""
    overridden = []
    for path, parts in _LOCKED_PARTS:
        wanted = _lookup(template, parts)
        parent = _lookup(row, parts[:-1])
        had = parent.get(parts[-1], _MISSING) if isinstance(parent, dict) else _MISSING
        if wanted is _MISSING:
            if had is not _MISSING:
                del parent[parts[-1]]
            continue
        if had == wanted:
            continue  # most rows: the translator kept the template's value
        if had is not _MISSING:
            overridden.append(path)
        set_path(row, path, copy.deepcopy(wanted))
    if not row.get("controls"):
        row.pop("controls", None)
    brand = (template.get("product") or {}).get("brand")
    if brand:
        row.setdefault("product", {}).setdefault("brand", brand)
    return overridden


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name):
        raise InputError(f"invalid template name {name!r}",
                         [ErrorDetail("name", "1-128 letters, digits, spaces, '.', '_' or '-', "
                                              "starting with a letter or digit")])
    return name


class TemplateStore:
    """Templates in the database, looked up by name ignoring case (or by id)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, name: str, manifest: dict[str, Any], source_render_id: str | None = None,
             replace: bool = False) -> Template:
        name = check_name(name)
        stored = dump_json(template_manifest(manifest))
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            existing = conn.execute(select(TEMPLATES.c.id)
                                    .where(TEMPLATES.c.name_key == name.casefold())).scalar()
            if existing is not None and not replace:
                raise InputError(f"a template named {name!r} already exists",
                                 [ErrorDetail("name", "choose another name or replace it")],
                                 code="conflict", http_status=409)
            if existing is not None:
                conn.execute(update(TEMPLATES).where(TEMPLATES.c.id == existing).values(
                    name=name, manifest=stored, source_render_id=source_render_id,
                    updated_at=now))
            else:
                conn.execute(insert(TEMPLATES).values(
                    id=new_id(), name=name, name_key=name.casefold(), manifest=stored,
                    source_render_id=source_render_id, created_at=now, updated_at=now))
        return self.get(name)

    def get(self, name_or_id: str, path: str = "template") -> Template:
        key = name_or_id.strip()
        with self.engine.connect() as conn:
            row = conn.execute(select(TEMPLATES).where(
                (TEMPLATES.c.name_key == key.casefold()) | (TEMPLATES.c.id == key.upper())
            )).first()
        if row is None:
            raise NotFoundError(f"no template named {name_or_id!r}",
                                [ErrorDetail(path, "unknown template; see `studioflow "
                                                   "template list`")])
        return self._template(row)

    def list(self) -> list[Template]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(TEMPLATES).order_by(TEMPLATES.c.name_key)).all()
        return [self._template(r) for r in rows]

    def delete(self, name_or_id: str) -> Template:
        template = self.get(name_or_id)
        with self.engine.begin() as conn:
            conn.execute(delete(TEMPLATES).where(TEMPLATES.c.id == template.id))
        return template

    @staticmethod
    def _template(row: Any) -> Template:
        m = row._mapping
        return Template(id=m["id"], name=m["name"], manifest=upgrade(json.loads(m["manifest"])),
                        source_render_id=m["source_render_id"],
                        created_at=as_utc(m["created_at"]), updated_at=as_utc(m["updated_at"]))
