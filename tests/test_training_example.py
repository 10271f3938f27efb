"""The training example runs end to end: export, train a span categorizer for a few steps,
predict the held-out sentences and score them with `bicorpus evaluate`."""

import importlib.util

from conftest import ROOT


def load_example():
    spec = importlib.util.spec_from_file_location("train_spancat", ROOT / "examples" / "train_spancat.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_spancat_example_trains_and_scores(tmp_path):
    result = load_example().run("zh", "entity", steps=10, out=tmp_path)
    assert (tmp_path / "model" / "model-last" / "config.cfg").is_file()
    scored = result["zh"]["entity"]["exact"]
    assert scored["tp"] + scored["fn"] > 0  # the held-out sentences hold gold entities
    assert 0.0 <= scored["f1"] <= 1.0
    config = (tmp_path / "config.cfg").read_text()
    assert "segmenter = \"jieba\"" in config and "sizes = [1, 2, 3, 4, 5, 6]" in config
