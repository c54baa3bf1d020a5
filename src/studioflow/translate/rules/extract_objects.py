"""Objects: whatever words no other extractor took describe the product and its props.

"a frosted glass perfume bottle with a gold cap, three lemons beside it" -> the product
(colours, materials, details) first, then props with counts, locations and relationships.
"""

from __future__ import annotations

import re

from studioflow.translate.rules.color_words import colors_in
from studioflow.translate.rules.describe import with_article
from studioflow.translate.rules.extract_scene import apply_scene, apply_surface
from studioflow.translate.rules.findings import PARTICLES, Findings, ObjectFinding
from studioflow.translate.rules.object_context import (
    BACKDROP_WORDS,
    BARE_SCENES,
    COPULA,
    HEADING_SCENES,
    NEAR_SET,
    SIMILE,
    merge_container,
    surface_object,
)
from studioflow.translate.rules.object_phrases import (
    CONNECTOR,
    COUNT_ALT,
    COUNT_TAIL,
    GEMS,
    LOOK_NOUNS,
    MATERIAL_RE,
    ORIENT_ANY,
    PART_SOURCE,
    POSITION,
    PREDICATE,
    PROP_PLACES,
    add_look,
    clean_phrase,
    clearly_prop,
    count_clause,
    is_look,
    lone_adjective,
    look_clause,
    meaningful,
    mentions,
    orientation_of,
    parse_phrase,
    phrase_words,
    place_for,
    position_words,
    refers_to_existing,
    same_thing,
    singular,
    two_things,
)
from studioflow.translate.rules.product_words import (
    PAIR_NOUNS,
    is_product_noun,
    product_words,
    stem,
)
from studioflow.translate.rules.scan import QUOTE_MARK, Scan
from studioflow.translate.rules.vocabulary import (
    CATEGORY_NOUNS,
    FILLER_LEADS,
    PART_NOUNS,
    SCENE_NOUNS,
    STATE_WORDS,
    SURFACE_HEADS,
)

__all__ = ["MATERIAL_RE", "ObjectParser", "extract_objects", "parse_phrase", "singular"]

I = re.IGNORECASE  # noqa: E741
MAX_OBJECTS = 8
_AND_SPLIT = re.compile(rf"\s*and\s+(?:(?:a|an|the|some|its|their|his|her)\b|\d|{COUNT_ALT}\b)", I)
_LEAD_RE = re.compile(rf"^\s*{FILLER_LEADS}", I)
_RELATION = {
    "with": "beside", "and": "beside", "alongside": "alongside", "beside": "beside",
    "next to": "next to", "near": "near", "plus": "beside", "accompanied by": "beside",
    "together with": "beside", "along with": "beside", "paired with": "beside",
    "surrounded by": "around", "among": "around", "amongst": "around", "amid": "around",
    "amidst": "around", "flanked by": "flanking", "framed by": "framing",
    "encircled by": "around", "behind": "behind", "in front of": "in front of",
    "under": "under", "underneath": "under", "beneath": "under", "below": "below",
    "above": "above", "between": "between", "around": "around", "surrounding": "around",
}
# A clause ending in one of these names the scene ("stormy sky behind", "concrete skatepark");
# scene nouns that are as often a product or a prop are left out.
_INVERSE = {"behind": "in front of", "in front of": "behind", "under": "above", "below": "above",
            "above": "below"}


def _ends_in_participle(description: str) -> bool:
    words = phrase_words(description)
    return bool(words) and (words[-1] in PARTICLES or (words[-1].endswith("ed")
                                                        and len(words[-1]) > 4))


def extract_objects(scan: Scan, f: Findings) -> None:
    state = ObjectParser(f)
    for start, chunk in scan.remainder():
        sentence = not scan.text[:start].strip() or scan.text[:start].rstrip()[-1] in ".!?"
        state.chunk(QUOTE_MARK.sub(" ", chunk), sentence)
    state.finish()


