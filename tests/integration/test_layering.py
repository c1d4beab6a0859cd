"""rfb_policy uses fairdraw's public API only, fairdraw never imports rfb_policy, no import cycles."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import fairdraw

SRC = Path(__file__).parents[2] / "src"


def imports(package: str) -> list[tuple[str, str, list[str]]]:
    """(file, module, names) for every import in a package's source."""
    found = []
    for path in sorted((SRC / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((path.name, node.module, [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                found.extend((path.name, alias.name, []) for alias in node.names)
    return found


def test_rfb_policy_uses_only_fairdraws_public_names() -> None:
    for file, module, names in imports("rfb_policy"):
        if module.split(".")[0] != "fairdraw":
            continue
        assert module == "fairdraw", f"{file} imports {module}: use the public fairdraw API"
        assert set(names) <= set(fairdraw.__all__), f"{file} imports non-public {names}"


def test_fairdraw_never_imports_rfb_policy() -> None:
    assert not [m for _, m, _ in imports("fairdraw") if m.split(".")[0] == "rfb_policy"]


def module_name(package: str, path: Path) -> str:
    """The dotted name of a source file of ``package`` (a package's ``__init__`` is the package)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: str) -> dict[str, set[str]]:
    """Module → the package's modules it imports, from every ``import``/``from`` in its source.

    Function-level imports count: they run too. A package's ``__init__`` is an edge only when
    imported by name (``from fairdraw import X``), not for being the parent of a submodule.
    """
    files = {module_name(package, p): p for p in sorted((SRC / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    targets.append(submodule if submodule in files else base)
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (``a → b → … → a``), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize(
    "package",
    [
        "fairdraw",
        "rfb_policy",
    ],
)
def test_no_import_cycles(package: str) -> None:
    graph = import_graph(package)
    assert len(graph) > 5
    cycle = find_cycle(graph)
    assert cycle is None, f"import cycle in {package}: {' → '.join(cycle or [])}"


WIRE_FORMAT = re.compile(
    r"""\[\s*["'](event|body|events|results|selected|scopes|payload|sources|policy)["']\s*\]"""
    r"""|\.entries\(\)|\.payload\b"""
    r"""|["'](population\.snapshot|draw\.finalised|ceremony\.[a-z]+|approval)["']"""
)
"""Reading a record or the audit log by nested keys or entry kinds, instead of fairdraw's typed
read model (DrawRecord, CeremonyLog, Document, Snapshot, FinalisedDraw, Approval)."""


def test_rfb_policy_reads_records_through_the_typed_model_only() -> None:
    found = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in sorted((SRC / "rfb_policy").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WIRE_FORMAT.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_wire_format_check_would_catch_a_nested_read() -> None:
    for line in (
        'record["events"][0]["event"]["body"]',
        "for e in store.entries():",
        'if entry.kind == "draw.finalised":',
        "entry.payload.get('draw_id')",
    ):
        assert WIRE_FORMAT.search(line), line
    assert not WIRE_FORMAT.search("record.announcement.scopes[0].scope")


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(SRC)): count
        for path in sorted(SRC.rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, long


def test_nothing_is_imported_by_a_private_name_across_modules() -> None:
    private = [
        f"{file}: from {module} import {name}"
        for package in ("fairdraw", "rfb_policy")
        for file, module, names in imports(package)
        for name in names
        if name.startswith("_") and name not in ("__version__", "_")
    ]  # "_" is gettext's own name for a catalogue's translating function (fairdraw.i18n)
    assert not private, private
