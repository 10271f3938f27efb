"""Alignment: reading, writing and checking the gold bead files, and the automatic aligner.

May import the core modules, sources and annotation."""
