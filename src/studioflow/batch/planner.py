"""From CSV rows to batch items: each row's manifest, exactly as it will be rendered.

Per row: translate the prompt (or read the manifest) on top of the template (or reference
image), force the template's locked fields, set the product (SKU, name, brand, colour,
material), apply the marketplace preset, set engine, size, seed, and validate the result
against the schema and the engine (``Studio.prepare``). A row that fails any step becomes
issues at its line and column; the other rows go on.

Thousands of rows stay fast: translations of identical prompts are made once (``sources``),
and rows that share everything but the product are validated through ``RowPreparer``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from studioflow.batch.csv_reader import CsvRow, Issue, IssueList, ParsedCsv
from studioflow.batch.presets import Preset, apply_preset, fit_size, get_preset
from studioflow.batch.safety import fetch_url
from studioflow.batch.seeds import DEFAULT_BATCH_SEED, item_seed
from studioflow.batch.sources import RowSources, dump
from studioflow.batch.store import NewItem
from studioflow.batch.templates import Template, TemplateStore, apply_template
from studioflow.batch.validation import RowPreparer
from studioflow.core.colors import find_colors
from studioflow.errors import ConfigError, ErrorDetail, InputError, StudioFlowError

# manifest paths -> the CSV column the problem came from
_PATH_COLUMNS = (("$.render.width", "width"), ("$.render.height", "height"),
                 ("$.render.aspect", "width"), ("$.render.engine", "engine"),
                 ("$.render.seed", "seed"), ("$.product.sku", "sku"), ("$.product.name", "name"),
                 ("$.product.brand", "brand"), ("$.product.template", "template"))


@dataclass(frozen=True)
class BatchOptions:
    """Batch-wide settings; a row's own columns win over them."""

    template: str | None = None
    preset: str | None = None
    engine: str | None = None
    width: int | None = None
    height: int | None = None
    seed: int = DEFAULT_BATCH_SEED
    variants: int = 1
    translator: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan(IssueList):
    items: list[NewItem] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows: int = 0  # data rows in the file
    good_rows: int = 0
    engines: set[str] = field(default_factory=set)  # the engines the items render with

    @property
    def rejected_rows(self) -> int:
        return len({i.row for i in self.errors if i.row > 1})


def _template_key(template: Template) -> str:
    return f"template:{template.id}:{template.updated_at.isoformat()}"


