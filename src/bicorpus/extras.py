"""The optional extras of pyproject.toml ([embed], [ray]): import one, or say how to install it."""

from __future__ import annotations

import importlib

from .problems import CorpusError, Problem


def extra_module(module: str, option: str, what: str, extra: str, package: str):
    """The module `module` of the `extra` extra; when it is not installed, an error on `option`
    saying what needs it and how to install it, rather than a bare ModuleNotFoundError."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise CorpusError(Problem(option, None, None, f"{what} needs the [{extra}] extra: pip install 'bicorpus[{extra}]' "
                                                      f"(the {package} package)")) from None


def ray_module(option: str):
    return extra_module("ray", option, "ray", "ray", "ray[data]")


def ray_started(option: str):
    """Ray, connected to the cluster `ray.init()` finds (a local one when none is running)."""
    ray = ray_module(option)
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)
    return ray
