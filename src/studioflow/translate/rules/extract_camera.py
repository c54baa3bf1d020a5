"""Camera: angle ("low angle", "top-down", "three-quarter view", "30 degrees above"), lens
("85mm", "macro", "wide angle"), aperture ("f/1.8"), depth of field ("shallow dof",
"everything sharp"), distance ("close-up") and focus ("focus on the label")."""

from __future__ import annotations

import re

from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.light_words import CAMERA_CONTEXT, LIGHT_CONTEXT
from studioflow.translate.rules.scan import Scan

I = re.IGNORECASE  # noqa: E741

# (pattern, camera values, composition words or None)
ANGLES: list[tuple[re.Pattern[str], dict[str, float], str | None]] = [
    (re.compile(r"\b(?:flat[\s-]lay|knolling)\b", I), {"elevation": 90}, "flat lay"),
    (re.compile(r"\b(?:top[\s-]down|bird'?s?[\s-]eye(?:\s+view)?|top\s+view|plan\s+view|"
                r"overhead(?:\s+(?:shot|view|angle|perspective))?|(?:shot\s+|seen\s+|viewed\s+)?"
                r"from\s+(?:directly\s+|straight\s+|right\s+)?above|directly\s+above|"
                r"straight\s+down|looking\s+straight\s+down)\b", I), {"elevation": 90}, None),
    (re.compile(r"\b(?:(?:from\s+)?slightly\s+(?:above|elevated|high)|slight(?:ly)?\s+high[\s-]angle|"
                r"slightly\s+elevated\s+(?:angle|view))\b", I), {"elevation": 20}, None),
    (re.compile(r"\b(?:high[\s-]angle(?:\s+(?:shot|view))?|elevated\s+(?:angle|view|"
                r"perspective|camera)|looking\s+down(?:\s+(?:at|on)(?:\s+(?:it|the\s+product))?)?|"
                r"downward\s+angle|high\s+vantage(?:\s+point)?|from\s+a\s+high\s+(?:angle|vantage)|"
                r"from\s+above\s+at\s+an\s+angle)\b", I), {"elevation": 35}, None),
    (re.compile(r"\b(?:eye[\s-]level|straight[\s-]on|head[\s-]on|level\s+(?:angle|view)|"
                r"at\s+(?:the\s+)?product(?:'s)?\s+level|front[\s-]on)\b", I),
     {"elevation": 0}, None),
    (re.compile(r"\b(?:worm'?s?[\s-]eye(?:\s+view)?|from\s+(?:directly\s+)?below|"
                r"looking\s+straight\s+up)\b", I), {"elevation": -60}, None),
    (re.compile(r"\b(?:slightly\s+low(?:er)?[\s-]angle|slightly\s+below|low[\s-]ish\s+angle)\b", I),
     {"elevation": -10}, None),
    (re.compile(r"\b(?:low[\s-]angle(?:\s+(?:shot|view|perspective|hero\s+shot))?|"
                r"looking\s+up(?:\s+at(?:\s+(?:it|the\s+product))?)?|upward\s+angle|"
                r"hero\s+angle|low\s+(?:vantage|perspective|camera)|ground[\s-]level)\b", I),
     {"elevation": -20}, None),
    (re.compile(r"\b(?:three[\s-]quarters?|3/4)(?:\s+(?:view|angle|perspective|shot|turn))?\b", I),
     {"azimuth": 45, "elevation": 15}, None),
    (re.compile(r"\b(?:side\s+(?:view|angle|shot|profile)|(?:in\s+)?profile(?:\s+view)?|"
                r"(?<!\bits\s)(?<!\btheir\s)side[\s-]on|from\s+the\s+side)\b", I),
     {"azimuth": 90, "elevation": 0}, None),
    (re.compile(r"\b(?:back|rear)\s+view\b|\bfrom\s+(?:the\s+)?(?:back|behind|rear)\b", I),
     {"azimuth": 180}, None),
    (re.compile(r"\b(?:front(?:al)?\s+view|front[\s-]facing|facing\s+(?:the\s+)?camera|"
                r"straight\s+front)\b", I), {"azimuth": 0}, None),
    (re.compile(r"\bisometric(?:\s+(?:view|angle|perspective))?\b", I),
     {"azimuth": 45, "elevation": 35}, "isometric view"),
]
DEGREE_ANGLE = re.compile(
    r"\b(?:at\s+)?(?:an?\s+)?(?:about\s+|around\s+|roughly\s+)?(\d{1,2})\s*-?\s*(?:degrees?|deg)"
    r"(?:\s+(?:camera\s+)?(?:angle|tilt|elevation|high|up|down|above|from\s+above|overhead|"
    r"downward|view|perspective|looking\s+down))?\b", I)
