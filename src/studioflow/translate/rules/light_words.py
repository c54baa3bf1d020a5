"""The words of light: light phrases, presets ("golden hour" -> a low warm sun), qualities,
directions and shadow phrases, as compiled patterns. ``extract_light`` reads them."""

from __future__ import annotations

import re
from typing import Any

from studioflow.translate.rules.vocabulary import COLOR_NAMES, alternation

_COLOR = alternation(COLOR_NAMES)
I = re.IGNORECASE  # noqa: E741

# ------------------------------------------------------------------ vocabulary
_LIGHT_ADJ = alternation([
    "soft", "softly", "very soft", "diffused", "diffuse", "gentle", "gently", "even", "evenly",
    "flattering", "wrap-around", "wraparound", "pillowy", "feathered", "natural", "hard",
    "harsh", "crisp", "direct", "directional", "specular", "bright", "brightly", "dim", "dimly",
    "low", "warm", "cool", "cold", "golden", "moody", "dramatic", "cinematic", "studio",
    "ambient", "strong", "subtle", "bold", "contrasty", "high-contrast", "low-contrast",
    "morning", "evening", "afternoon", "late afternoon", "midday", "noon", "sunset", "sunrise",
    "daylight", "window", "side", "back", "rim", "top", "front", "key", "fill", "hair", "accent",
    "kicker", "edge", "overhead", "colored", "colorful", "neon", "beautiful", "nice",
    "professional", "commercial", "clean", "fresh", "early", "late", "dappled", "filtered",
    "indirect", "bounced", "reflected", "single", "two-point", "three-point", "butterfly",
    "rembrandt", "split", "loop", "clamshell", "ring", "beauty", "strip", "spot", "candle",
    "tungsten", "incandescent", "fluorescent", "led", "rgb", "gel", "gelled", "volumetric",
    "hazy", "misty", "atmospheric", "large", "big", "small", "overcast", "cloudy", "sunny",
    "white", "high-key", "low-key", "chiaroscuro", "theatrical", "sculpted", "sculpting",
    "punchy", "glowing", "intense", "muted", "harsh midday", "direct midday", "magic hour",
    "blue hour", "golden hour", "cozy", "candlelit", "mixed", "practical", "window-side",
    "backlit", "rim-lit", "side-lit", "top-lit", "front-lit", "strong", "weak", "faint",
    "sharp", "defined", "focused", "narrow", "wide", "broad", "open", "flat", "shadowless",
    "top-down", "overhead", "single", "soft top-down", "fairy", "string", "twinkle", "festoon",
    "pink", "blue", "purple", "red", "green", "orange", "teal", "magenta", "cyan", "amber",
    "violet", "yellow", "stage", "concert", "club", "disco", "party", "summer", "spring",
    "winter", "autumn", "fall", "honey", "honeyed", "glowy",
])
_LIGHT_HEAD = (r"(?:light(?:ing|s)?|lit|illumination|illuminated|glow(?:ing)?|sun(?:light|shine|"
               r"beams?|rays)?|daylight|window[\s-]?light|backlight(?:ing|s)?|back[\s-]?lit|"
               r"soft[\s-]?box(?:es)?|strobes?|flash|spot[\s-]?lights?|spotlit|lamp[\s-]?light|lamps?|"
               r"candle[\s-]?light|candlelit|gels?|neon(?:\s+lights?)?|rays|beams?|"
               r"golden[\s-]hour|blue[\s-]hour|magic[\s-]hour|sunset|sunrise|dawn|dusk|"
               r"(?:fairy|string|twinkle|christmas|festoon|bokeh)\s+lights|day)")
# "light" alone is not a light phrase ("light blue", "light oak"): it needs an adjective.
_WEAK_HEAD = r"(?:light(?:ing|s)?|lit|glow(?:ing)?|illumination|illuminated|day)"
_LEAD = (r"(?:\b(?:lit|illuminated|bathed|lighted)\s+(?:by|with|in)\s+|\b(?:in|under|with|using|"
         r"by|from|lighting:?)\s+)?(?:(?:a|an|the|some)\s+)?")
