"""Per-item seeds: the same CSV and batch seed give the same seeds, so the same images.

An item's seed depends only on the batch seed, the SKU and the variant index, never on the
row's position: reordering or extending the CSV does not change the other products' images.
A row's own ``seed`` column wins; its variants take the following seeds.
"""

from __future__ import annotations

import hashlib

SEED_SPACE = 2**32
DEFAULT_BATCH_SEED = 0


def item_seed(batch_seed: int, sku: str, variant: int, row_seed: int | None = None) -> int:
    """``sha256(f"{batch_seed}:{sku}:{variant}") mod 2**32``, or ``row_seed + variant``."""
    if row_seed is not None:
        return (row_seed + variant) % SEED_SPACE
    digest = hashlib.sha256(f"{batch_seed}:{sku}:{variant}".encode()).digest()
    return int.from_bytes(digest, "big") % SEED_SPACE
