"""rfb_policy uses fairdraw's public API only, and fairdraw never imports rfb_policy."""

from __future__ import annotations

import ast
from pathlib import Path

import fairdraw

SRC = Path(__file__).parents[1] / "src"


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