_ADJS = rf"(?<![\w-])(?:{_LIGHT_ADJ}(?:\s+and\s+|\s+|-))+"
# a head followed by these is a product ("sun hat", "lamp shade"), "light" by these a colour
_NOT_AFTER = (rf"(?![\w-])(?!\s+(?:hat|cream|screen|block|lotion|glasses|drive|sign|bulbs?|"
              rf"fixture|shade|stand|tube|and\s+airy|wood|oak|gradient|backdrop|background|"
              rf"colou?rs?|tones|palette|hues|{_COLOR})\b)")
LIGHT_PHRASE = re.compile(
    rf"{_LEAD}(?:{_ADJS}(?:{_LIGHT_HEAD}|{_WEAK_HEAD})|"
    rf"(?<![\w-])(?!{_WEAK_HEAD}\b){_LIGHT_HEAD}){_NOT_AFTER}"
    rf"(?:\s+(?:setup|source|from\s+(?:a|the)\s+window|through\s+(?:the\s+)?(?:leaves|blinds|"
    rf"a\s+window|window|trees)))?", I)
STANDALONE = re.compile(
    r"\b(?:low[\s-]key|high[\s-]key|backlit|back[\s-]?lighting|contre[\s-]?jour|silhouetted?|"
    r"rim[\s-]lit|side[\s-]?lit|top[\s-]?lit|front[\s-]?lit|under[\s-]?lit|chiaroscuro|"
    r"overcast|cloudy(?:\s+(?:day|sky))?|candlelit|sun[\s-]?drenched|sun[\s-]?kissed|sunny|"
    r"rembrandt|butterfly|paramount|clamshell|split[\s-]lighting|loop[\s-]lighting|"
    r"three[\s-]point(?:\s+setup)?|no\s+fill|without\s+(?:a\s+|any\s+)?fill|"
    r"(?:strong|lots\s+of|plenty\s+of)\s+fill|open\s+shadows|dappled|gobo|shadow\s+play|"
    r"(?:noon|midday)(?:\s+sun)?|natural\s+daylight|dimly\s+lit|brightly\s+lit|well[\s-]lit|"
    r"high[\s-]contrast(?:\s+lighting)?)\b", I)
KELVIN = re.compile(r"\b(\d{4,5})\s*(?:K\b|kelvin\b|degrees\s+kelvin\b)", I)
# a preset is (pattern, {role: values}, extras)
_Preset = tuple[re.Pattern[str], dict[str, dict[str, Any]], dict[str, Any]]


def _p(pattern: str, lights: dict[str, dict[str, Any]], **extra: Any) -> _Preset:
    return re.compile(pattern, I), lights, extra


