"""The message catalogues (scripts/catalogues.py, fairdraw.i18n): every marked message has its
Chinese translation with the same placeholders, each compiled catalogue is its .po, and a run
speaks one language."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from fairdraw import catalogue, language, speaking, use_language
from fairdraw.cli.i18n import text

ROOT = Path(__file__).parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "scripts" / "catalogues.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalogues"] = module
    spec.loader.exec_module(module)
    return module


def test_every_catalogue_is_complete_and_compiled() -> None:
    script = _script()
    problems = [*script.check(["fairdraw", "rfb"]), *script.check_kept()]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_a_message_without_translation_and_a_wrong_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _script()
    package = tmp_path / "demo_pkg"
    package.mkdir()
    (package / "m.py").write_text(
        'from fairdraw.i18n import _\n_("new message {count}")\n_("kept {name}")\n',
        encoding="utf-8",
    )
    monkeypatch.setitem(script.DOMAINS, "demo", package)
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.main(["--fill", str(_fill(tmp_path, {"kept {name}": "保留 {nam}"})), "demo"]) == 1
    problems = list(script.check(["demo"]))
    assert any("no translation of 'new message {count}'" in p for p in problems)
    assert any("placeholders ['nam'], the message ['name']" in p for p in problems)
    assert not any("is not" in p for p in problems)  # the files are what the code makes
    (package / "m.py").write_text('from fairdraw.i18n import _\n_("kept {name}")\n', "utf-8")
    assert any("is not what the code makes of it" in p for p in script.check(["demo"]))


def _fill(folder: Path, translations: dict[str, str]) -> Path:
    import json  # noqa: PLC0415

    path = folder / "fill.json"
    path.write_text(json.dumps(translations, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_run_speaks_one_language() -> None:
    translate = catalogue("fairdraw", ROOT / "src" / "fairdraw" / "locale")
    assert translate("Error: ") == "Error: "
    message = "Interrupted (Ctrl-C, or the input closed): every step already done is kept, and "
    assert language() == "en"
    with speaking("zh"):
        assert language() == "zh"
        assert translate("Error: ") == "错误："
        assert text("interrupted", "en").startswith(message)
        assert text("interrupted", "zh").startswith("已中断")
    assert language() == "en"
    with pytest.raises(ValueError, match="zh or en"):
        use_language("fr")  # type: ignore[arg-type]
