"""The package's layering: a module imports only from its own layer or the layers above it.

Layers, top first: the core modules at the top level of bicorpus, then sources, annotation,
alignment, pipeline, extraction, publishing, and cli last. Every import counts: absolute and
relative, at module level and inside functions.
"""

import ast
from pathlib import Path

import bicorpus

PACKAGE = Path(bicorpus.__file__).parent
SUBPACKAGES = ["sources", "annotation", "alignment", "pipeline", "extraction", "publishing"]
CORE, CLI = 1, len(SUBPACKAGES) + 2
LAYER = {name: CORE + 1 + i for i, name in enumerate(SUBPACKAGES)} | {"cli": CLI}


def layer_of(dotted: str) -> int:
    """Layer of a module or package named `bicorpus...`; the package itself is core."""
    parts = dotted.split(".")
    return LAYER.get(parts[1], CORE) if len(parts) > 1 else CORE


def module_name(path: Path) -> str:
    parts = ["bicorpus", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, name: str, is_package: bool):
    """(line, shown import, dotted names it reaches) for every import of bicorpus."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "bicorpus":
                    yield node.lineno, f"import {alias.name}", [alias.name]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "bicorpus":
                continue
            shown = f"from {'.' * node.level}{node.module or ''} import {', '.join(a.name for a in node.names)}"
            # `from bicorpus import pipeline` reaches the subpackage itself
            targets = [f"{source}.{a.name}" if source == "bicorpus" else source for a in node.names]
            yield node.lineno, shown, targets


def test_no_module_imports_from_a_lower_layer():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 30
    folders = {p.parent.name for p in modules if p.parent != PACKAGE}
    assert folders == set(SUBPACKAGES), "a new subpackage needs its place in the layers"
    offending = []
    for path in modules:
        name = module_name(path)
        own = layer_of(name)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, shown, targets in imported(tree, name, path.name == "__init__.py"):
            for target in targets:
                if layer_of(target) > own:
                    offending.append(f"{path.relative_to(PACKAGE)}:{line}: `{shown}` reaches {target} (layer {layer_of(target)} > {own})")
    assert not offending, "imports from a lower layer:\n" + "\n".join(offending)


def test_the_check_sees_relative_absolute_and_function_imports():
    source = ("from ..publishing.card import table\nimport bicorpus.cli\n"
              "def f():\n    from .. import extraction\n    from .segment import segment\n")
    found = [(shown, targets) for _, shown, targets in imported(ast.parse(source), "bicorpus.pipeline.build", False)]
    assert [layer_of(t) for _, targets in found for t in targets] == [LAYER["publishing"], CLI, LAYER["extraction"], LAYER["pipeline"]]
    assert found[3] == ("from .segment import segment", ["bicorpus.pipeline.segment"])