SUN = "sun"
PRESETS: list[_Preset] = [  # in order: later ones win where they set the same value
    _p(r"\bwarm\b", {"*": {"color_temperature": 3600}}),
    _p(r"fluorescent|cool\s+white|\b(?:cool|cold|bluish|icy)\b",
       {"*": {"color_temperature": 7000}}),
    _p(r"\bsun(?:light|shine|beams?|rays)?\b|sun[\s-]?kissed",
       {"key": {"source": SUN, "softness": 0.25, "elevation": 40}}),
    _p(r"golden[\s-]hour|magic[\s-]hour|sunset|late[\s-]afternoon|evening\s+sun",
       {"key": {"source": "golden hour sun", "softness": 0.45, "elevation": 10},
        "*": {"color_temperature": 3300}}),
    _p(r"sunrise|dawn|morning\s+(?:sun|light|sunlight|glow)|early\s+morning",
       {"key": {"source": "morning sun", "softness": 0.5, "elevation": 15},
        "*": {"color_temperature": 4300}}),
    _p(r"blue[\s-]hour|twilight|dusk",
       {"key": {"source": "twilight sky", "softness": 0.9, "intensity": 0.7, "elevation": 20},
        "*": {"color_temperature": 9000}}),
    _p(r"overcast|cloudy|open\s+shade|diffused\s+daylight",
       {"key": {"source": "overcast daylight window", "softness": 0.95, "elevation": 50},
        "fill": {"intensity": 0.5}, "*": {"color_temperature": 6500}}),
    _p(r"\b(?:noon|midday|mid-day|harsh|hard|direct|bright|full|strong)\s+(?:(?:noon|midday)\s+)?"
       r"(?:sun(?:light|shine)?)|\bnoon\b|\bmidday\b|sun[\s-]?drenched|sunny|direct\s+sun",
       {"key": {"source": SUN, "softness": 0.1, "elevation": 65},
        "*": {"color_temperature": 5600}}),
    _p(r"dappled|through\s+(?:the\s+)?(?:leaves|trees)|shadow\s+play|leaf\s+shadows",
       {"key": {"source": "dappled sunlight through leaves", "softness": 0.3, "elevation": 40}}),
    _p(r"blinds", {"key": {"source": "sunlight through window blinds", "softness": 0.25}}),
    _p(r"stage|concert|club|disco|party",
       {"key": {"source": "stage spotlight", "softness": 0.2, "elevation": 40},
        "fill": {"intensity": 0.1}}),
    _p(r"\b(?:golden|amber|honey(?:ed)?)\b(?![\s-]hour)", {"*": {"color_temperature": 3300}}),
    _p(r"(?:summer|sunny|bright|clear)\s+day|daytime",
       {"key": {"source": SUN, "softness": 0.2, "elevation": 55}}),
    _p(r"window", {"key": {"source": "window", "softness": 0.75, "azimuth": -60, "elevation": 15},
                   "*": {"color_temperature": 5500}}, weak_kelvin=True),
    _p(r"natural|daylight",
       {"key": {"source": "natural window light", "softness": 0.75, "azimuth": -60,
                "elevation": 15}, "*": {"color_temperature": 5500}}, weak_kelvin=True),
    _p(r"candle|fire[\s-]?light|fireplace",
       {"key": {"source": "candlelight", "softness": 0.5, "intensity": 0.7, "elevation": 5},
        "fill": {"intensity": 0.1}, "*": {"color_temperature": 1900}}),
    _p(r"tungsten|incandescent|edison|lamp[\s-]?light|warm\s+(?:white\s+)?(?:light|lighting|"
       r"glow|lamp)", {"*": {"color_temperature": 3200}}),
    _p(r"low[\s-]key|chiaroscuro|moody|noir",
       {"key": {"softness": 0.45}, "fill": {"intensity": 0.08}},
       shadows={"intensity": 0.8}, dark_backdrop=True),
    _p(r"high[\s-]key",
       {"key": {"softness": 0.9}, "fill": {"intensity": 0.75},
        "background": {"intensity": 0.8, "azimuth": 180, "elevation": 0, "softness": 0.8}},
       shadows={"intensity": 0.15}, light_backdrop=True),
    _p(r"dramatic|cinematic|theatrical|sculpt|high[\s-]contrast|contrasty",
       {"key": {"softness": 0.35}, "fill": {"intensity": 0.15}}, shadows={"intensity": 0.75}),
    _p(r"soft[\s-]?box|studio\s+(?:light(?:ing|s)?|lit|strobes?)",
       {"key": {"source": "large softbox"}}),
    _p(r"ring\s+light", {"key": {"source": "ring light", "azimuth": 0, "elevation": 0,
                                 "softness": 0.6}}),
    _p(r"spot[\s-]?l(?:ight|it)|pool\s+of\s+light|\bspot\b",
       {"key": {"source": "spotlight", "softness": 0.1, "elevation": 50},
        "fill": {"intensity": 0.1}}),
    _p(r"(?:on[\s-]camera\s+|direct\s+)?flash",
       {"key": {"source": "on-camera flash", "azimuth": 0, "elevation": 5, "softness": 0.1}}),
    _p(r"strobe", {"key": {"source": "bare strobe", "softness": 0.1}}),
    _p(r"three[\s-]point", {"rim": {}}),
    _p(r"no\s+fill|without\s+(?:a\s+|any\s+)?fill|single[\s-](?:light|source)|one[\s-]light",
       {}, off=("fill",)),
    _p(r"(?:strong|lots\s+of|plenty\s+of)\s+fill|open\s+shadows", {"fill": {"intensity": 0.6}}),
    _p(r"\bbright(?:ly)?\b|well[\s-]lit|luminous", {"key": {"intensity": 1.0},
                                                    "fill": {"intensity": 0.55}}),
    _p(r"\bdim(?:ly)?\b|low[\s-]light|darkly", {"key": {"intensity": 0.6},
                                                "fill": {"intensity": 0.12}}),
    _p(r"(?:fairy|string|twinkle|christmas|festoon|bokeh)\s+lights",
       {"background": {"source": "warm fairy lights", "color_temperature": 2700, "intensity": 0.5,
                       "azimuth": 180, "elevation": 10, "softness": 0.8}}),
    _p(r"silhouett", {"key": {"azimuth": 180, "elevation": 10}}, off=("fill",)),
]
SOFT = re.compile(r"\b(?:very\s+soft|extra\s+soft|ultra\s+soft|super\s+soft)\b|"
                  r"\b(soft(?:ly)?|diffused?|gentle|gently|even(?:ly)?|flattering|wrap[\s-]?around|"
                  r"pillowy|feathered|ambient|indirect|bounced|filtered|hazy|misty)\b", I)
