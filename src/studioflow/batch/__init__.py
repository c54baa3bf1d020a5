"""Catalogue batches: hundreds or thousands of products from one CSV file, rendered
consistently (templates, marketplace presets), reproducibly (per-SKU seeds), resumably
(every item in the database) and with a report (results CSV/JSON and a ZIP of the images).

    csv_reader  parse and check the CSV       templates  brand kits (locked fields)
    presets     marketplace sizes and rules   seeds      per-item seeds
    planner     rows -> validated manifests   validation fast checks of similar rows
    store       batches, items, events        runner     render items (CLI threads)
    queue       items as queue jobs (API)     results    CSV, JSON, ZIP
    safety      formulas, file names, files, URLs, images
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studioflow.batch.store import BatchStore
    from studioflow.batch.templates import TemplateStore
    from studioflow.core.config import Settings


def open_batch_stores(settings: Settings) -> tuple[BatchStore, TemplateStore]:
    """The batch and template stores on the settings' database (migrated)."""
    from studioflow.batch.store import BatchStore
    from studioflow.batch.templates import TemplateStore
    from studioflow.store.db import connect, migrate

    engine = connect(settings.resolved_database_url)
    migrate(engine)
    return BatchStore(engine), TemplateStore(engine)