class RowError(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(issues[0].message if issues else "row error")
        self.issues = issues


def _column_for(path: str, row: CsvRow, fallback: str) -> str:
    for prefix, column in _PATH_COLUMNS:
        if path.startswith(prefix):
            if column in ("width", "height") and getattr(row, column) is None:
                return "preset" if row.preset else fallback
            return column
    if path.startswith("$.fibo.objects[0].shape_and_color") and row.color:
        return "color"
    if path.startswith("$.fibo.objects[0].texture") and row.material:
        return "material"
    return fallback


def _issues(exc: StudioFlowError, row: CsvRow, column: str) -> list[Issue]:
    details = exc.details or [ErrorDetail("", exc.message)]
    out = []
    for d in details:
        if d.path.startswith("$"):
            out.append(Issue(row.line, _column_for(d.path, row, column), f"{d.path}: {d.message}",
                             sku=row.sku))
        else:
            text = exc.message if d.message in exc.message else f"{exc.message}: {d.message}"
            out.append(Issue(row.line, column, text, sku=row.sku))
    return out


def _replace_word(text: str, old: str, new: str) -> str | None:
    pattern = re.compile(rf"\b{re.escape(old)}\b", re.IGNORECASE)
    return pattern.sub(new, text, count=1) if pattern.search(text) else None


def set_color_material(fibo: dict[str, Any], color: str | None, material: str | None) -> None:
    """Give the main product the row's colour and material, replacing the prompt's words
    for them in its description (and in the short description)."""
    objects = fibo.get("objects") or []
    if not objects or not (color or material):
        return
    main = objects[0]
    before = description = main["description"]
    if color:
        found = find_colors(description)
        swapped = _replace_word(description, found[0][0], color) if found else None
        description = swapped or f"{color} {description}"
        main["shape_and_color"] = color
    if material:
        old = main.get("texture")
        swapped = _replace_word(description, old, material) if old else None
        if swapped is None and color and description.lower().startswith(color.lower()):
            swapped = f"{description[:len(color)]} {material}{description[len(color):]}"
        description = swapped or f"{material} {description}"
        main["texture"] = material
    main["description"] = description
    summary = fibo.get("short_description")
    if summary and before != description:
        fibo["short_description"] = _replace_word(summary, before, description) or summary


class Planner:
    def __init__(self, studio: Any, templates: TemplateStore, options: BatchOptions,
                 base_dir: Path | None = None, fetch: Any = fetch_url, workers: int = 1) -> None:
        """``base_dir``: the CSV's folder (CLI), where manifest files may be; ``workers``:
        processes for translating many distinct prompts (CLI only)."""
        self.studio, self.options = studio, options
        self.settings = studio.settings
        self.translator = options.translator or self.settings.translator
        self.sources = RowSources(studio, templates, self.translator, base_dir, fetch, workers)
        self.preparer = RowPreparer(studio)

    def require_engines(self, plan: Plan) -> None:
        """Refuse to start a batch on an engine that cannot render now (503 in the API)
        rather than failing every item later."""
        for name in sorted(plan.engines):
            status = self.studio.engines.require(name).status()
            if not status.available:
                raise ConfigError(f"engine {name!r} is not available: {status.reason}",
                                  [ErrorDetail("$.engine", status.reason or "unavailable")])

    # the whole file -----------------------------------------------------------------------
    def plan(self, parsed: ParsedCsv) -> Plan:
        self.check_options()
        if self.sources.workers > 1:
            self.sources.prefetch(self._prompts(parsed.rows))
        plan = Plan(issues=list(parsed.issues), rows=parsed.data_rows)
        for row in parsed.rows:
            try:
                items, warnings, engine = self.plan_row(row)
            except RowError as exc:
                plan.issues.extend(exc.issues)
                continue
            plan.items.extend(items)
            plan.issues.extend(warnings)
            plan.good_rows += 1
            plan.engines.add(engine)
        plan.issues.sort(key=lambda i: (i.row, i.level != "error"))
        return plan

    def check_options(self) -> None:
        """Batch options wrong for every row stop the batch before any row is read."""
        details = []
        checks = [("template", self.options.template, self.sources.template),
                  ("preset", self.options.preset, get_preset),
                  ("engine", self.options.engine, self._capabilities),
                  ("translator", self.translator, self.studio.translators.require)]
        for name, value, lookup in checks:
            if value:
                try:
                    lookup(value)
                except StudioFlowError as exc:
                    details.append(ErrorDetail(f"$.{name}", exc.message))
        if details:
            raise InputError(f"invalid batch option{'s' if len(details) > 1 else ''}: "
                             f"{'; '.join(d.message for d in details)}", details,
                             http_status=422)

    # one row --------------------------------------------------------------------------------
    def plan_row(self, row: CsvRow) -> tuple[list[NewItem], list[Issue], str]:
        """The row's items, warnings and engine; ``RowError`` with its issues when it
        cannot run."""
        warnings: list[Issue] = []
        column = "prompt" if row.prompt is not None else "manifest"

        def step(name: str, func, *args):
            try:
                return func(*args)
            except StudioFlowError as exc:
                raise RowError(_issues(exc, row, name)) from None

        template, preset, base, base_key = self._starting_point(row, step)
        if row.prompt is not None:
            manifest = step(column, self.sources.translate, row.prompt, base, base_key)
        else:
            manifest = step(column, self.sources.manifest, row.manifest or "")
        if not isinstance(manifest.get("fibo"), dict):
            raise RowError([Issue(row.line, column, "$.fibo: expected an object with FIBO's "
                                  "fields", sku=row.sku)])
        if template is not None:
            warnings += self._apply_template(manifest, row, template, preset, column)
        self._set_product(manifest, row, template)
        render = manifest.get("render")
        engine = self.options.engine or (render.get("engine") if isinstance(render, dict)
                                         else None) or self.settings.engine
        caps = step("engine", self._capabilities, engine)
        if preset is not None:
            warnings += [Issue(row.line, "preset", n, "warning", row.sku)
                         for n in apply_preset(manifest, preset)]
        self._set_render(manifest, row, engine, preset, caps)
        variants = row.variants or self.options.variants
        seeds = [item_seed(self.options.seed, row.sku, v, row.seed) for v in range(variants)]
        manifest["render"]["seed"] = seeds[0]
        final = step(column, self.preparer.prepare, manifest)
        prompt = row.prompt if row.prompt is not None else None
        items = []
        for variant, seed in enumerate(seeds):
            final["render"]["seed"] = seed
            items.append(NewItem(row=row.line, variant=variant, sku=row.sku, seed=seed,
                                 manifest_json=dump(final),
                                 prompt=prompt, translator=self.translator if prompt else None))
        return items, warnings, engine

    def _apply_template(self, manifest: dict[str, Any], row: CsvRow, template: Template,
                        preset: Preset | None, column: str) -> list[Issue]:
        look, _ = self.sources.with_preset(template.manifest, _template_key(template), preset)
        overridden = apply_template(manifest, look or template.manifest)
        if not overridden or row.prompt is None:
            return []
        return [Issue(row.line, column, f"template {template.name!r} locks "
                                        f"{', '.join(overridden)}; the row's values are ignored",
                      "warning", row.sku)]

    def _starting_point(self, row: CsvRow, step: Any) -> tuple[
            Template | None, Preset | None, dict[str, Any] | None, str | None]:
        """The row's template and preset, and the manifest its prompt is translated on (with
        the preset's rules already in, so the translator's short description matches the
        preset's backdrop) with that manifest's cache key."""
        template_name = row.template or self.options.template
        template = (step("template", self.sources.template, template_name) if template_name
                    else None)
        preset_name = row.preset or self.options.preset
        preset = step("preset", get_preset, preset_name) if preset_name else None
        if row.reference_image:
            start = step("reference_image", self.sources.reference, row.reference_image)
            start_key = f"reference:{row.reference_image}"
        else:
            start = template.manifest if template else None
            start_key = _template_key(template) if template else None
        base, base_key = self.sources.with_preset(start, start_key, preset)
        return template, preset, base, base_key

    def _prompts(self, rows: list[CsvRow]) -> Iterator[tuple[str, dict[str, Any] | None,
                                                            str | None]]:
        """``(prompt, base, base key)`` of every prompt row that gets that far."""
        def step(_name: str, func: Any, *args: Any) -> Any:
            return func(*args)

        for row in rows:
            if row.prompt is not None:
                try:
                    _, _, base, key = self._starting_point(row, step)
                except StudioFlowError:
                    continue
                yield row.prompt, base, key

    def _set_product(self, manifest: dict[str, Any], row: CsvRow,
                     template: Template | None) -> None:
        product = manifest.get("product") or {}
        product["sku"] = row.sku
        for name in ("name", "brand"):
            if getattr(row, name):
                product[name] = getattr(row, name)
        if template is not None:
            product["template"] = template.name
        manifest["product"] = product
        if isinstance(manifest.get("fibo"), dict):
            set_color_material(manifest["fibo"], row.color, row.material)

    def _set_render(self, manifest: dict[str, Any], row: CsvRow, engine: str,
                    preset: Preset | None, caps: Any) -> None:
        render = manifest.get("render")
        render = manifest["render"] = dict(render) if isinstance(render, dict) else {}
        render["engine"] = engine
        render["num_images"] = 1  # one image per item: variants are items of their own
        # the most specific size wins: the row's, its preset's, the batch's, the batch preset's
        if row.width or row.height:
            explicit: tuple[int | None, int | None] | None = (row.width, row.height)
        elif row.preset:
            explicit = None
        elif self.options.width or self.options.height:
            explicit = (self.options.width, self.options.height)
        else:
            explicit = None
        if explicit is None and preset is None:
            return  # the template's (or manifest's) own size
        for key in ("width", "height", "aspect"):
            render.pop(key, None)
        if explicit is not None:
            render.update({k: v for k, v in zip(("width", "height"), explicit, strict=True)
                           if v})
            return
        assert preset is not None
        render["width"], render["height"] = fit_size(preset.width, preset.height, caps)
        if preset.min_long_side and max(render["width"], render["height"]) < \
                preset.min_long_side:
            raise RowError([Issue(row.line, "preset", f"the {engine} engine cannot reach "
                                  f"{preset.label}'s minimum of {preset.min_long_side} px",
                                  sku=row.sku)])

    # lookups (cached for the whole file) ------------------------------------------------------
    def _capabilities(self, engine: str) -> Any:
        try:
            return self.studio.engines.capabilities(engine)
        except KeyError:
            known = ", ".join(self.studio.engines.names())
            raise InputError(f"unknown engine {engine!r}",
                             [ErrorDetail("$.render.engine", f"installed engines: {known}")]) \
                from None