DISTANCES = [
    (re.compile(r"\b(?:extreme\s+close-up|macro\s+shot|super\s+close|very\s+close)\b", I), 0.25,
     "extreme close-up"),
    (re.compile(r"\b(?:close-up|tight\s+(?:shot|crop|framing)|close\s+shot|up\s+close|"
                r"detail\s+shot|cropped\s+(?:in\s+)?tight|close\s+framing)\b", I), 0.5, "close-up"),
    (re.compile(r"\b(?:medium\s+shot|mid[\s-]shot)\b", I), 1.5, None),
    (re.compile(r"\b(?:wide\s+shot|full\s+shot|zoomed\s+out|pulled\s+back|establishing\s+shot|"
                r"environmental\s+(?:shot|portrait)|long\s+shot|from\s+afar|in\s+context)\b", I),
     3.0, "wide shot with the product small in its setting"),
]
DISTANCE_M = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:m|meters?|metres?)\s+(?:away|distance|from)\b", I)
FOCAL = re.compile(r"\b(\d{1,4})\s*-?\s*mm\b(?!\s+film)(?:\s+(?:wide[\s-]angle|wide|telephoto|tele|"
                   r"portrait|macro|standard|prime|zoom))?(?:\s+(?:lens|prime|focal\s+length))?", I)
LENSES = [
    (re.compile(r"\bmacro(?:\s+(?:lens|photography|photo|detail))?\b", I), 100),
    (re.compile(r"\bultra[\s-]wide(?:[\s-]angle)?(?:\s+lens)?\b", I), 16),
    (re.compile(r"\bfish[\s-]?eye(?:\s+lens)?\b", I), 10),
    (re.compile(r"\bwide[\s-]angle(?:\s+(?:lens|shot|view))?\b|\bwide\s+lens\b", I), 24),
    (re.compile(r"\bsuper[\s-]telephoto(?:\s+lens)?\b", I), 400),
    (re.compile(r"\b(?:telephoto|tele\s+lens|long\s+lens|long\s+focal\s+length|zoom\s+lens|"
                r"compressed\s+perspective)\b(?:\s+lens)?", I), 200),
    (re.compile(r"\b(?:standard|normal)\s+lens\b|\bnifty\s+fifty\b", I), 50),
    (re.compile(r"\bportrait\s+lens\b", I), 85),
    (re.compile(r"\btilt[\s-]shift(?:\s+lens)?\b", I), 90),
]
APERTURE = re.compile(
    r"\bf\s*/\s*(\d{1,2}(?:\.\d)?)\b|\bf(\d{1,2}(?:\.\d)?)\b(?!\s*(?:mm|k)\b)|"
    r"\b(?:f-?stop|aperture)\s+(?:of\s+|at\s+)?f?/?\s*(\d{1,2}(?:\.\d)?)\b|"
    r"\bf\s+(\d{1,2}\.\d)\b", I)
