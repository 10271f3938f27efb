"""Train a spaCy span categorizer on the exported corpus (CPU, seconds), then score it with
the project's scorer.

    python examples/train_spancat.py --lang zh --layer entity --steps 200 --out /tmp/spancat

Steps: export the gold spans as DocBin (`bicorpus export --format spacy`), split the
sentences by paragraph (even paragraphs train, odd ones evaluate), write a spaCy config
from `spacy init config` with two settings changed (the Chinese segmenter, which `init
config` sets to "char", becomes "jieba"; the n-gram suggester covers 1-6 tokens, since the
default 1-3 misses names of four tokens), train, predict on the held-out sentences and run
`bicorpus evaluate` on them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def split_docbin(path: Path, out: Path, vocab) -> tuple[Path, Path, list[str]]:
    """(train path, dev path, dev sentence ids): even paragraphs train, odd ones evaluate."""
    from spacy.tokens import DocBin

    docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(vocab))
    paragraph = lambda doc: int(doc.user_data["sentence_id"].split("-p")[1][:3])
    train = DocBin(docs=[d for d in docs if paragraph(d) % 2 == 0], store_user_data=True)
    dev_docs = [d for d in docs if paragraph(d) % 2 == 1]
    dev = DocBin(docs=dev_docs, store_user_data=True)
    (out / "train.spacy").write_bytes(train.to_bytes())
    (out / "dev.spacy").write_bytes(dev.to_bytes())
    return out / "train.spacy", out / "dev.spacy", [d.user_data["sentence_id"] for d in dev_docs]


def write_config(lang: str, layer: str, steps: int, out: Path) -> Path:
    from spacy.cli.init_config import init_config

    config = init_config(lang=lang, pipeline=["spancat"], optimize="efficiency", gpu=False)
    if lang == "zh":
        config["nlp"]["tokenizer"]["segmenter"] = "jieba"
    config["components"]["spancat"]["spans_key"] = layer
    config["components"]["spancat"]["suggester"]["sizes"] = [1, 2, 3, 4, 5, 6]
    config["corpora"]["train"]["gold_preproc"] = True  # keep the corpus' own tokens
    config["corpora"]["dev"]["gold_preproc"] = True
    config["training"]["max_steps"] = steps
    config["training"]["eval_frequency"] = max(steps // 4, 1)
    config["training"]["seed"] = 0
    # init config weighs the scores of the default key "sc"; score the key actually trained
    config["training"]["score_weights"] = {f"spans_{layer}_f": 1.0, f"spans_{layer}_p": 0.0, f"spans_{layer}_r": 0.0}
    path = out / "config.cfg"
    config.to_disk(path)
    return path


def predictions(model_dir: Path, dev: Path, layer: str) -> list[dict]:
    """Predicted spans of the held-out sentences, in the JSON Lines format of `bicorpus extract`."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.load(model_dir)
    rows = []
    for gold in DocBin().from_bytes(dev.read_bytes()).get_docs(nlp.vocab):
        doc = nlp(gold.copy())
        for span in doc.spans.get(layer, []):
            rows.append({"sentence_id": gold.user_data["sentence_id"], "layer": layer, "start": span.start_char,
                         "end": span.end_char, "text": span.text, "label": span.label_, "entity_id": None,
                         "value": None, "low": None, "high": None})
    return rows


def run(lang: str, layer: str, steps: int, out: Path) -> dict:
    import spacy
    from spacy.cli.train import train

    from bicorpus.cli import main

    out.mkdir(parents=True, exist_ok=True)
    if main(["export", "--root", str(ROOT), "--doc", "gpt4_article", "--format", "spacy", str(out / "export")]) != 0:
        raise SystemExit("export failed")
    train_path, dev_path, dev_ids = split_docbin(out / "export" / f"gpt4_article.{lang}.spacy", out, spacy.blank(lang).vocab)
    config = write_config(lang, layer, steps, out)
    train(config, out / "model", overrides={"paths.train": str(train_path), "paths.dev": str(dev_path)})
    pred = out / "predictions.jsonl"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in predictions(out / "model" / "model-last", dev_path, layer)),
                    encoding="utf-8")
    (out / "dev_sentences.txt").write_text("".join(i + "\n" for i in dev_ids), encoding="utf-8")
    scores = out / "scores.json"
    # the model saw the document (its even paragraphs): the held-out odd ones are scored, in-sample by document
    if main(["evaluate", "--root", str(ROOT), "--doc", "gpt4_article", "--pred", str(pred), "--sentences", str(out / "dev_sentences.txt"),
             "--seen", "gpt4_article", "--json", str(scores)]) != 0:
        raise SystemExit("evaluate failed")
    return json.loads(scores.read_text(encoding="utf-8"))["documents"]["gpt4_article"]["scores"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="language to train on (default: zh)")
    parser.add_argument("--layer", choices=["entity", "number", "cue", "claim"], default="entity",
                        help="span layer to learn (default: entity)")
    parser.add_argument("--steps", type=int, default=200, help="training steps (default: 200)")
    parser.add_argument("--out", type=Path, required=True, help="working folder for data, model and scores")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    result = run(args.lang, args.layer, args.steps, args.out)
    print(json.dumps(result[args.lang][args.layer]["exact"], indent=2))
    sys.exit(0)