HARD = re.compile(r"\b(hard|harsh|crisp|direct|specular|punchy|contrasty|high[\s-]contrast|bare|"
                  r"sharp|focused|narrow)\b", I)
GEL = re.compile(rf"\b(?:({_COLOR})(?:\s+and\s+({_COLOR}))?\s+(?:neon|gels?|gelled|rgb|led|"
                 rf"colored|light(?:ing|s)?|glow)|neon|gels?|gelled|rgb)\b", I)
NEUTRAL_LIGHT = {"white", "off-white", "ivory", "cream", "golden", "gold", "champagne", "honey",
                 "amber", "silver", "grey", "gray", "black", "clear", "transparent", "frosted"}
RIM = re.compile(r"(?:\b(?:rim|edge|hair|kicker|accent|separation|outline)[\s-]?(?:light(?:ing|s)?|"
                 r"lit|glow)|\bkickers?\b|\brim(?=\s+(?:on|from)\s))(?:\s+(?:on\s+|from\s+)?(?:both|either|each)\s+"
                 r"sides?)?", I)
LEAF_SHADOWS = re.compile(r"\b(?:palm\s+leaf|window[\s-]?(?:pane|frame)?|windowpane)\s+shadows?\b|"
                          r"\b(?:(?:dappled|leafy|palm|plant|leaf)\s+)?shadow(?:s|\s+play)?\s+"
                          r"(?:of|from|"
                          r"cast\s+by|through)"
                          r"\s+(?:the\s+|a\s+|some\s+)?(?:palm\s+)?(?P<what>leaves|foliage|a\s+plant|"
                          r"plants|trees?|branches|(?:window\s+)?blinds|a\s+window(?:\s+frame)?)\b|"
                          r"\b(?:leaf|palm|foliage|plant)\s+shadows?\b", I)
TWO_RIMS = re.compile(r"both\s+sides|two\s+(?:rim|edge|strip)|dual\s+(?:rim|edge|strip)|"
                      r"pair\s+of\s+(?:rim|strip)", I)
BACKGROUND_LIGHT = re.compile(
    r"\b(?:background|backdrop|bg)\s+(?:light(?:ing)?|lit|glow|spot(?:light)?)|"
    r"\b(?:lit|illuminated|glowing|spotlit|bright)\s+(?:background|backdrop)|"
    r"\b(?:background|backdrop)\s+(?:is\s+)?(?:lit|illuminated|glowing)|"
    r"\blight\s+(?:on|behind)\s+the\s+(?:background|backdrop)|\bhalo(?:\s+of\s+light)?|"
    r"\bglow\s+behind", I)
BACKLIGHT = re.compile(r"\b(?:back[\s-]?lit|back[\s-]?light(?:ing|s)?|contre[\s-]?jour|"
                       r"against\s+the\s+light)\b", I)
SIDELIGHT = re.compile(r"\bside[\s-]?(?:lit|light(?:ing)?)\b", I)
TOPLIGHT = re.compile(r"\b(?:top[\s-]?(?:lit|light(?:ing)?)|overhead\s+(?:light(?:ing)?|lamp|sun)|"
                      r"overhead|top[\s-]down)\b", I)