DOF = [
    (re.compile(r"\b(?:very\s+shallow|extremely\s+shallow|razor[\s-]thin|creamy\s+bokeh|"
                r"dreamy\s+bokeh|heavy\s+bokeh|strong\s+bokeh)(?:\s+(?:depth\s+of\s+field|focus|"
                r"bokeh))?\b", I), 1.4),
    (re.compile(r"\b(?:shallow\s+(?:depth\s+of\s+field|focus|depth)|bokeh(?:\s+background)?|"
                r"blurr?(?:ed|y)\s+(?:background|backdrop)|background\s+(?:blur|bokeh|out\s+of\s+"
                r"focus|blurred)|soft(?:ly)?\s+(?:blurred\s+)?background|out[\s-]of[\s-]focus\s+"
                r"(?:background|backdrop)|defocused\s+(?:background|backdrop)|soft\s+bokeh|"
                r"background\s+softly\s+blurred|wide\s+open|wide\s+aperture)\b", I), 2.0),
    (re.compile(r"\bmoderate\s+(?:depth\s+of\s+field|dof)\b", I), 5.6),
    (DEEP := re.compile(
        r"\b(?:deep\s+(?:depth\s+of\s+field|focus)|everything\s+(?:is\s+)?(?:sharp|crisp|in\s+"
        r"focus)|all\s+in\s+focus|(?:(?:sharp|crisp|in\s+focus)\s+)?(?:from\s+)?front[\s-]to[\s-]"
        r"back|(?:sharp|crisp|in\s+focus)\s+(?:throughout|edge[\s-]to[\s-]edge|all\s+over)|"
        r"fully\s+in\s+focus|large\s+depth\s+of\s+field|infinite\s+focus|hyperfocal|"
        r"(?:background|backdrop)\s+(?:also\s+|too\s+)?(?:sharp|in\s+focus)|no\s+(?:blur|bokeh)|"
        r"stopped[\s-]down|small\s+aperture|focus[\s-]stack(?:ed|ing)?)\b", I), 11.0),
]
DEEP_STOPS = (11.0, 16.0, 22.0)
FRONT_TO_BACK = 1.0  # depth of field / product size at which the compiled text says so
FOCUS = re.compile(
    r"\b(?:(?P<kind>sharp|selective|soft|crisp|critical|tack[\s-]sharp|precise)\s+)?focus(?:ed|sed)?"
    r"\s+(?:is\s+)?on\s+(?:the\s+)?(?P<what>[\w'-]+(?:\s+(?!with\b|and\b|while\b|against\b|on\b|"
    r"in\b|at\b|under\b|from\b)[\w'-]+){0,3})", I)
SOFT_FOCUS = re.compile(r"\b(?:soft[\s-]focus|dreamy\s+focus|hazy\s+focus)\b", I)
SHARP_FOCUS = re.compile(r"\b(?:tack[\s-]sharp|razor[\s-]sharp|crisp\s+details?|"
                         r"sharp\s+focus|in\s+sharp\s+focus|ultra[\s-]sharp|"
                         r"crystal[\s-]clear)\b", I)


def extract_camera(scan: Scan, f: Findings) -> None:
    deep = bool(DEEP.search(scan.masked))  # before "tack sharp" takes its words
    _focus(scan, f)
    _lens(scan, f)
    said = {"aperture"} if scan.first(APERTURE, take=False) else set()
    _aperture(scan, f)
    _angles(scan, f)
    _distance(scan, f)
    if deep:
        _deep_focus(f, said | ({"focal_length_mm", "distance_m"} & set(f.camera)))


def _deep_focus(f: Findings, said: set[str]) -> None:
    """ "Everything in focus": settings whose depth of field (as the controls compiler
    computes it) holds the whole product: the smallest stop that does it, else a step
    back, else a shorter lens - never a value the sentence set itself."""
    from studioflow.core.controls_camera import PRODUCT_SIZE_MM, depth_of_field_mm
    from studioflow.schema import default_for

    cam = {k: f.camera.get(k, default_for(f"controls.camera.{k}"))
           for k in ("focal_length_mm", "aperture", "distance_m")}
    stops = [cam["aperture"]] if "aperture" in said else list(DEEP_STOPS)
    distances = [cam["distance_m"]] if "distance_m" in said else \
        [cam["distance_m"], max(cam["distance_m"], 2.0)]
    focals = [cam["focal_length_mm"]] if "focal_length_mm" in said else \
        [cam["focal_length_mm"], 50, 35]
    for focal in focals:
        for distance in distances:
            for stop in stops:
                if depth_of_field_mm(focal, stop, distance) >= FRONT_TO_BACK * PRODUCT_SIZE_MM:
                    f.camera.update(focal_length_mm=focal, aperture=stop, distance_m=distance)
                    return
    f.camera["aperture"] = stops[-1]


def _focus(scan: Scan, f: Findings) -> None:
    m = scan.first(FOCUS)
    if m:
        kind = (m.group("kind") or "sharp").lower().replace("-", " ")
        kind = "selective" if kind in ("selective", "soft") else kind
        f.focus = f"{kind} focus on the {m.group('what').strip()}"
    if scan.first(SOFT_FOCUS):
        f.focus = "soft focus with a dreamy glow"
    if scan.first(SHARP_FOCUS) and f.focus is None:
        f.focus = "tack-sharp focus on the product, crisp details"


