import os
import shutil
from pathlib import Path

import pytest

# Every test runs offline, as a user right after cloning would.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DOC = "gpt4_article"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def inputs():
    from bicorpus.pipeline.build import load_inputs

    return load_inputs(ROOT / "corpus", ROOT / "annotations", DOC)


@pytest.fixture(scope="session")
def sources(inputs):
    return inputs[0]


@pytest.fixture(scope="session")
def annotations(inputs):
    return inputs[1]


@pytest.fixture(scope="session")
def built(sources, annotations):
    from bicorpus.pipeline.build import process_document

    return process_document(sources, annotations)


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A throwaway copy of the project's data folders, for corrupting."""
    for name in ("corpus", "annotations", "loaders", "benchmarks/results"):  # the card quotes benchmarks/results
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.fixture()
def demo_project(tmp_path) -> Path:
    """The invented two-language test document under tests/data/project."""
    shutil.copytree(DATA / "project", tmp_path / "project")
    return tmp_path / "project"