FRONTLIGHT = re.compile(r"\b(?:front[\s-]?(?:lit|light(?:ing)?)|on[\s-]axis)\b", I)
UNDERLIGHT = re.compile(r"\b(?:under[\s-]?lit|up[\s-]?light(?:ing)?|under[\s-]?light(?:ing)?)\b", I)

# ------------------------------------------------------------------ direction
DIRECTION = re.compile(
    r"(?:\b(?:(?:coming|falling|shining|streaming|pouring|raking|spilling|entering)\s+(?:in\s+)?)?"
    r"\bfrom\s+|\b(?:placed|positioned|set)\s+(?:at|on|to)\s+)(?:the\s+)?(?:camera[\s-]+)?"
    r"(?P<dir>(?:(?:top|upper|high|bottom|lower|low|far|back|rear|front)[\s-]*)?(?:left|right)"
    r"(?:[\s-]+(?:rear|back|behind))?|"
    r"(?:(?:high|directly|straight|right|far|way)\s+)?(?:above|overhead)|below|underneath|"
    r"beneath|behind|(?:the\s+)?(?:back|rear|front|side|top|"
    r"bottom))(?:[\s-]+(?:hand\s+)?side)?(?:\s+of\s+(?:the\s+)?(?:frame|product|image))?\b"
    r"|\b(?P<side>left|right)[\s-]+side[\s-]*(?:light(?:ing)?|lit)\b", I)
DEGREES = re.compile(
    r"\b(?:at\s+)?(?:about\s+|around\s+|roughly\s+)?(?P<n>\d{1,3})\s*-?\s*(?:degrees?|deg)\b"
    r"(?:\s+(?:to|from|off|on)?\s*(?:the\s+)?(?:camera[\s-]+)?(?P<side>left|right|above|high|up|"
    r"elevation|overhead))?", I)
SIDE_AFTER = re.compile(r"^\W*(?:(?:to|from|on)\s+)?(?:the\s+)?(?:camera\s+)?(left|right)\b", I)
LIGHT_CONTEXT = re.compile(r"light|\blit\b|\bsun|window|glow|illumin|strobe|flash|soft[\s-]?box|"
                           r"bounce|reflector|beauty\s+dish|octa|umbrella|\bflag\b|scrim|"
                           r"lamp|\bkey\b|\bfill\b|\brim\b|beam|rays|shadow|backlit|kicker|neon|"
                           r"\bgel|golden\s+hour|sunset|sunrise|\bdusk\b|\bdawn\b|candle|spot", I)
# "a window on the right": a side named after a light, in the light's clause
LIGHT_SIDE = re.compile(r"(?:\b(?:on|to|at)\s+(?:the\s+)?(?:camera[\s-]+)?|\bcamera[\s-]+)"
                        r"(?P<side>left|right)"
                        r"(?:[\s-]+(?:hand\s+)?side)?\b", I)
CAMERA_CONTEXT = re.compile(r"\b(?:shot|shoot|view|angle|camera|perspective|photographed|"
                            r"taken|seen|looking|vantage|pov|lens|framed|captured|filmed)\b", I)
ROLE_WORDS = re.compile(r"\b(key|main|fill|rim|edge|hair|kicker|accent|separation|bounce|"
                        r"reflector|card|v-?flat|"
                        r"background\s+light|backdrop\s+light)\b", I)
ROLE_OF = {"key": "key", "main": "key", "fill": "fill", "bounce": "fill", "reflector": "fill",
           "card": "fill", "v-flat": "fill", "vflat": "fill"}
# "sun low behind from the left", "light behind and to the right": a back light on a side.
LIGHT_BEHIND = re.compile(r"\b(?:low\s+|high\s+|right\s+|directly\s+)?behind\b"
                          r"(?!\s+(?:the|a|an|it|them|some|its|their|this|that)\b)"
                          r"(?:\s+(?:and\s+)?(?:(?:from|to|on)\s+)?(?:the\s+)?(?:camera[\s-]+)?"
                          r"(?P<side>left|right))?", I)
