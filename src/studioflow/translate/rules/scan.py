"""The working copy of a sentence: normalised words, quoted text set aside, and a record of
which characters an extractor has already explained.

Extractors run one after another over the same ``Scan``; each takes (consumes) the words it
understood, so a later extractor never reads "from the left" twice, and whatever nobody took
is what the sentence says about the objects themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studioflow.translate.rules.spelling import mend_spelling

# Quoted text is replaced by a private-use marker so no vocabulary pattern can match inside.
QUOTE_OPEN, QUOTE_CLOSE = "\ue000", "\ue001"
QUOTE_MARK = re.compile(QUOTE_OPEN + r"(\d+)" + QUOTE_CLOSE)
# Quotes are found on the raw text, before any normalisation, so what is inside them (a
# typographic apostrophe in L’ÉTERNEL, an en dash in "5–7") is rendered exactly as typed.
_QUOTES = re.compile(
    "\"([^\"\n]{1,600})\""  # "double"
    # curly double quotes and guillemets
    "|[\u201c\u201e\u00ab]([^\u201c\u201d\u00bb\"\n]{1,600})[\u201d\u201c\u00bb\"]"
    "|(?<![\\w'\u2019])'([^'\n]{1,600}?)'(?![\\w])"  # 'single' but not the apostrophe in it's
    # curly single quotes
    "|(?<![\\w'\u2019])[\u2018\u201a]([^\u2018\u2019\n]{1,600}?)[\u2019\u2018](?![\\w])"
)
_FANCY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
                        "\u2013": " - ", "\u2014": " - ", "\u00d7": "x", "\u00b0": " degrees ",
                        "\u00a0": " "})

# Shorthand people type, rewritten to the words the vocabulary knows.
_SHORTHAND = [(re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"\bw/o\b", "without"),
    (r"\bw/\s*", "with "),
    (r"\b(?:bg|bkg|bkgd|bgd|backround|backgound)\b", "background"),
    (r"\bdof\b", "depth of field"),
    (r"\bb\s*(?:&|/)\s*w\b", "black and white"),
    (r"\b3/4\b(?=\s*(?:view|angle|shot|perspective|turn|profile))", "three-quarter"),
    (r"\bhi[\s-]?key\b", "high-key"),
    (r"\blo[\s-]?key\b", "low-key"),
    (r"\bpics?\b", "photo"),
    (r"\be-?com\b", "e-commerce"),
    (r"\binsta\b", "instagram"),
    (r"\bclose\s?up\b", "close-up"),
    (r"\bflatlay\b", "flat lay"),
    (r"\btop\s?down\b", "top-down"),
    (r"\bprod(?:uct)?\s+shot\b", "product shot"),
    (r"\bplease\b|\bpls\b|\bplz\b", ""),
    (r"\s*&\s*", " and "),
    (r"\s+\+\s+", " and "),
    (r"(\d)\s*k\b", r"\1K"),
    (r"\bxmas\b", "christmas"),
)]
_CASE_SENSITIVE = [(re.compile(r"\bIG\b"), "instagram")]
_SPACES = re.compile(r"[ \t\r\f\v]+")
# "background: sage green | lens: 50mm" - form-style prompts, rewritten as phrases
_LABELS = re.compile(
    r"\b(?P<label>product|subject|item|background|backdrop|bg|surface|light(?:ing)?|angle|"
    r"camera(?:\s+angle)?|view|lens|aperture|mood|style|composition|palette|colou?rs?|"
    r"aspect(?:\s+ratio)?|format|shadows?|context|use)\s*[:=]\s*(?P<value>[^|;\n:]+?)"
    r"(?=\s*(?:[|;\n]|$|\b(?:product|subject|background|backdrop|surface|light(?:ing)?|angle|"
    r"camera|lens|aperture|mood|style|composition|palette|colou?rs?|aspect|format|shadows?|"
    r"context)\s*[:=]))", re.IGNORECASE)
_LABEL_FORMS = {
    "background": "{} background", "backdrop": "{} background", "bg": "{} background",
    "surface": "on {}", "light": "{} light", "lighting": "{} lighting", "angle": "{} view",
    "camera": "{} view", "camera angle": "{} view", "view": "{} view", "lens": "{} lens",
    "aperture": "aperture {}", "mood": "{} mood", "style": "{} style",
    "composition": "{} composition", "palette": "{} palette", "color": "{} colors",
    "colors": "{} colors", "colour": "{} colours", "colours": "{} colours", "shadow": "{} shadows",
    "shadows": "{} shadows", "aspect": "{}", "aspect ratio": "{}", "format": "{} format",
    "context": "for {}", "use": "for {}",
}


def _unlabel(m: re.Match[str]) -> str:
    label = re.sub(r"\s+", " ", m.group("label").lower())
    value = m.group("value").strip()
    form = _LABEL_FORMS.get(label, "{}")
    return ", " + form.format(value) + ", "
# Clause breaks: punctuation, but not the point inside 1.8 or f/2.8.
_PUNCTUATION = re.compile(r"[,;:.!?\n]")
_CLAUSE = re.compile(r"[,;:!?\n|()]|(?<!\d)\.|\.(?!\d)|\s-\s|\bthen\b", re.IGNORECASE)


def normalize(text: str) -> tuple[str, list[str]]:
    """``(working text, quoted strings)``: fancy quotes unified, quotes masked, shorthand
    expanded, whitespace collapsed. Marker ``n`` in the text stands for ``quotes[n]``."""
    text = text.replace(QUOTE_OPEN, " ").replace(QUOTE_CLOSE, " ")
    quotes: list[str] = []

    def mask(m: re.Match[str]) -> str:
        quotes.append(next((g for g in m.groups() if g), "").strip())
        return f" {QUOTE_OPEN}{len(quotes) - 1}{QUOTE_CLOSE} "

    text = mend_spelling(_QUOTES.sub(mask, text).translate(_FANCY))
    text = _LABELS.sub(_unlabel, text)
    for pattern, repl in _CASE_SENSITIVE:
        text = pattern.sub(repl, text)
    for pattern, repl in _SHORTHAND:
        text = pattern.sub(repl, text)
    return _SPACES.sub(" ", text).strip(), quotes


class Scan:
    """Normalised text plus the spans extractors have taken."""

    def __init__(self, raw: str) -> None:
        self.text, self.quotes = normalize(raw)
        self.lower = self.text.lower()
        self._taken = bytearray(len(self.text))
        self._masked: str | None = None
        self.attributes: list[tuple[int, int]] = []  # words that describe rendered text
        self._breaks = [m.start() for m in _CLAUSE.finditer(self.text)]

    # -- consuming -------------------------------------------------------------------
    def free(self, start: int, end: int) -> bool:
        return not any(self._taken[start:end])

    def take(self, start: int, end: int) -> None:
        if end > start:
            self._taken[start:end] = b"\x01" * (end - start)
            self._masked = None

    @property
    def masked(self) -> str:
        """The text with taken characters blanked out, so no phrase runs across them."""
        if self._masked is None:
            self._masked = "".join("\x00" if t else c for c, t in zip(self.text, self._taken,
                                                                      strict=True))
        return self._masked

    def matches(self, pattern: re.Pattern[str], take: bool = True) -> Iterator[re.Match[str]]:
        """Matches that overlap nothing taken yet; taken as they are yielded when ``take``."""
        for m in pattern.finditer(self.masked):
            if m.end() > m.start() and self.free(m.start(), m.end()):
                if take:
                    self.take(m.start(), m.end())
                yield m

    def first(self, pattern: re.Pattern[str], take: bool = True) -> re.Match[str] | None:
        return next(self.matches(pattern, take), None)

    # -- context ---------------------------------------------------------------------
    def clause(self, pos: int) -> tuple[int, int]:
        """The clause (between commas, full stops ...) around character ``pos``."""
        start, end = 0, len(self.text)
        for b in self._breaks:
            if b < pos:
                start = b + 1
            elif b >= pos:
                end = b
                break
        return start, end

    def punctuation_spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` of the pieces between any punctuation mark (decimal points too)."""
        spans, start = [], 0
        for m in _PUNCTUATION.finditer(self.text):
            spans.append((start, m.start()))
            start = m.end()
        spans.append((start, len(self.text)))
        return spans

    def clause_text(self, pos: int) -> str:
        start, end = self.clause(pos)
        return self.lower[start:end]

    def before(self, pos: int, chars: int = 60) -> str:
        """The lower-case text of the clause up to ``pos`` (at most ``chars`` characters)."""
        start, _ = self.clause(pos)
        return self.lower[max(start, pos - chars):pos]

    def after(self, pos: int, chars: int = 60) -> str:
        _, end = self.clause(pos)
        return self.lower[pos:min(end, pos + chars)]

    def remainder(self) -> list[tuple[int, str]]:
        """Untaken runs of text, split at clause breaks: ``[(start, text), ...]``."""
        out: list[tuple[int, str]] = []
        start = None
        breaks = set(self._breaks)
        for i, ch in enumerate(self.text):
            blocked = self._taken[i] or i in breaks or ch in ",;|!?\n:()"
            if blocked:
                if start is not None:
                    out.append((start, self.text[start:i]))
                    start = None
            elif start is None:
                start = i
        if start is not None:
            out.append((start, self.text[start:]))
        return [(s, t) for s, t in out if t.strip()]
