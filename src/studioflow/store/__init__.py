"""History and files: render records in a database, images in a file store."""

from studioflow.store.records_base import ImageRef, Page, RenderRecord, RenderStore

__all__ = ["ImageRef", "Page", "RenderRecord", "RenderStore"]
