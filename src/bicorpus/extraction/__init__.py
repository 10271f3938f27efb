"""The rule-based extraction baseline and the scorer that compares predictions with the gold.

May import the core modules, sources, annotation, alignment and pipeline."""
