"""The rule-based translator: a sentence -> a complete manifest, with no network and no model.

``extract`` reads the sentence into ``Findings`` (what the words say about the product, the
light, the camera, the set ...), ``build`` turns findings into a manifest on top of the schema
defaults or a base manifest, and ``refine`` edits a manifest from an instruction, touching only
the fields the instruction addresses.
"""

from studioflow.translate.rules.translator_rules import RulesTranslator, create

__all__ = ["RulesTranslator", "create"]