KEY_DIRECTIONS = {
    "left": (-70, 15), "right": (70, 15), "upper left": (-45, 45), "upper right": (45, 45),
    "lower left": (-60, -25), "lower right": (60, -25), "far left": (-100, 10),
    "far right": (100, 10), "back left": (-150, 20), "back right": (150, 20),
    "front left": (-30, 20), "front right": (30, 20), "above": (0, 85), "below": (0, -50),
    "behind": (180, 15), "front": (0, 15), "side": (-90, 10),
}
ALIASES = {"top": "upper", "high": "upper", "bottom": "lower", "low": "lower", "rear": "back",
            "overhead": "above", "underneath": "below", "beneath": "below", "back": "behind"}
SHADOW_PHRASE = re.compile(
    r"\b(?:with\s+)?(?P<adj>(?:(?:very|extra|super|slightly|long|short|soft|subtle|gentle|faint|"
    r"light|diffused|diffuse|feathered|delicate|minimal|barely[\s-]visible|muted|hard|harsh|"
    r"sharp|crisp|defined|strong|bold|deep|dark|heavy|dramatic|pronounced|crisp[\s-]edged|"
    r"elongated|natural|graphic|interesting|realistic|cast|moody|high[\s-]contrast|low)"
    r"(?:\s*,\s*|\s+and\s+|\s+|-))*)(?P<noun>shadows?)\b"
    r"(?P<fall>\s+(?:falling|cast|pointing|stretching|extending|going|thrown|trailing|go|fall|"
    r"point|stretch|extend|run|lean)?\s*"
    r"(?:to(?:wards?)?|on)\s+the\s+(?P<side>left|right))?", I)
NO_SHADOW = re.compile(r"\b(?:no|without|zero|free\s+of|eliminate|remove)\s+(?:any\s+|the\s+)?"
                       r"(?:cast\s+|harsh\s+|visible\s+)?shadows?\b|\bshadow[\s-]?(?:less|free)\b",
                       I)
CONTACT = re.compile(r"\b(?:(?:soft|subtle|gentle|light|faint)\s+)?(?:contact|grounding|drop)"
                     r"\s+shadows?\b|\bshadows?\s+(?:only\s+)?(?:directly\s+)?(?:under|beneath|underneath|"
                     r"below)(?=\W*(?:$|,|\.|the|it))"
                     r"\s+(?:the\s+)?(?:product|it|bottle|object)\b", I)
REFLECTION = re.compile(
    r"\b(?:no|without)\s+reflections?\b|\b(?:with\s+)?(?:a\s+)?(?:subtle\s+|soft\s+|mirror(?:ed)?\s+)?"
    r"reflections?\b|\bmirror[\s-]like\b", I)
# surfaces that mirror the product: read, but left for the surface extractor
REFLECTIVE = re.compile(r"\breflective\b|\bmirror(?:ed)?\s+(?:surface|floor|finish|base|table|"
                        r"plate|"
                        r"tray)|\bon\s+a\s+mirror\b|\bglossy\s+(?:\w+\s+)?(?:surface|floor|"
                        r"acrylic|table)|\b(?:black|white)\s+acrylic\b|\bplexi(?:glass)?\b|"
                        r"\bwet\s+(?:\w+\s+)?(?:floor|surface|asphalt|street|tiles)", I)
SHADOW_WORDS = {
    "hard": 0.8, "harsh": 0.8, "sharp": 0.75, "crisp": 0.75, "defined": 0.65, "strong": 0.8,
    "bold": 0.8, "deep": 0.85, "dark": 0.85, "heavy": 0.85, "dramatic": 0.85, "pronounced": 0.75,
    "high-contrast": 0.85, "moody": 0.8, "soft": 0.35, "subtle": 0.25, "gentle": 0.3,
    "faint": 0.15, "light": 0.25, "diffused": 0.3, "diffuse": 0.3, "feathered": 0.3,
    "delicate": 0.2, "minimal": 0.15, "barely visible": 0.1, "muted": 0.3, "low": 0.2,
}
HARD_EDGE = {"hard", "harsh", "sharp", "crisp", "defined", "crisp-edged", "graphic"}
SOFT_EDGE = {"soft", "diffused", "diffuse", "feathered", "gentle", "subtle"}
