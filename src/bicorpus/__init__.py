"""bicorpus: build, check and export a Chinese/English aligned article corpus."""

__version__ = "0.1.0"
