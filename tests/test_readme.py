"""The README's load_dataset examples run as doctests, so their output stays real."""

import doctest

import datasets


def test_readme_examples(root, tmp_path, monkeypatch):
    monkeypatch.chdir(root)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path)  # a fresh cache
    datasets.disable_progress_bars()
    result = doctest.testfile(str(root / "README.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 15
    assert result.failed == 0
