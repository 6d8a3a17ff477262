"""Offline evaluation: metrics, the CF protocol, the tagger score, the dialogue benchmark.

Nothing at run time imports this package; it sits above ``engine`` (the dialogue
evaluation drives an ``Engine``), so the runtime packages never import upwards.
"""
