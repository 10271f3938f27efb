"""The build of one document: segmentation, sources -> rows of every config, the source
checks, and projecting the gold claims onto a user's copy of the English original.

May import the core modules, sources, annotation and alignment; never extraction or publishing."""
