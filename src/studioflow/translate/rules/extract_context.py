"""What the image is for ("Amazon listing", "hero banner", "Kickstarter page", "tech launch")
-> ``fibo.context``, in a standard phrase plus the user's own words when they say more
("a commercial product photograph ..., for a travel catalogue"), and the occasion it
promotes ("for Black Friday", "for our summer sale")."""

from __future__ import annotations

import re

from studioflow.translate.rules.describe import with_article
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.product_words import product_words
from studioflow.translate.rules.scan import Scan
from studioflow.translate.rules.vocabulary import STOPWORDS

I = re.IGNORECASE  # noqa: E741
_OF = r"(?:\s+(?:of|showing|featuring|depicting))?"

# (pattern, context, aspect implied); the first pattern that matches sets the context.
CONTEXTS = [
    (r"(?:amazon|shopify|etsy|ebay)(?:\s+(?:listing|product\s+page|store|shop|main\s+image))?",
     "an e-commerce product listing image", None),
    (r"(?:kickstarter|indiegogo|crowd[\s-]?funding)(?:\s+(?:page|campaign|video|launch))?",
     "a crowdfunding campaign page image", None),
    (r"e-commerce(?:\s+(?:listing|product\s+page|page|catalog(?:ue)?|store|site|photo|image|"
     r"shot|use))?|online\s+(?:store|shop)|web\s*shop|product\s+(?:page|listing|catalog(?:ue)?)|"
     r"catalog(?:ue)?(?:\s+(?:image|photo|shot))?|marketplace|listing", "DEFAULT", None),
    (r"(?:hero\s+banner|website\s+(?:banner|header|hero)|web\s+banner|banner|header\s+image)"
     r"(?:\s+image)?", "a hero banner image for a website", "16:9"),
    (r"hero\s+(?:image|shot|section|visual)|landing\s+page|(?:website\s+)?home\s*page|website",
     "a hero image for a website homepage or product landing page", None),
    (r"(?:instagram|ig|facebook|social(?:\s+media)?)\s+(?:stor(?:y|ies)|reels?)|tiktok|reels?",
     "a vertical social media story", "9:16"),
    (r"pinterest(?:\s+pin)?", "a Pinterest pin", "2:3"),
    (r"instagram(?:\s+(?:post|feed|ad|grid|carousel|content))?",
     "an Instagram post for a brand's social feed", None),
    (r"(?:social\s+media|social|facebook)(?:\s+(?:post|ad|feed|content|campaign|media))?",
     "a social media post", None),
    (r"editorial(?:\s+(?:spread|feature|shoot|image|still\s+life|page|style))?|lookbook|"
     r"magazine\s+(?:spread|feature|page|(?:back\s+)?cover|editorial|ad|style)|"
     r"for\s+(?:a\s+)?magazine|press\s+(?:release|kit|image)",
     "an editorial still life for a magazine", None),
    (r"packaging\s+(?:design|shot|mock-?up|image|photo)|package\s+design|label\s+design|"
     r"mock-?up|for\s+(?:the\s+)?packaging", "a packaging design presentation", None),
    (r"billboard", "a billboard advertisement", None),
    (r"(?:product\s+)?launch(?:ing)?(?:\s+(?:campaign|announcement|post|visual|image|event))?|"
     r"new\s+release|(?:product\s+)?(?:reveal|unveil(?:ing)?|announcement)",
     "a product launch announcement image", None),
    (r"(?:print\s+)?(?:ads?|advert|advertisement|advertising)(?:\s+campaign)?|ad\s+campaign|"
     r"campaign", "an advertising campaign image", None),
    (r"poster", "a promotional poster", None),
    (r"(?:email|newsletter)(?:\s+(?:header|banner))?", "an email newsletter header", None),
    (r"(?:restaurant\s+)?menu", "a restaurant menu photo", None),
    (r"lifestyle(?:\s+(?:shot|photo|image|photograph|scene))?",
     "a lifestyle image showing the product in everyday use", None),
    (r"blog(?:\s+(?:post|header))?", "a blog post header image", None),
    (r"pitch\s+deck|(?:slide\s+)?presentation", "a presentation slide image", None),
]
CONTEXTS_RE = [(re.compile(rf"\b(?:for\s+(?:an?\s+|the\s+|my\s+|our\s+)?)?(?:{p}){_OF}\b", I), c, a)
               for p, c, a in CONTEXTS]