# "a camera with a zoom lens attached": the lens is part of the product
_ATTACHED = re.compile(r"^\s*(?:is\s+)?(?:attached|mounted|fitted|on\s+it|on\s+the\s+(?:body|"
                       r"camera))\b", I)


def _lens(scan: Scan, f: Findings) -> None:
    for pattern, mm in LENSES:
        m = next((m for m in scan.matches(pattern, take=False)
                  if not _ATTACHED.match(scan.text[m.end():m.end() + 30])), None)
        if m:
            scan.take(m.start(), m.end())
            f.camera["focal_length_mm"] = mm
            f.camera_words.append(m.group(0))
            if mm == 100 and "macro" in m.group(0).lower():
                f.camera.setdefault("distance_m", 0.3)
    m = next((m for m in scan.matches(FOCAL, take=False)
              if not _ATTACHED.match(scan.text[m.end():m.end() + 30])), None)
    if m:
        scan.take(m.start(), m.end())
        f.camera["focal_length_mm"] = max(8, min(1200, int(m.group(1))))
        f.camera_words.append(m.group(0) if "lens" in m.group(0) else f"{m.group(0)} lens")


def _aperture(scan: Scan, f: Findings) -> None:
    m = scan.first(APERTURE)
    if m:
        value = float(next(g for g in m.groups() if g))
        f.camera["aperture"] = max(0.7, min(64.0, value))
        f.camera_words.append(m.group(0))
    explicit = "aperture" in f.camera  # an f-number beats depth-of-field words
    for pattern, f_number in DOF:
        m = scan.first(pattern)
        if m:
            if not explicit:
                f.camera["aperture"] = f_number
            f.camera_words.append(m.group(0))


def _angles(scan: Scan, f: Findings) -> None:
    for pattern, values, composition in ANGLES:
        for m in scan.matches(pattern, take=False):
            text = m.group(0).lower()
            if "from" in text and LIGHT_CONTEXT.search(scan.before(m.start(), 30)):
                continue  # "lit from above" belongs to the light
            scan.take(m.start(), m.end())
            if composition == "isometric view" and f.photographic is False:
                f.composition.append(composition)  # a drawing's projection, not a camera
                continue
            for key, value in values.items():
                if key == "elevation" and "azimuth" in values and "elevation" in f.camera:
                    continue  # "three-quarter view, eye level": the height was said
                f.camera[key] = value
            if "azimuth" in values and values["azimuth"] not in (0, 180):
                side = _side(scan, m.start(), m.end())
                if side == "left":
                    f.camera["azimuth"] = -values["azimuth"]
            if composition:
                f.composition.append(composition)
            f.camera_words.append(m.group(0))
    for m in scan.matches(DEGREE_ANGLE, take=False):
        clause = scan.clause_text(m.start())
        if LIGHT_CONTEXT.search(clause) and not CAMERA_CONTEXT.search(clause):
            continue
        side = _side(scan, m.start(), m.end())
        scan.take(m.start(), m.end())
        n = int(m.group(1))
        if side and not re.search(r"above|high|down|overhead|elevat", m.group(0), I):
            f.camera["azimuth"] = -n if side == "left" else n
        else:
            f.camera["elevation"] = min(90, n)
        f.camera_words.append(m.group(0))


def _side(scan: Scan, start: int, end: int) -> str | None:
    after = re.match(r"^\W*(?:(?:to|from|on)\s+)?(?:the\s+)?(?:camera\s+)?(left|right)\b",
                     scan.after(end, 25))
    if after:
        scan.take(end, end + after.end())
        return after.group(1)
    before = re.search(r"\b(left|right)\W*$", scan.before(start, 12))
    return before.group(1) if before else None


def _distance(scan: Scan, f: Findings) -> None:
    for pattern, metres, composition in DISTANCES:
        m = scan.first(pattern)
        if m:
            f.camera["distance_m"] = metres
            if composition:
                f.composition.append(composition)
            f.camera_words.append(m.group(0))
            break
    m = scan.first(DISTANCE_M)
    if m:
        f.camera["distance_m"] = max(0.05, min(100.0, float(m.group(1))))
