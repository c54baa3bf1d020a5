"""The rule translator on phrasings neither evaluation file uses.

Each case is a sentence a photographer or a shop owner might type and what any correct
reading of it must contain, written with the evaluation's own check operators (see
``studioflow.translate.evaluate``). They lock in categories of behaviour, not one prompt:
quoted text kept exactly, products told from props, verbs and fillers never becoming
objects, colours / materials / counts kept on the product, named lighting setups and
modifiers kept with their geometry, scenes and surfaces, the purpose of the image, mood
words, depth of field, style medium and misspelt product words.

Angles follow the schema: azimuth negative = frame left, positive = frame right, 180 =
behind; elevation 90 = straight above.
"""

from __future__ import annotations

import pytest

from studioflow.core.config import Settings
from studioflow.schema import validate_manifest
from studioflow.translate.evaluate import check
from studioflow.translate.rules import RulesTranslator, create

KEY = "controls.lights[role=key]"


def key_az(low: int, high: int) -> dict:
    return {"path": f"{KEY}.azimuth", "range": [low, high]}


def key_el(low: int, high: int) -> dict:
    return {"path": f"{KEY}.elevation", "range": [low, high]}


NOT_JUNK = {"path": "fibo.objects[*].description",
            "not_contains": ["could", "would", "hey", "make it", "place it", "sits", "muddy"]}