_HOLIDAYS = (r"black\s+friday|cyber\s+monday|valentine'?s(?:\s+day)?|mother'?s\s+day|"
             r"father'?s\s+day|christmas|easter|halloween|thanksgiving|new\s+year'?s?(?:\s+eve)?|"
             r"(?:lunar|chinese)\s+new\s+year|diwali|ramadan|eid|hanukkah|back[\s-]to[\s-]school|"
             r"singles'?\s+day|prime\s+day|boxing\s+day")
OCCASION = re.compile(r"\b(?:for|promoting|announcing|celebrating)\s+"
                      r"(?:a\s+|an\s+|the\s+|our\s+|my\s+)?"
                      r"(?P<x>(?:[\w'-]+\s+){0,3}(?:sale|promo(?:tion)?|launch|campaign|event|"
                      rf"season|day|holidays?|collection|drop|release|giveaway|discount)|"
                      rf"{_HOLIDAYS})\b", I)
_HOLIDAY_RE = re.compile(_HOLIDAYS, I)
# Words before a context phrase that still belong to it: "travel catalogue", "jewelry
# e-commerce", "website homepage"; articles and photo words do not.
_QUALIFIER = re.compile(r"(?:^|\s)(?P<q>[a-z][\w'-]*)\s*$")
_PRONOUN = re.compile(r"^(?:for|as|i|i'm|i've|we|we're|we've|you|you're|our|my|their|it|it's|"
                      r"they|they're|this|that|these|those|need|want|new)$")
_LEAD = re.compile(r"^(?:for|as)\s+(?:(?:an?|the|my|our)\s+)?", I)


def extract_context(scan: Scan, f: Findings) -> None:
    for pattern, context, aspect in CONTEXTS_RE:
        found = list(scan.matches(pattern))  # every mention is explained, the first one speaks
        if found and f.context is None:
            f.context = _in_user_words(scan, context, found[0])
            if aspect:
                f.render.setdefault("_implied_aspect", aspect)
    m = scan.first(OCCASION)
    if m:  # "banner for a summer sale", "for Black Friday"
        x = m.group("x")
        named = _HOLIDAY_RE.fullmatch(x)
        f.context = f"{f.context or 'DEFAULT'}|promoting {x if named else with_article(x.lower())}"


def _qualifies(scan: Scan, q: re.Match[str], m: re.Match[str]) -> bool:
    word = q.group("q")
    return (word not in STOPWORDS and not _PRONOUN.match(word) and not product_words(word)
            and scan.free(q.start("q"), q.end("q"))
            and scan.clause(q.start("q"))[0] == scan.clause(m.start())[0])


def _in_user_words(scan: Scan, context: str, m: re.Match[str]) -> str:
    """``context``, plus what the user called it when that names more ("Amazon listing")."""
    words = _LEAD.sub("", m.group(0).strip().lower())
    q = None if words != m.group(0).strip().lower() else \
        _QUALIFIER.search(scan.masked[:m.start()].lower())  # "for X" has nothing before X
    for _ in range(2):  # "wellness brand ad": up to two words of the user's own
        if not (q and _qualifies(scan, q, m)):
            break
        scan.take(q.start("q"), q.end("q"))
        words = f"{q.group('q')} {words}"
        q = _QUALIFIER.search(scan.masked[:q.start("q")].lower())
    base = context.lower() if context != "DEFAULT" else "commercial product photograph e-commerce"
    if all(w in base for w in re.findall(r"[\w'-]+", words)):
        return context
    article = not re.search(r"(?:commerce|media|marketing|retail|use)$", words)
    return f"{context}|for {with_article(words) if article else words}"
