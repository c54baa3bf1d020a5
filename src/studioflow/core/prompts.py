"""Checks on free text from users (prompts and refine instructions)."""

from __future__ import annotations

import re
import unicodedata

from studioflow.errors import ErrorDetail, PromptError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str | bytes, max_chars: int, what: str = "prompt") -> str:
    """Normalised text, or a ``PromptError`` saying what is wrong with it.

    Bytes must be UTF-8; text from a terminal that was not UTF-8 arrives with lone
    surrogates (Python's surrogateescape) and is refused the same way.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            detail = ErrorDetail(what, f"undecodable byte at offset {exc.start}")
            raise PromptError(f"the {what} is not valid UTF-8 text", [detail]) from None
    bad = _SURROGATE.search(text)
    if bad:
        raise PromptError(f"the {what} is not valid UTF-8 text",
                          [ErrorDetail(what, f"undecodable byte at character {bad.start()}")])
    if len(text) > max_chars:
        raise PromptError(f"the {what} is too long ({len(text)} characters)",
                          [ErrorDetail(what, f"at most {max_chars} characters are accepted")])
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text)).strip()
    if not text:
        raise PromptError(f"the {what} is empty", [ErrorDetail(what, "describe the shot in words")])
    return text
