"""Nouns that name products people photograph, by category, and the lookups built on them.

The object parser uses them to tell the product from its props and its set ("hardcover book
with reading glasses": the book; "lemons around a bottle": the bottle), to keep verbs and
adjectives from becoming objects, and to mend a misspelt product word ("sneker", "bottel").
Plain data and small pure functions; singular forms only, plurals are derived.
"""

from __future__ import annotations

import re
from functools import cache

_CATEGORIES = {
    "containers": """bottle flask vial jar pot tub tube can tin box case carton pouch sachet
        packet pack bag tote jug pitcher carafe decanter canister dispenser pump compact
        palette stick roller ampoule cartridge capsule crate basket""",
    "beauty": """perfume fragrance cologne serum moisturizer moisturiser cream lotion balm toner
        cleanser mask sunscreen sunblock foundation concealer lipstick lipgloss gloss mascara
        eyeliner eyeshadow blush bronzer highlighter primer powder nail polish shampoo
        conditioner soap bodywash deodorant razor brush comb hairbrush sponge diffuser candle
        incense oil scrub exfoliator mist spray toothbrush toothpaste straightener dryer
        hairdryer curler""",
    "jewellery": """ring necklace pendant bracelet bangle earring earrings anklet brooch watch
        smartwatch chain locket cufflink cufflinks tiara charm""",
    "tech": """phone smartphone iphone laptop notebook tablet ipad headphone headphones headset
        earbud earbuds earphone earphones speaker camera lens drone console controller gamepad
        keyboard mouse monitor screen tv television charger cable powerbank router smartwatch
        tracker projector microphone mic turntable radio remote e-reader kindle printer
        gadget device robot vr""",
    "kitchen": """mug cup teacup glass tumbler goblet flute coupe bowl plate dish platter saucer
        teapot kettle pan saucepan skillet wok pot knife knives cleaver spatula whisk ladle
        grinder blender mixer toaster juicer kettle espresso machine coffeemaker percolator
        thermos cutlery fork spoon chopsticks tray board container lunchbox bento""",
    "furniture": """chair armchair sofa couch stool bench table desk lamp lampshade vase
        planter clock mirror shelf cabinet rug cushion pillow throw blanket duvet quilt
        frame sculpture figurine ornament bookend candleholder candlestick lantern""",
    "apparel": """shirt t-shirt tee blouse dress skirt jacket coat blazer hoodie sweater jumper
        cardigan jeans trousers pants shorts suit scarf hat cap beanie glove gloves sock socks
        tie belt sunglasses glasses spectacles swimsuit bikini lingerie bra pajamas robe
        kimono vest jersey uniform apron""",
    "footwear": """shoe shoes sneaker sneakers trainer trainers boot boots sandal sandals heel
        heels stiletto loafer loafers slipper slippers flip-flop flip-flops espadrille clog
        clogs mule mules pump oxford brogue""",
    "bags": """handbag purse clutch wallet backpack rucksack satchel duffel suitcase luggage
        briefcase tote crossbody keychain keyring""",
    "food": """cake cupcake muffin croissant bread loaf baguette bagel donut doughnut cookie
        biscuit brownie tart pie pizza burger sandwich taco sushi salad soup pasta noodles
        steak chocolate truffle praline candy macaron macarons pastry waffle pancake pancakes
        icecream gelato popsicle yogurt cheese honey jam sauce coffee latte cappuccino espresso
        tea matcha smoothie juice lemonade soda cola beer wine champagne prosecco whisky
        whiskey gin vodka rum tequila cocktail martini negroni mojito spritz kombucha water
        milk cereal granola snack chips crisps popcorn nuts bar""",
    "toys_sport": """toy teddy doll puzzle game lego train car truck ball skateboard
        surfboard bicycle bike helmet racket bat dumbbell kettlebell mat yoga-mat""",
    "stationery": """book journal diary planner pen pencil fountain-pen marker notebook card
        envelope calendar sketchbook""",
    "home_misc": """towel tool drill hammer wrench screwdriver umbrella leash collar
        plant terrarium vacuum cleaner humidifier purifier fan heater cooler thermos flashlight
        torch lantern tent backpack""",
}
PRODUCT_NOUNS: frozenset[str] = frozenset(
    w.replace("-", " ") if w in ("fountain-pen", "yoga-mat") else w
    for words in _CATEGORIES.values() for w in words.split()
)
# A box, bag or bottle holds the product ("a can of sparkling water"); the contents name it.
CONTAINER_NOUNS: frozenset[str] = frozenset(_CATEGORIES["containers"].split())
# What a container holds: "perfume" and a "crystal bottle" said apart are one product.
CONTENT_NOUNS: frozenset[str] = frozenset(
    w for cat in ("beauty", "food") for w in _CATEGORIES[cat].split()
) - CONTAINER_NOUNS - {"brush", "comb", "hairbrush", "sponge", "razor", "toothbrush",
                       "straightener", "dryer", "hairdryer", "curler", "diffuser", "candle"}
# Nouns that come in pairs: "chelsea boots" with no count are two of them.
PAIR_NOUNS = frozenset({
    "boots", "shoes", "sneakers", "trainers", "sandals", "heels", "loafers", "slippers",
    "earrings", "socks", "gloves", "mules", "clogs", "espadrilles", "cufflinks", "flip-flops",
    "stilettos", "oxfords", "brogues",
})
# Words ending in -ing that are nouns, not a verb cutting a phrase ("diffuser puffing mist").
ING_NOUNS = frozenset({
    "ring", "earring", "packaging", "clothing", "bedding", "frosting", "icing", "filling",
    "topping", "lighting", "building", "string", "sling", "wing", "swing", "king", "pudding",
    "stuffing", "dressing", "seasoning", "painting", "drawing", "ceiling", "railing",
    "stocking", "legging", "wedding", "spring", "evening", "morning", "setting", "wrapping",
    "lining", "stitching", "detailing", "trimming", "awning", "siding", "flooring",
    "sibling", "dumpling", "bing", "ling", "thing", "something", "nothing", "everything",
    "sapling", "duckling", "bunting", "herring", "whiting", "tubing", "fitting",
    "casing", "coating", "plating", "rigging", "bearing", "housing", "opening", "offering",
    "serving", "helping", "cling", "sing", "ping", "zing",
})


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es" if not word.endswith("s") or word.endswith("ss") else word
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("fe"):
        return word[:-2] + "ves"
    return word + "s"


@cache
def _all_forms() -> frozenset[str]:
    return frozenset(PRODUCT_NOUNS | {plural(w) for w in PRODUCT_NOUNS if " " not in w})


def stem(word: str) -> str:
    """A rough singular for comparing nouns: knives / knifes / knife -> "knif"."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("ches", "shes", "sses", "xes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    w = w[:-1] if w.endswith("e") and len(w) > 3 else w
    return w[:-1] + "f" if w.endswith("v") else w


def is_product_noun(word: str) -> bool:
    return word.lower() in _all_forms()


_WORD = re.compile(r"[a-z][a-z'-]*")


def product_words(text: str) -> list[str]:
    """The product nouns in ``text``, in order ("gold pendant necklace" -> pendant, necklace)."""
    low = text.lower()
    return [w for w in _WORD.findall(low) if w in _all_forms()]
