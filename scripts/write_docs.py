"""Regenerate the documentation derived from the schemas and resources: docs/document-yaml.md
(the document.yaml model) and docs/hedge-cues.md (the extractor's general cue lexicon)."""

from pathlib import Path

from bicorpus.publishing.markdown import lexicon_doc
from bicorpus.sources.metadata import metadata_doc

DOCS = {"document-yaml.md": metadata_doc, "hedge-cues.md": lexicon_doc}

if __name__ == "__main__":
    for name, generate in DOCS.items():
        target = Path(__file__).resolve().parent.parent / "docs" / name
        target.write_text(generate(), encoding="utf-8")
        print(f"wrote {target}")
