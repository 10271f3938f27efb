"""Everything made from built rows: the loader's files (data, card, Croissant, charts), its
checks and loading, the exports and the HTML view.

May import every other subpackage; only cli imports publishing."""