class ObjectParser:
    def __init__(self, f: Findings) -> None:
        self.f = f
        self.objects: list[ObjectFinding] = []
        self.current: ObjectFinding | None = None  # what "with ..." adds to
        self.owner: ObjectFinding | None = None
        self.first_chunk = True
        self.last_chunk_was_object = False  # did the previous clause name or add to an object
        self.current_alone = True  # was the current object named on its own, not "with" another

    # -- chunks and segments -------------------------------------------------------
    def chunk(self, text: str, sentence: bool = False) -> None:
        """One clause; ``sentence`` when it opens a sentence ("... Picture three bottles")."""
        text = re.sub(r"\s+", " ", SIMILE.sub("", text)).strip(" .:'\"()[]{}-")
        if self.first_chunk or not self.objects or sentence:
            text = _LEAD_RE.sub("", text, count=1)
        if not text:
            return
        self.first_chunk = False
        before = (len(self.objects), self.current)
        copula = COPULA.match(text)
        if copula:  # "Mug is cobalt blue enamel", "the watch should be rose gold with a navy dial"
            parts = CONNECTOR.split(copula.group("y"), maxsplit=1)
            look = parts[0].strip()
            rest = copula.group("y")[len(parts[0]):] if len(parts) > 1 else ""
            if look_clause(look):
                text = f"{look} {copula.group('x')} {rest.strip()}".strip()
        if self.objects and self._said_of_last(text):
            self.last_chunk_was_object = True
            return
        segments: list[tuple[str | None, str]] = []
        pos, conn = 0, None
        for m in CONNECTOR.finditer(text):
            word = re.sub(r"\s+", " ", m.group(1).lower())
            if word == "and" and not (_AND_SPLIT.match(text[m.start() - 1:])
                                      or two_things(text[pos:m.start()], text[m.end():])):
                continue
            segments.append((conn, text[pos:m.start()]))
            conn, pos = word, m.end()
        segments.append((conn, text[pos:]))
        for conn, phrase in segments:
            self.segment(conn, phrase.strip())
        self.last_chunk_was_object = (len(self.objects), self.current) != before

    def _said_of_last(self, text: str) -> bool:
        """A clause after the product that only adds to it or names the set: "lit",
        "matte black", "a dozen", "rustic oak board", "stormy sky behind"."""
        last = self.objects[0]
        # "lemons, yellow": the lemons; "a planter with a snake plant, terracotta": the planter
        target = self.current if self.current in self.objects and self.current_alone else last
        if text.lower() in STATE_WORDS:
            last.details.append(STATE_WORDS[text.lower()])
            return True
        count = count_clause(text)
        if count is not None:  # "..., a dozen, ...", "3 stacked", "x3", "four of them"
            target.count = target.count or (count if count > 1 else None)
            rest = COUNT_TAIL.match(text)
            if rest and rest.group("rest") and orientation_of(rest.group("rest")):
                target.orientation = orientation_of(rest.group("rest"))
            return True
        orientation = orientation_of(text)
        if orientation and not meaningful(ORIENT_ANY.sub(" ", text)):
            last.orientation = orientation  # "..., lying on its side, ..."
            return True
        clean = clean_phrase(text)
        low = clean.lower()
        clean = re.sub(r"\s+(?:(?:all\s+)?around(?:\s+it)?|behind(?:\s+it)?|underneath|beneath|"
                       r"below|in\s+the\s+(?:back|fore)ground|(?:at|by)\s+(?:night|dusk|dawn|"
                       r"sunset|sunrise|twilight|midnight|noon))$", "", clean, flags=I)
        near = NEAR_SET.match(clean)
        if near and self._set_clause(
                near.group("x"), near.group("x").lower(), phrase_words(near.group("x"))):
            apply_scene(self.f, near.group("y").lower())  # "cafe table by the window"
            return True
        words = phrase_words(clean)
        if words and not CONNECTOR.search(clean) and self._set_clause(clean, low, words):
            return True
        if words and (look_clause(clean) or (words[-1] in LOOK_NOUNS and len(words) <= 4
                                             and not CONNECTOR.search(clean))):
            if len(self.objects) > 1 and not self.last_chunk_was_object:
                self.f.palette = self.f.palette or clean.lower()  # "..., pink and gold"
                return True
            add_look(target, clean)  # "matte black", "nude shade", "terracotta color"
            return True
        kind = lone_adjective(words[0]) if len(words) == 1 and words[0] not in SCENE_NOUNS else None
        if kind == "mood":
            self.f.mood.append(words[0])  # "..., scholarly, ..."
        elif kind == "state":
            target.details.append(words[0])  # "a pair of hiking boots, muddy"
        return kind is not None

    def _set_clause(self, clean: str, low: str, words: list[str]) -> bool:
        """A clause naming only the surface or the scene: "sunny kitchen counter white
        quartz", "bathroom sink", "graffiti wall behind", "pale sand around"."""
        if any(w not in SURFACE_HEADS and singular(w) not in SURFACE_HEADS and w not in SCENE_NOUNS
               for w in product_words(clean)):
            return False  # "a bowl full of cookie dough" is a prop, "oak shelf" a surface
        if words[-1] in BACKDROP_WORDS:
            if len(words) == 1 and words[0] in ("background", "backdrop"):
                return True  # a label's leftover ("bg: warm grey gradient")
            self.f.background.setdefault("style", "flat")  # "graffiti wall behind"
            self.f.background.setdefault("description", with_article(clean.lower()))
            return True
        heads = [w for w in words if w in SURFACE_HEADS or singular(w) in SURFACE_HEADS]
        has_surface = "surface" in self.f.background
        countable = re.match(r"(?:a|an|one|two|three|\d)\s", low) and has_surface
        if heads and not countable and (not has_surface or words[-1] not in ("marble", "wood")):
            art = "" if re.match(r"(?:a|an|the)\s", low) or all(
                colors_in(w) or MATERIAL_RE.fullmatch(w) for w in words) else "a "
            apply_surface(self.f, art, clean)
            return True
        if words[-1] in BARE_SCENES or (words[-1] in ("lights", "skyline", "view", "bokeh")
                                        and set(words[:-1]) & (BARE_SCENES | {"night"})):
            apply_scene(self.f, with_article(clean.lower()))
            return True
        return False

    def segment(self, conn: str | None, phrase: str) -> None:
        last = self.current if self.current in self.objects else (
            self.objects[-1] if self.objects else None)
        if conn == "with":
            self.owner = last  # what "with X and Y" describes
        elif conn is None:
            self.owner = None
        if conn in ("around", "surrounding") and not phrase.strip() and last is not None \
                and self.objects and last is not self.objects[0]:
            last.relationship = f"scattered around the {self.objects[0].head}"  # "... around"
            last.location = "scattered around the product"
            return
        if conn in (None, "and") and PREDICATE.match(phrase) and (
                last is not None or not product_words(phrase)):
            return  # "it stand on bamboo mat", "we love it": no object named
        if conn == "in" and last is not None and _ends_in_participle(last.description) \
                and meaningful(phrase):
            last.description = f"{last.description} in {clean_phrase(phrase)}"  # "wrapped in"
            last.materials += [m.group(0).lower() for m in MATERIAL_RE.finditer(phrase)]
            return
        if last is not None and conn in ("in", "with") and is_look(phrase) or (
                conn == "in" and last is not None and look_clause(phrase)) or (
                conn == "with" and last is not None and look_clause(phrase)
                and phrase_words(phrase)[-1] in LOOK_NOUNS):
            add_look(last, clean_phrase(phrase))  # "headphones in sage green", "with green colour"
            return
        if last is not None and conn is None and look_clause(phrase):
            add_look(self.objects[0], clean_phrase(phrase))  # "..., amber glass with a dropper"
            self.current = self.objects[0]
            return
        if conn == "in" and last is not None and orientation_of(f"in {phrase}") and not \
                meaningful(ORIENT_ANY.sub(" ", f"in {phrase}")):
            last.orientation = orientation_of(f"in {phrase}")  # "in mid-air"
            return
        if conn in ("in", "on", "at") and last is not None and POSITION.fullmatch(
                f"{conn} {phrase.strip()}"):
            place = POSITION.fullmatch(f"{conn} {phrase.strip()}").group("p")
            last.location = position_words(place)
            return  # "a eucalyptus sprig on the left"
        if conn in ("in", "inside", "on", "atop", "over", "against", "by", "leaning on",
                    "resting against") and last is not None:
            if meaningful(phrase):
                tail = re.sub(r"\s+(?:it|them|please)$", "", phrase.strip(" ,.;:"), flags=I)
                last.description = f"{last.description} {conn} {tail}".strip()
            return
        if re.fullmatch(r"(?:the\s+)?(?:it|them|product|this|that)", phrase, I) or (
                last is not None and refers_to_existing(phrase, self.objects)):
            if last is not None and conn in _RELATION:
                target = self._existing(phrase)
                if target is not last:
                    last.relationship = f"{_RELATION[conn]} the {target.head}"
                    last.location = last.location or place_for(_RELATION[conn], 0)
            return
        if not meaningful(phrase):
            if conn == "with" and last is not None and GEMS & set(phrase_words(phrase)):
                last.details.append(clean_phrase(phrase))  # "ring with emerald"
            elif last is not None and orientation_of(phrase):
                last.orientation = orientation_of(phrase)  # "..., standing upright in a glass"
            return
        obj = parse_phrase(phrase)
        if obj is None:
            return
        if self._known_again(conn, obj):
            return
        gem = GEMS & set(phrase_words(phrase)) and (obj.head in ("stone", "stones")
                                                    or obj.head in GEMS)
        part = obj.head in PART_NOUNS or singular(obj.head) in PART_NOUNS
        if last is not None and (part or gem) and conn in (None, "with", "and"):
            source = PART_SOURCE.match(clean_phrase(phrase))
            whose = parse_phrase(source.group("y")) if source else None
            if whose is not None and whose.head not in PART_NOUNS and conn != "with":
                self._part_of_new(source)  # "steam rising from a cup of tea"
                return
            owner = self.owner if conn and self.owner in self.objects else self.objects[0]
            owner.details.append(clean_phrase(phrase))  # "a gold cap": the bottle's
            return
        if last is not None and conn == "holding":
            last.action = f"holding the {obj.head}"
            obj.is_prop = False
            self.objects.insert(0, obj)  # the thing held is the product
            last.is_prop = True
            self.current = obj
            return
        if last is not None and conn in _RELATION and conn not in ("with", "and", "plus"):
            self._relate(last, obj, _RELATION[conn], conn)
            return
        obj.is_prop = bool(self.objects)
        self.objects.append(obj)
        self.current = obj
        self.current_alone = conn is None

    def _known_again(self, conn: str | None, obj: ObjectFinding) -> bool:
        """A clause naming an object already there adds to it: "knives set ..., 6 knifes"
        (a count), "canned energy drink, electric purple can" (a look)."""
        if conn not in (None, ",") or not self.objects or obj.head in PART_NOUNS:
            return False
        known = next((o for o in self.objects if o is not obj and mentions(o, obj.head)), None)
        if known is None:
            return False
        rest = [w for w in phrase_words(obj.description) if stem(w) != stem(obj.head)]
        if obj.count:
            known.count = known.count or obj.count
        elif rest and look_clause(" ".join(rest)):
            add_look(known, " ".join(rest))
        elif rest and all(w in PARTICLES or w in STATE_WORDS for w in rest):
            known.details.append(obj.description)  # "honey jar ..., honey dripping"
        else:
            return False
        self.current = known
        return True

    def _part_of_new(self, source: re.Match[str]) -> None:
        obj = parse_phrase(source.group("y"))
        if obj is None:
            return
        obj.details.append(clean_phrase(source.group("part")))
        obj.is_prop = True
        self.objects.append(obj)
        self.current = obj

    def _relate(self, last: ObjectFinding, obj: ObjectFinding, relation: str, conn: str) -> None:
        """``last <relation> obj``: "lemons around a bottle", "a bottle surrounded by lemons"."""
        passive = conn in ("surrounded by", "flanked by", "framed by", "encircled by", "among",
                           "amongst", "amid", "amidst")
        if passive or conn in ("with",):
            obj.is_prop = True
            verb = "surrounding" if relation == "around" else relation
            obj.relationship = f"{verb} the {last.head}"
            obj.location = obj.location or place_for(relation, len(self.objects))
            self.objects.append(obj)
            return
        main_first = len(self.objects) == 1 and last is self.objects[0]
        swap = main_first and (relation == "around" or clearly_prop(last)
                               and not clearly_prop(obj))
        if swap:  # the earlier phrase is a prop placed relative to the product
            last.is_prop, obj.is_prop = True, False
            last.relationship = f"{relation} the {obj.head}"
            last.location = last.location or place_for(relation, 0)
            self.objects.insert(0, obj)
        else:
            obj.is_prop = True
            verb = _INVERSE.get(relation, relation)
            obj.relationship = f"{verb} the {last.head}" if relation != "around" else \
                f"surrounded by the {last.head}"
            obj.location = obj.location or place_for(_INVERSE.get(relation, relation),
                                                      len(self.objects))
            self.objects.append(obj)

    def _existing(self, phrase: str) -> ObjectFinding:
        for obj in self.objects:
            if same_thing(phrase, obj):
                return obj
        return self.objects[0]

    def finish(self) -> None:
        objs = self.objects[:MAX_OBJECTS]
        last_word = (phrase_words(objs[0].description) or [""])[-1] if objs else ""
        heading = objs and (objs[0].head in CATEGORY_NOUNS or objs[0].head in HEADING_SCENES
                            or last_word in CATEGORY_NOUNS)
        if len(objs) > 1 and heading and not objs[0].count \
                and any(not clearly_prop(o) for o in objs[1:]):
            # "skincare: a serum, two rollers", "golden-hour picnic: a bottle of rose, ..."
            if objs[0].head in SCENE_NOUNS:
                apply_scene(self.f, with_article(objs[0].description.lower()))
            objs = objs[1:]
        objs = merge_container(objs)
        if objs and clearly_prop(objs[0]) and not objs[0].relationship:
            # "three lemons and a bottle of lemonade": the bottle is the product
            rest = [o for o in objs[1:] if not clearly_prop(o) and not o.relationship]
            hero = next((o for o in rest if is_product_noun(o.head)), rest[0] if rest else None)
            if hero is not None:
                objs.remove(hero)
                objs.insert(0, hero)
        if objs and objs[0].count is None and objs[0].head in PAIR_NOUNS:
            objs[0].count = 2  # "chelsea boots": a pair
        stand = surface_object(self.f.background.get("surface") or "")
        if objs and stand and len(objs) < MAX_OBJECTS:  # "on a stack of old books"
            objs.append(ObjectFinding(description=stand, size="medium",
                                      location="beneath the product",
                                      relationship=f"supporting the {objs[0].head}"))
        for i, obj in enumerate(objs):
            obj.is_prop = i > 0
            if obj.is_prop:
                obj.location = obj.location or PROP_PLACES[(i - 1) % len(PROP_PLACES)]
                obj.relationship = obj.relationship or f"beside the {objs[0].head}"
        self.f.objects = objs
