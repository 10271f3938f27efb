"""Regenerate the documentation derived from the schemas: docs/document-yaml.md."""

from pathlib import Path

from bicorpus.sources.metadata import metadata_doc

if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "document-yaml.md"
    target.write_text(metadata_doc(), encoding="utf-8")
    print(f"wrote {target}")
