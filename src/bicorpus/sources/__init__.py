"""Reading the hand-kept sources of a document (capture, metadata, English text,
terms) and cleaning the raw capture into paragraphs and regions.

May import only the core modules at the top level of bicorpus (schema, problems, features,
files, spans)."""
