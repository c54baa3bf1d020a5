"""Word lists the extractors share: numbers, colours, materials, products, props, moods.

Plain data only; the patterns built from it live next to the extractor that uses them.
"""

from __future__ import annotations

import re

from studioflow.core.colors import NAMED_COLORS


def alternation(words: list[str] | tuple[str, ...] | set[str] | dict) -> str:
    """A regex alternation of ``words``, longest first, spaces and hyphens interchangeable."""
    out = []
    for w in sorted(words, key=len, reverse=True):
        out.append(re.escape(w).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?"))
    return "(?:" + "|".join(out) + ")"


NUMBER_WORDS = {
    "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "a dozen": 12,
    "fifteen": 15, "twenty": 20, "a couple of": 2, "a couple": 2, "couple of": 2, "a pair of": 2,
    "pair of": 2, "a trio of": 3, "trio of": 3, "a few": 3, "few": 3, "several": 4,
    "a handful of": 5, "handful of": 5, "a set of": None, "set of": None, "both": 2,
}
COUNT_WORDS = {w: n for w, n in NUMBER_WORDS.items() if w not in ("single", "both")}

# Colour words that are just as often a food, drink or scent: in an object's description
# they count as a colour only with a colour cue ("mint green", "pale peach", "wine-colored").
AMBIGUOUS_COLORS = {
    "wine", "honey", "chocolate", "olive", "mint", "cream", "lemon", "peach", "salmon", "lime",
    "lavender", "sage", "orange", "coffee", "caramel",
    "plum", "champagne", "rose", "sand", "rust", "walnut", "clear", "transparent",
    "frosted", "coral", "amber", "copper", "brass", "bronze", "denim", "cherry", "tan",
}
COLOR_MODIFIERS = {
    "light": ("white", 0.45), "pale": ("white", 0.55), "pastel": ("white", 0.5),
    "soft": ("white", 0.3), "dark": ("black", 0.4), "deep": ("black", 0.3),
    "rich": ("black", 0.2), "muted": ("gray", 0.35), "dusty": ("gray", 0.3),
    "bright": (None, 0.0), "vivid": (None, 0.0), "warm": (None, 0.0), "cool": (None, 0.0),
    "neon": (None, 0.0), "electric": (None, 0.0), "matte": (None, 0.0), "pure": (None, 0.0),
}
COLOR_NAMES = sorted(NAMED_COLORS, key=len, reverse=True)
COLOR_SUFFIX = r"(?:[\s-]?(?:colou?red|toned|tinted|hued|ish))?"

MATERIALS = [
    "frosted glass", "clear glass", "amber glass", "tinted glass", "recycled glass", "glass",
    "crystal", "ceramic", "porcelain", "stoneware", "terracotta", "earthenware", "clay",
    "stainless steel", "brushed steel", "brushed aluminum", "brushed aluminium", "brushed metal",
    "brushed brass", "steel", "aluminum", "aluminium", "chrome", "metal", "metallic", "titanium",
    "gold", "silver", "brass", "copper", "bronze", "rose gold", "leather", "suede", "vegan leather",
    "patent leather", "wood", "wooden", "oak", "walnut", "bamboo", "teak", "cork", "marble",
    "concrete", "stone", "granite", "slate", "terrazzo", "linen", "cotton", "wool", "knit",
    "knitted", "cashmere", "silk", "satin", "velvet", "canvas", "denim", "plastic", "acrylic",
    "resin", "rubber", "silicone", "paper", "kraft paper", "cardboard", "rattan", "wicker",
    "enamel", "lacquered", "matte", "glossy", "gloss", "high-gloss", "satin-finish", "shiny",
    "polished", "brushed", "hammered", "textured", "ribbed", "fluted", "embossed", "quilted",
    "iridescent", "holographic", "pearlescent", "translucent", "transparent", "frosted",
    "soft-touch", "faceted", "woven", "mesh", "neoprene", "nylon", "fabric", "felt", "jade",
    "onyx", "pewter", "tin", "wax", "beeswax", "soy wax", "cable knit", "cable-knit",
    "chunky knit", "waffle knit", "boucle", "bouclé", "tweed", "corduroy", "fleece", "sherpa",
    "mohair", "alpaca", "merino", "gingham", "plaid", "tartan", "houndstooth", "herringbone",
    "jacquard", "lace", "tulle", "chiffon", "organza", "crochet", "speckled", "glazed",
    "painted", "hand-painted", "lacquer", "powder-coated", "anodized", "anodised", "sandblasted",
    "distressed", "weathered", "raw", "unglazed", "crackle", "marbled", "shimmery", "shimmering",
    "glittery", "sparkly", "metallic", "satin-finish", "velvety", "suede-like", "faux fur",
]
SHAPES = ["round", "square", "rectangular", "cylindrical", "oval", "tall", "slim", "slender",
          "squat", "curved", "angular", "spherical", "cube-shaped", "hexagonal", "triangular",
          "chunky", "sleek", "minimalist", "rounded", "tapered", "boxy", "dome-shaped"]
SIZE_WORDS = {"tiny": "small", "small": "small", "little": "small", "mini": "small",
              "miniature": "small", "medium": "medium", "medium-sized": "medium",
              "large": "large", "big": "large", "huge": "large", "giant": "large",
              "oversized": "large", "jumbo": "large"}
ORIENTATIONS = {
    r"lying (?:on its side|sideways)|on its side": "lying on its side",
    r"lying (?:flat|down)|laid flat|flat on": "lying flat",
    r"upright|standing(?: upright)?": "upright",
    r"tilted|tipped|leaning|angled(?! view)": "tilted at an angle",
    r"floating|levitating|suspended(?: in (?:mid-?)?air)?|(?:in )?mid[\s-]?air|hovering":
        "floating in mid-air",
    r"upside[\s-]down|inverted": "upside down",
    r"hanging": "hanging",
    r"facing (?:the )?left": "facing left",
    r"facing (?:the )?right": "facing right",
    r"facing (?:the )?(?:camera|viewer|front)": "facing the camera",
    r"open(?:ed)?(?! space)": "open",
    r"stacked": "stacked",
}

# Heads that are a part or a detail of the product, not a prop beside it.
PART_NOUNS = {
    "cap", "caps", "lid", "lids", "label", "labels", "handle", "handles", "strap", "straps",
    "logo", "pump", "dropper", "spout", "straw", "steam", "droplets", "condensation", "drops",
    "dial", "bezel", "face", "laces", "sole", "soles", "buckle", "zipper", "finish", "pattern",
    "stripes", "print", "embossing", "engraving", "bow", "tag", "sticker", "seal", "cork",
    "stopper", "nozzle", "trim", "accents", "accent", "details", "detailing", "stitching",
    "hardware", "chain", "clasp", "band", "buttons", "screen", "display", "keys", "lens", "sleeve",
    "cover", "edges", "corners", "texture", "sheen", "shine", "glow", "highlights", "lettering",
    "typography", "branding", "foam", "froth", "bubbles", "fizz", "ice", "wick", "flame", "case",
    "brim", "collar", "cuffs", "pockets", "hood", "heel", "heels", "toe", "rim", "base", "neck",
    "glaze", "gradient", "monogram", "insignia", "emblem", "writing", "dripping", "swirl",
    "frosting", "icing", "topping", "toppings", "filling", "crust", "drizzle", "garnish",
    "reflections", "sparkle", "shimmer", "dew", "water droplets", "packaging", "wrapper",
    "wrapping", "ribbon", "tassel", "charm", "charms", "zip", "lining", "hands", "needle",
    "needles", "crown", "pusher", "pushers", "bristles", "nib", "cord", "cable", "crema",
    "buckles", "clasps", "zips", "zippers", "hinges", "rivets", "studs", "eyelets",
}
# Heads that are usually styling props rather than the product.
PROP_NOUNS = {
    "lemon", "lemons", "lime", "limes", "orange slices", "citrus", "fruit", "fruits", "berries",
    "strawberries", "blueberries", "raspberries", "cherries", "grapes", "apples", "leaves",
    "leaf", "eucalyptus", "sprig", "sprigs", "petals", "flowers", "flower", "roses", "blossoms",
    "botanicals", "herbs", "rosemary", "lavender", "basil", "mint leaves", "beans",
    "coffee beans", "ice cubes", "cubes", "splash", "pebbles", "stones", "rocks", "shells",
    "seashells", "moss", "branches", "branch", "twigs", "pine cones", "pinecones",
    "cinnamon sticks", "spices", "towel", "towels", "cloth", "napkin", "ribbon", "ribbons",
    "confetti", "books", "book", "magazine", "props", "crystals", "plants", "plant",
    "palm leaves", "monstera", "cotton", "wheat", "grains", "nuts", "almonds", "honeycomb",
    "slices", "wedges", "olives", "ornaments", "baubles", "pearls", "sand", "water droplets",
    "bubbles", "smoke", "mist", "fabric", "sticks", "succulent", "succulents", "seeds", "oats",
    "cocoa", "garnish", "tulips", "peonies", "daisies", "fern", "ferns", "greenery", "foliage",
    "pine", "stars", "fairy lights", "grass", "pampas", "tomatoes", "cherry tomatoes", "herb",
    "peppercorns", "chilies", "chillies", "garlic", "onions", "bread", "crumbs", "sprinkles",
}
# A first phrase naming a whole category ("flat lay of skincare: a serum, two rollers") is a
# heading, not an object, when objects follow.
CATEGORY_NOUNS = {
    "skincare", "products", "items", "essentials", "collection", "set", "kit", "accessories",
    "tools", "gear", "cosmetics", "makeup", "groceries", "stationery", "beauty", "haircare",
    "toiletries", "supplies", "goods", "things", "stuff", "merch", "merchandise", "range",
    "lineup", "assortment", "selection", "bundle", "flatlay", "arrangement", "line", "series",
    "family", "capsule", "drop",
}
# A clause that is only one of these, after the product, says what it stands on.
SURFACE_HEADS = {
    "board", "table", "tabletop", "countertop", "counter", "surface", "floor", "slab", "plinth",
    "pedestal", "podium", "shelf", "desk", "marble", "tray", "platter", "bench", "linen",
    "tablecloth", "windowsill", "ledge", "sand", "wood", "concrete", "stone", "slate", "tiles",
    "terrazzo", "rock", "rocks", "moss", "cloth", "velvet", "silk", "satin", "sink", "vanity",
    "basin", "bathtub", "stovetop", "stove", "mantel", "mantelpiece", "nightstand", "dresser",
    "bookshelf", "sill", "island", "worktop", "workbench", "quartz", "blanket", "towel", "mat",
    "rug", "bed", "sheets", "log", "stump", "boulder", "pebbles", "stool", "crate",
    "granite", "tile", "bar top", "cutting board", "chopping board", "butcher block", "burlap",
    "jute", "hessian", "canvas", "felt", "parchment", "newspaper", "cork", "bark", "driftwood",
    "sandstone", "travertine", "limestone", "basalt", "plaster", "cardboard", "gravel", "soil",
    "straw", "hay",
}
# States of the product said on their own ("soy candle in a jar, lit, on a shelf").
STATE_WORDS = {
    "lit": "lit, with a glowing flame", "burning": "burning, with a glowing flame",
    "glowing": "glowing", "steaming": "steaming hot", "open": "open", "opened": "open",
    "closed": "closed", "empty": "empty", "full": "full", "half-full": "half full",
    "melting": "melting", "dripping": "dripping", "wet": "wet, with water droplets",
    "frozen": "frozen", "sliced": "sliced", "peeled": "peeled", "unboxed": "unboxed",
    "new": "brand new", "used": "lightly used", "worn": "worn", "folded": "neatly folded",
    "sparkle": "sparkling highlights", "sparkling": "sparkling highlights",
    "glitter": "glittering highlights", "shimmer": "shimmering highlights",
    "shiny": "shiny, glossy highlights", "dewy": "dewy, with fine water droplets",
    "condensation": "cold condensation droplets", "splashing": "splashing liquid",
    "rolled": "rolled", "stacked": "stacked", "uncapped": "uncapped, cap beside it",
    "capped": "capped", "iced": "iced", "chilled": "chilled, with condensation",
}
# Nouns that say what something stands on (a surface) rather than what stands on it.
SURFACE_NOUNS = {
    "marble", "table", "tabletop", "counter", "countertop", "wood", "slate", "stone", "concrete",
    "pedestal", "plinth", "podium", "block", "blocks", "cube", "cubes", "tray", "plate", "shelf",
    "sand", "moss", "rock", "rocks", "pebbles", "linen", "silk", "satin", "velvet", "cloth",
    "fabric", "towel", "paper", "terrazzo", "tile", "tiles", "granite", "quartz", "glass",
    "mirror", "acrylic", "board", "desk", "floor", "ground", "bed", "sheets", "books", "leaves",
    "ice", "water", "snow", "grass", "log", "stump", "windowsill", "ledge", "vanity", "bench",
    "stool", "chair", "sofa", "cushion", "pillow", "rug", "carpet", "blanket", "slab", "riser",
    "display", "stand", "cylinder", "surface", "oak", "walnut", "bamboo", "plank", "planks",
    "tablecloth", "runner", "platter", "dish", "saucer", "cutting board", "butcher block",
    "metal", "steel", "brick", "cork", "felt", "leather", "canvas", "burlap", "driftwood",
    "tree stump", "boulder", "ceramic", "porcelain", "crate", "box", "bark", "petals",
}
SCENE_NOUNS = {
    "kitchen", "bathroom", "bedroom", "living room", "cafe", "café", "coffee shop", "restaurant",
    "bar", "spa", "garden", "forest", "woods", "jungle", "beach", "desert", "meadow", "field",
    "park", "street", "city", "cityscape", "rooftop", "pool", "poolside", "ocean", "sea", "lake",
    "river", "waterfall", "mountains", "mountain", "snowfield", "office", "gym", "store", "shop",
    "boutique", "market", "greenhouse", "loft", "apartment", "interior", "room", "hallway",
    "library", "vineyard", "farm", "cabin", "picnic", "countryside", "nature", "sky", "clouds",
    "space", "underwater", "outdoors", "outside", "patio", "terrace", "balcony", "dock", "pier",
    "boat", "yacht", "car", "studio apartment", "hotel", "lobby", "salon", "barbershop",
    "laboratory", "lab", "workshop", "bakery", "diner", "subway", "alley", "skyline", "sunset sky",
    "tropical setting", "setting", "scene", "environment", "landscape", "dunes", "cliff",
    "waves", "shore", "coast", "island", "rainforest", "snow", "winter wonderland", "fireplace",
    "campsite", "tent", "trail", "backyard", "porch", "windowsill", "vanity", "dresser",
    "nightstand", "bookshelf", "cottage", "castle", "stage", "runway", "airport", "lounge",
    "terminal", "train station", "station", "skatepark", "skate park", "stadium", "arena",
    "gallery", "museum", "showroom", "atelier", "penthouse", "cellar", "wine cellar", "brewery",
    "distillery", "pantry", "sauna", "locker room", "dressing room", "walk-in closet", "nursery",
    "playroom", "classroom", "conservatory", "orchard", "harbor", "harbour", "marina",
    "riverbank", "lakeside", "seaside", "boardwalk", "garage", "driveway", "road", "highway",
    "race track", "summit", "glacier", "cave", "canyon", "savanna", "ski slope", "slopes",
    "campfire", "bonfire", "farmers market", "night market", "food truck", "bookstore",
    "coworking space", "dining room", "breakfast nook", "oven", "stove", "hearth", "grill",
    "barbecue", "courtyard", "plaza", "train", "subway station", "hotel room", "spa room",
    "beach house", "villa", "poolside bar", "bistro", "pub", "tavern", "lab bench", "forest floor",
    "vanity table", "wheat field", "lavender field", "sunflower field", "rice field",
    "milky way", "night sky", "starry sky", "stars", "northern lights", "aurora", "moonlight sky",
    "stream", "creek", "brook", "pond", "dinner", "breakfast", "brunch", "date night",
    "celebration", "dinner party", "tea party",
}
MOODS = {
    "luxury": "luxurious", "luxurious": "luxurious", "luxe": "luxurious", "opulent": "opulent",
    "premium": "premium", "high-end": "high-end", "upscale": "upscale", "lavish": "lavish",
    "glamorous": "glamorous", "glam": "glamorous", "elegant": "elegant", "elegance": "elegant",
    "sophisticated": "sophisticated", "refined": "refined", "classy": "classy",
    "fresh": "fresh", "crisp": "crisp", "airy": "airy", "light and airy": "light and airy",
    "clean": "clean", "cozy": "cozy", "cosy": "cozy", "inviting": "inviting", "homey": "homey",
    "calm": "calm", "serene": "serene", "tranquil": "tranquil", "peaceful": "peaceful",
    "zen": "zen", "relaxing": "relaxing", "soothing": "soothing", "minimal": "minimal",
    "minimalist": "minimal", "minimalistic": "minimal", "dramatic": "dramatic", "moody": "moody",
    "mysterious": "mysterious", "dark": None, "bold": "bold", "intense": "intense", "edgy": "edgy",
    "playful": "playful", "fun": "fun", "whimsical": "whimsical", "cheerful": "cheerful",
    "joyful": "joyful", "happy": "happy", "vibrant": "vibrant", "energetic": "energetic",
    "dynamic": "dynamic", "lively": "lively", "colorful": "colorful", "colourful": "colorful",
    "summery": "summery", "summer": None, "tropical": "tropical", "festive": "festive",
    "romantic": "romantic", "dreamy": "dreamy", "ethereal": "ethereal", "natural": None,
    "organic": "organic", "earthy": "earthy", "rustic": "rustic", "nostalgic": "nostalgic",
    "vintage": "vintage", "retro": "retro", "modern": "modern", "sleek": "sleek",
    "futuristic": "futuristic", "techy": "techy", "high-tech": "high-tech",
    "industrial": "industrial", "sporty": "sporty", "youthful": "youthful", "sensual": "sensual",
    "powerful": "powerful", "heroic": "heroic", "epic": "epic", "pure": "pure",
    "healthy": "healthy", "wholesome": "wholesome", "appetizing": "appetizing",
    "delicious": "appetizing", "refreshing": "refreshing", "icy": "icy", "wintry": "wintry",
    "autumnal": "autumnal", "feminine": "feminine", "masculine": "masculine", "quiet": "quiet",
    "understated": "understated", "sustainable": "sustainable", "eco-friendly": "eco-friendly",
    "bright": None, "warm": None, "soft": None, "sultry": "sultry", "gritty": "gritty",
    "cinematic": "cinematic", "spa-like": "spa-like", "clinical": "clinical",
    "scientific": "scientific", "trustworthy": "trustworthy", "cute": "cute", "quirky": "quirky",
    "bohemian": "bohemian", "boho": "bohemian", "cheery": "cheerful", "sunny": "sunny",
    "mystical": "mystical", "magical": "magical", "spooky": "spooky", "nighttime": "nighttime",
    "christmas": "festive", "holiday": "festive", "lush": "lush", "indulgent": "indulgent",
    "decadent": "decadent", "timeless": "timeless", "classic": "classic", "chic": "chic",
    "hygge": "hygge", "dark and moody": "dark and moody", "mediterranean": "mediterranean",
    "urban": "urban", "gritty urban": "gritty", "streetwear": "urban", "smoky": "smoky",
    "scandinavian": "scandinavian", "nordic": "nordic", "zen-like": "zen",
    "stylish": "stylish", "confident": "confident", "striking": "striking",
    "tech": "high-tech", "japandi": "japandi, calm and minimal", "wabi-sabi": "wabi-sabi, calm",
    "pop": "bold pop", "poppy": "bold pop", "party": "festive party", "celebratory": "celebratory",
    "scholarly": "scholarly", "academic": "academic", "studious": "studious",
    "intellectual": "intellectual", "athletic": "athletic", "sport": "sporty",
    "punchy": "punchy", "girly": "playful and feminine",
    "rugged": "rugged", "adventurous": "adventurous", "outdoorsy": "outdoorsy",
    "nautical": "nautical", "coastal": "coastal", "botanical": "botanical", "floral": "floral",
    "artisanal": "artisanal", "handcrafted": "handcrafted", "homemade": "homemade",
    "kawaii": "cute", "serious": "serious", "professional-looking": "professional",
}
STYLE_WORDS = {  # artistic style words (at most about three go into artistic_style)
    "minimalist": "minimalist", "minimal": "minimalist", "minimalistic": "minimalist",
    "cinematic": "cinematic", "editorial": "editorial", "vintage": "vintage", "retro": "retro",
    "surreal": "surreal", "surrealist": "surreal", "pop art": "pop art", "art deco": "art deco",
    "bauhaus": "bauhaus", "scandinavian": "scandinavian", "nordic": "scandinavian",
    "brutalist": "brutalist", "futuristic": "futuristic", "cyberpunk": "cyberpunk",
    "y2k": "y2k", "boho": "bohemian", "bohemian": "bohemian", "rustic": "rustic",
    "industrial": "industrial", "painterly": "painterly", "impressionistic": "impressionistic",
    "film grain": "film grain", "grainy": "grainy", "analog": "analog film", "lomo": "lomo",
    "high fashion": "high fashion", "lifestyle": "lifestyle",
    "hyperrealistic": "hyperrealistic", "photorealistic": "photorealistic",
    "hyper-realistic": "hyperrealistic", "stylized": "stylized",
    "stylised": "stylized", "flat design": "flat design", "isometric": "isometric",
    "low poly": "low poly", "kawaii": "kawaii", "gothic": "gothic", "baroque": "baroque",
    "mid-century": "mid-century modern", "japandi": "japandi", "wabi-sabi": "wabi-sabi",
    "maximalist": "maximalist", "avant-garde": "avant-garde", "monochrome": "monochrome",
    "high contrast": "high contrast", "modern": "modern", "graphic": "graphic",
    "contemporary": "contemporary", "fine art": "fine art", "still life": "still life",
}
FILLER_LEADS = (  # how sentences open before they name the product
    r"(?:(?:please|hey|hi|ok(?:ay)?|so|now)\s+)*"
    r"(?:(?:can|could|would|will)\s+(?:you|we|i)\s+(?:please\s+)?|"
    r"i\s*(?:'d|would)\s+(?:like|love)\s+|(?:i|we)\s+(?:want|need|would\s+like)\s+|"
    r"let'?s\s+|(?:what|how)\s+would\s+it\s+look\s+(?:like\s+)?if\s+(?:we|you|i)\s+"
    r"(?:(?:put|placed|set|shot|photographed|staged|showed|had)\s+)?|"
    r"how\s+about\s+|picture\s+this\s*:?\s*|"
    r"(?:it'?s|it\s+is|this\s+is|these\s+are|here\s+(?:is|are)|here'?s|there\s+(?:is|are)|"
    r"there'?s|the\s+(?:product|item|subject)\s+is|(?:my|our)\s+(?:product|item)\s+is|"
    r"(?:i|we)\s+(?:have|sell|make|got|designed|made)|(?:i'm|i\s+am|we're|we\s+are)\s+"
    r"(?:selling|launching|making|shooting|releasing|introducing)|(?:our|my)\s+(?:brand|"
    r"company|shop|store|studio)\s+(?:makes|sells|launches|is\s+launching))\s+(?:(?:our|my)\s+)?|(?:picture|imagine|envision)\s+(?=(?:a|an|the|"
    r"this|these|some|our|my|\d+|one|two|three|four|five|six)\b))?"
    r"(?:to\s+(?:see|have|get)\s+)?"
    r"(?:(?:create|generate|make|render|produce|design|give\s+me|show(?:\s+me)?|shoot|"
    r"photograph|capture|take|draw|paint|illustrate|imagine|do|get|put|place|see|write|add|"
    r"print|include|feature|showcase|present)\b)?\s*"
    r"(?:(?:an?|the|some|our|my|this|these)\s+)?"
    r"(?:(?:[\w-]+\s+){0,3}?(?:photo(?:graph)?s?|photography|shots?|images?|pictures?|"
    r"renders?|renderings?|illustrations?|paintings?|drawings?|sketch(?:es)?|visuals?|"
    r"pack ?shots?|stills?|still lif(?:e|es)|mock-?ups?|hero|banners?|ads?|posters?|"
    r"closeups?|close-ups?|portraits?|flat ?lays?|compositions?|scenes?|versions?|views?)"
    r"\s+(?:of|for|showing|featuring|with)\s+(?:(?:an?|the|our|my|this|these)\s+)?)?"
)
STOPWORDS = {
    "a", "an", "the", "of", "with", "and", "in", "on", "at", "to", "for", "by", "from", "it",
    "its", "is", "are", "be", "as", "that", "this", "these", "those", "some", "very", "really",
    "quite", "nice", "beautiful", "beautifully", "gorgeous", "stunning", "amazing", "awesome",
    "cool", "great", "good", "pretty", "lovely", "professional", "professionally", "high",
    "quality", "high-quality", "hq", "hd", "4k", "8k", "uhd", "detailed", "highly", "ultra",
    "super", "sharp", "shot", "photo", "photograph", "image", "picture", "style", "styled",
    "look", "looking", "feel", "vibe", "vibes", "please", "using", "use", "under", "while",
    "into", "onto", "over", "then", "also", "plus", "just", "only", "like", "show", "showing",
    "featuring", "product", "products", "commercial", "studio", "shoot", "photography",
    "render", "rendering", "capture", "captured", "made", "make", "create", "generate", "but",
    "no", "not", "without", "lit", "light", "lighting", "set", "placed", "sitting", "standing",
    "resting", "positioned", "arranged", "displayed", "put", "so", "or", "which", "where",
    "there", "here", "up", "out", "down", "off", "one", "all", "any", "more", "less", "much",
    "maybe", "perhaps", "slightly", "somewhat", "bit", "little", "lot", "lots", "tons",
    "realistic", "photorealistic", "hyperrealistic", "composition", "scene", "angle", "view",
    "background", "backdrop", "surface", "mood", "aesthetic", "feeling", "atmosphere",
}