CASES: list[tuple[str, str, list[dict]]] = [
    # ---- quoted text is rendered exactly as typed (typographic marks included)
    ("quote-apostrophe", "neon sign that reads \u201cDon\u2019t Stop\u201d above a cocktail glass",
     [{"path": "fibo.text_render[0].text", "equals": "Don\u2019t Stop"},
      {"path": "fibo.objects[0].description", "contains_any": ["cocktail", "glass"]}]),
    ("quote-dash", "label text \u2018N\u00ba 5 \u2014 \u00c9dition\u2019 on the bottle, perfume",
     [{"path": "fibo.text_render[0].text", "equals": "N\u00ba 5 \u2014 \u00c9dition"},
      {"path": "fibo.text_render[0].location", "contains_any": ["bottle", "product", "label"]}]),
    ("quote-guillemets", "banner with \u00abSOLDES \u201350%\u00bb at the top, white sneakers",
     [{"path": "fibo.text_render[0].text", "equals": "SOLDES \u201350%"},
      {"path": "fibo.text_render[0].location", "contains": ["top"]}]),
    ("dash-outside-quotes", "mug \u2013 white \u2013 on oak, it\u2019s our bestseller",
     [{"path": "fibo.objects[0].description", "matches": r"\bwhite\b.*\bmug\b"},
      {"path": "fibo.background_setting", "contains": ["oak"]},
      {"path": "fibo.objects", "length": 1}]),

    # ---- the product, its props, and words that are never objects
    ("greeting-and-question", "hey there! could you shoot our new matcha tin next to a bamboo "
     "whisk", [{"path": "fibo.objects[0].description", "contains": ["matcha tin"]},
               {"path": "fibo.objects[*].description", "contains_any": ["whisk"]}, NOT_JUNK]),
    ("what-if-question", "what would it look like if we placed the serum on a mossy rock",
     [{"path": "fibo.objects[0].description", "equals": "serum"},
      {"path": "fibo.background_setting", "contains": ["mossy rock"]}, NOT_JUNK]),
    ("pronoun-predicate", "scented candle in a tin, it sits on a walnut board, lit",
     [{"path": "fibo.objects", "length": 1},
      {"path": "fibo.objects[0]", "contains_any": ["glow", "flame", "lit"]},
      {"path": "fibo.background_setting", "contains": ["walnut board"]}]),
    ("narrative-opening", "It's a bottle of gin, on slate. We're launching it next month.",
     [{"path": "fibo.objects[0].description", "equals": "bottle of gin"},
      {"path": "fibo.objects", "length": 1}, {"path": "fibo.context", "contains": ["launch"]}]),
    ("sentence-lead-after-a-heading", "New candle line. Picture three amber jars on a shelf",
     [{"path": "fibo.objects[0].description", "contains": ["amber jars"]},
      {"path": "fibo.objects[0].number_of_objects", "equals": 3}]),
    ("prop-named-first", "two lemons beside a glass juicer, yellow backdrop",
     [{"path": "fibo.objects[0].description", "contains": ["juicer"]},
      {"path": "fibo.objects[*].description", "contains_any": ["lemon"]}]),
    ("among-keeps-the-product", "3D render of a soda can drifting among ice cubes",
     [{"path": "fibo.objects[0].description", "contains": ["can"]},
      {"path": "fibo.objects[*].description", "contains_any": ["ice"]}]),
    ("verb-ending-in-ing", "close-up of a humidifier releasing mist, white background",
     [{"path": "fibo.objects[0].description", "contains": ["humidifier"]}]),
    ("scene-heading", "weekend brunch scene: a waffle stack, berries and a latte",
     [{"path": "fibo.objects[0].description", "contains": ["waffle"]},
      {"path": "fibo.objects[*].description", "not_contains": ["scene"]}]),
    ("content-then-container", "Limited edition gin. Frosted glass bottle with a copper stopper, "
     "on black slate", [{"path": "fibo.objects[0].description", "contains": ["bottle", "gin"]},
                        {"path": "fibo.objects[0]", "contains": ["copper"]},
                        {"path": "fibo.objects", "length": 1}]),
    ("imperatives", "shoot the thermos, make it look premium, place it on granite",
     [{"path": "fibo.objects[0].description", "equals": "thermos"},
      {"path": "fibo.objects", "length": 1}, NOT_JUNK]),
    ("surface-that-is-a-prop", "watch resting on a stack of vinyl records, warm light",
     [{"path": "fibo.objects[0].description", "contains": ["watch"]},
      {"path": "fibo.objects[*].description", "contains_any": ["records"]},
      {"path": "fibo.background_setting", "contains": ["records"]}]),
    ("hyphenated-compound", "studio shot of in-ear earbuds, pearl white, in an open charging case",
     [{"path": "fibo.objects[0].description", "matches": r"(?:^|\s)in-ear earbuds\b.*\bcase\b"},
      {"path": "fibo.objects[0]", "contains": ["white"]}, {"path": "fibo.objects", "length": 1}]),

    # ---- colours, materials and counts stay on the product
    ("count-said-apart", "ceramic mugs, four of them, speckled cream glaze, on a shelf",
     [{"path": "fibo.objects[0].number_of_objects", "equals": 4},
      {"path": "fibo.objects[0]", "contains": ["speckled"]},
      {"path": "fibo.objects", "length": 1}]),
    ("count-times", "socks x3 in mustard, flat lay",
     [{"path": "fibo.objects[0].number_of_objects", "equals": 3},
      {"path": "fibo.objects[0]", "contains": ["mustard"]}]),
    ("count-in-parentheses", "bath bombs (6 pieces) in pastel colours, on a white tray",
     [{"path": "fibo.objects[0].number_of_objects", "equals": 6},
      {"path": "fibo.objects", "length": 1}]),
    ("pair-noun", "loafers in cognac brown on a parquet floor",
     [{"path": "fibo.objects[0].number_of_objects", "equals": 2},
      {"path": "fibo.objects[0]", "contains": ["brown"]}]),
    ("state-adjective-alone", "a pair of hiking boots, muddy, on a rock",
     [{"path": "fibo.objects", "length": 1}, {"path": "fibo.objects[0]", "contains": ["muddy"]},
      NOT_JUNK]),
    ("colour-modifier-clause", "water bottle, electric blue and silver, on a gym floor",
     [{"path": "fibo.objects[0]", "contains": ["blue", "silver"]},
      {"path": "fibo.objects", "length": 1}]),
    ("copula-look", "The watch should be rose gold with a navy dial; put it on a leather "
     "notebook", [{"path": "fibo.objects[0].description", "contains": ["rose gold", "watch"]},
                  {"path": "fibo.objects[0]", "contains": ["navy"]}]),

    # ---- named lighting setups and modifiers: the word and its geometry
    ("clamshell", "portrait of a lipstick, clamshell lighting, grey backdrop",
     [{"path": "fibo.lighting.conditions", "contains": ["clamshell"]},
      key_az(-10, 10), key_el(30, 70),
      {"path": "controls.lights[role=fill].elevation", "range": [-90, -10]}]),
    ("butterfly", "compact powder, butterfly light, pink seamless",
     [{"path": "fibo.lighting", "contains": ["butterfly"]},
      key_az(-10, 10), key_el(45, 80)]),
    ("rembrandt-side", "Rembrandt light from the right on a leather journal",
     [{"path": "fibo.lighting", "contains": ["Rembrandt"]},
      {"path": "fibo.objects[0].description", "contains": ["journal"]},
      key_az(30, 60), key_el(30, 60)]),
    ("split", "split lighting from camera left, chronograph watch, black velvet",
     [{"path": "fibo.lighting", "contains": ["split"]},
      key_az(-100, -80),
      {"path": "controls.lights[role=fill]", "absent": True},
      {"path": "fibo.background_setting", "contains": ["velvet"]}]),
    ("loop", "loop lighting, skincare jar, beige linen",
     [{"path": "fibo.lighting", "contains": ["loop"]}, key_az(-50, -20)]),
    ("beauty-dish-overhead", "highlighter palette, beauty dish overhead, 100mm",
     [{"path": "fibo.lighting", "contains": ["beauty dish"]},
      key_el(60, 90),
      {"path": "controls.camera.elevation", "range": [-10, 45]}]),
    ("strip-boxes-as-rims", "speaker, two strip boxes as rims, black background",
     [{"path": "fibo.lighting.direction", "contains": ["rim", "strip box"]},
      {"path": "fibo.lighting.conditions", "contains": ["two rims"]}]),
    ("bounce-card", "sneaker, softbox key from the left, bounce card on the right",
     [{"path": "fibo.lighting", "contains": ["softbox", "bounce"]},
      key_az(-120, -20),
      {"path": "controls.lights[role=fill].azimuth", "range": [20, 120]},
      {"path": "fibo.objects[*].description", "not_contains": ["bounce", "card"]}]),
    ("negative-fill", "whiskey glass, one hard light, black flag for negative fill",
     [{"path": "fibo.lighting", "contains": ["flag"]},
      {"path": "controls.lights[role=fill]", "absent": True}]),
    ("gobo", "olive oil bottle, gobo pattern on the wall, warm light",
     [{"path": "fibo.lighting", "contains": ["gobo"]},
      {"path": "fibo.background_setting", "not_contains": ["resting on wall"]}]),
    ("hair-light", "model train, hair light from behind, dark backdrop",
     [{"path": "fibo.lighting.direction", "contains": ["hair light"]},
      {"path": "controls.lights[role=rim].azimuth", "range": [150, 180]}]),
    ("sun-through-window", "afternoon sun through the kitchen window on a loaf of bread",
     [{"path": "fibo.lighting", "contains": ["window", "sun"]},
      {"path": "fibo.objects[0].description", "contains": ["bread"]}]),
    ("shadow-pattern-named-in-conditions", "sunglasses on a towel, palm leaf shadows, bright sun",
     [{"path": "fibo.lighting.conditions", "contains": ["palm"]},
      {"path": "fibo.lighting.conditions", "contains_any": ["natural sunlight"]}]),
    ("golden-hour-window", "throw blanket on an armchair, golden hour window light",
     [{"path": "fibo.lighting", "contains": ["golden", "window"]},
      {"path": f"{KEY}.color_temperature", "range": [1500, 4000]}]),
    ("top-light", "jar of jam, top light, white background",
     [key_el(55, 90)]),
    ("overhead-softbox", "sneaker, overhead softbox",
     [key_el(55, 90), {"path": "fibo.lighting", "contains": ["softbox"]}]),
    ("light-from-above", "tea box, light from above, soft shadows",
     [key_el(55, 90)]),
    ("low-sun-behind-a-side", "wine glass, sun low behind from the right",
     [key_az(95, 180), key_el(0, 30)]),
    ("at-camera-right", "cologne bottle, key light at camera right, grey backdrop",
     [key_az(20, 120)]),

    # ---- scenes and surfaces
    ("counter-in-kitchen", "cutting board on a kitchen counter",
     [{"path": "fibo.background_setting", "contains": ["kitchen", "counter"]}]),
    ("bathroom-shelf", "shampoo bottle on a bathroom shelf",
     [{"path": "fibo.background_setting", "contains": ["bathroom", "shelf"]}]),
    ("by-the-fireplace", "slippers by the fireplace",
     [{"path": "fibo.background_setting", "contains": ["fireplace"]}]),
    ("blanket-in-meadow", "thermos on a picnic blanket in a meadow",
     [{"path": "fibo.background_setting", "contains": ["blanket", "meadow"]}]),
    ("surface-clause-no-preposition",
     "espresso machine, chrome, sunny kitchen counter white quartz",
     [{"path": "fibo.background_setting", "contains": ["kitchen", "quartz"]},
      {"path": "fibo.objects", "length": 1}]),

    # ---- what the image is for
    ("launch", "smartwatch for a product launch",
     [{"path": "fibo.context", "contains": ["launch"]}]),
    ("crowdfunding", "card game box for our kickstarter campaign",
     [{"path": "fibo.context", "contains_any": ["kickstarter", "crowdfunding"]}]),
    ("homepage", "vacuum cleaner for the website homepage",
     [{"path": "fibo.context", "contains_any": ["website", "homepage"]},
      {"path": "fibo.objects[0].description", "equals": "vacuum cleaner"}]),
    ("travel-catalogue", "laptop sleeve, travel catalogue",
     [{"path": "fibo.context", "contains": ["travel"]}]),
    ("story", "lip gloss for an instagram story",
     [{"path": "fibo.context", "contains_any": ["story", "instagram"]},
      {"path": "render.aspect", "equals": "9:16"}]),

    # ---- mood and aesthetic words
    ("japandi", "ceramic vase, japandi, neutral tones",
     [{"path": "fibo.aesthetics.mood_atmosphere", "contains": ["japandi"]}]),
    ("pop-summery", "popsicles, pop, vibrant, summery",
     [{"path": "fibo.aesthetics.mood_atmosphere", "contains": ["pop", "vibrant", "summery"]}]),
    ("lone-mood-adjective", "fountain pen on an oak desk, scholarly",
     [{"path": "fibo.aesthetics.mood_atmosphere", "contains": ["scholarly"]},
      {"path": "fibo.objects", "length": 1}]),
    ("motion", "sneaker, mid-air, motion blur, electric orange and black",
     [{"path": "fibo.aesthetics.mood_atmosphere", "contains_any": ["dynamic", "motion"]},
      {"path": "fibo.objects[0]", "contains": ["orange", "black"]},
      {"path": "fibo.objects", "length": 1}]),

    # ---- depth of field words give a compiled depth of field that holds the product
    ("everything-in-focus", "bracelet on moss, everything in focus",
     [{"path": "fibo.photographic_characteristics.depth_of_field",
       "contains_any": ["deep", "front to back"], "not_contains": ["shallow", "bokeh"]}]),
    ("deep-focus-explicit-aperture", "watch, tack sharp front to back, f/5.6",
     [{"path": "controls.camera.aperture", "equals": 5.6},
      {"path": "fibo.photographic_characteristics.depth_of_field",
       "contains_any": ["deep", "front to back"]}]),

    # ---- style medium: only a medium phrase changes it
    ("painted-is-a-finish", "painted wooden toy train on a rug",
     [{"path": "fibo.style_medium", "equals": "photograph"},
      {"path": "fibo.objects[0]", "contains": ["painted"]}]),
    ("hand-painted-is-a-finish", "hand-painted ceramic mug, window light",
     [{"path": "fibo.style_medium", "equals": "photograph"}]),
    ("as-a-painting", "a perfume bottle as a painting",
     [{"path": "fibo.style_medium", "contains": ["painting"]},
      {"path": "fibo.photographic_characteristics", "absent": True}]),
    ("blender-the-appliance", "blender, minimal, white",
     [{"path": "fibo.style_medium", "equals": "photograph"},
      {"path": "fibo.objects[0].description", "contains": ["blender"]}]),

    # ---- misspellings of product and photography words
    ("typos", "perfum bottel on marbel, low angel",
     [{"path": "fibo.objects[0].description", "contains": ["perfume bottle"]},
      {"path": "controls.camera.elevation", "range": [-90, -1]}]),
    ("real-words-are-not-mended", "espresso with thick crema, chocolate mousse beside it",
     [{"path": "fibo.objects[0]", "contains": ["crema"]},
      {"path": "fibo.objects[*].description", "contains_any": ["mousse"]}]),
]


@pytest.fixture(scope="module")
def t() -> RulesTranslator:
    return create(Settings())


def test_there_are_forty_or_more_phrasings():
    assert len(CASES) >= 40
    assert len({case_id for case_id, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("case_id", "prompt", "expect"), CASES, ids=[c[0] for c in CASES])
def test_phrasing(t, case_id, prompt, expect):
    m = t.translate(prompt)
    assert validate_manifest(m) == []
    failed = [why for exp in expect for ok, why in [check(m, exp)] if not ok]
    assert failed == [], f"{case_id}: {prompt!r}"
