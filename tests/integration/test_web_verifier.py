"""The in-browser verifier (web/verifier): its node tests pass, and the committed page is what
its sources build.

Both need Node.js and ``npm ci`` in web/verifier. Without them the tests are skipped, saying why;
with ``FAIRDRAW_REQUIRE_NODE=1`` in the environment (CI that has Node) a skip becomes a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import fairdraw
import rfb_policy

ROOT = Path(__file__).parents[2]
VERIFIER = ROOT / "web" / "verifier"
PAGE = Path(fairdraw.__file__).parent / "data" / "verify.html"
OFFICE_PAGE = Path(rfb_policy.__file__).parent / "data" / "verify.html"


def _node() -> str:
    """The node executable, or a skip (a failure under FAIRDRAW_REQUIRE_NODE=1)."""
    node = shutil.which("node")
    if node is None:
        why = "node is not on PATH: the web verifier's tests need Node.js 20 or later"
    elif not (VERIFIER / "node_modules").is_dir():
        why = "web/verifier/node_modules is missing: run `npm ci` in web/verifier"
    else:
        return node
    if os.environ.get("FAIRDRAW_REQUIRE_NODE") == "1":
        pytest.fail(f"{why} (FAIRDRAW_REQUIRE_NODE=1)")
    pytest.skip(why)


def test_node_tests_pass() -> None:
    node = _node()
    done = subprocess.run(
        [node, "--test", "test/"],
        cwd=VERIFIER,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "# fail 0" in done.stdout


def test_committed_pages_are_what_the_sources_build(tmp_path: Path) -> None:
    node = _node()
    done = subprocess.run(
        [node, "build.mjs", "--out-dir", str(tmp_path)],
        cwd=VERIFIER,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for built, committed in (("fairdraw-verify.html", PAGE), ("rfb-verify.html", OFFICE_PAGE)):
        assert (tmp_path / built).read_bytes() == committed.read_bytes(), (
            f"{committed} is not what web/verifier builds: run `npm run build` in "
            "web/verifier and commit the pages"
        )


def test_pages_ship_with_the_packages() -> None:
    for page in (PAGE, OFFICE_PAGE):
        text = page.read_text(encoding="utf-8")
        assert '<script type="application/json" id="fairdraw-embedded">null</script>' in text
        assert "default-src 'none'" in text


def test_fairdraw_verifier_embeds_the_record_its_lists_and_key(tmp_path: Path) -> None:
    """`fairdraw verifier` fills the page's one data element; no text in the record can close
    it early (a label holding </script> stays data)."""
    import json  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from fairdraw.verifier_page import PLACEHOLDER  # noqa: PLC0415

    vector = json.loads((ROOT / "tests" / "vectors" / "ceremony-v1.json").read_text("utf-8"))
    record = tmp_path / "record.json"
    record.write_text(json.dumps(vector["record"]), encoding="utf-8")
    scope, labels = next(iter(vector["inputs"]["populations"].items()))
    lists = tmp_path / "list.txt"
    lists.write_text("\n".join(labels) + "\n", encoding="utf-8")
    salt = vector["inputs"]["salts"].get(scope)
    words = ["--population", f"{scope}={lists}", *(["--salt", f"{scope}={salt}"] * bool(salt))]
    done = subprocess.run(
        [sys.executable, "-m", "fairdraw", "verifier", "--record", str(record), *words,
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out" / "verify.html").read_text(encoding="utf-8")
    assert PLACEHOLDER not in page and page.count('id="fairdraw-embedded"') == 1
    start = page.index('id="fairdraw-embedded">') + len('id="fairdraw-embedded">')
    embedded = json.loads(page[start : page.index("</script>", start)])
    assert embedded["record"] == vector["record"]
    assert embedded["populations"][scope]["labels"] == labels
    assert embedded["public_key"] is None
    assert embedded.get("audit") is (True if salt else None)  # a salted list: auditors' copy

    hostile = dict(vector["record"], draw_id="</script><script>alert(1)</script>")
    text = fairdraw.verifier_page(hostile)
    start = text.index('id="fairdraw-embedded">') + len('id="fairdraw-embedded">')
    assert json.loads(text[start : text.index("</script>", start)])["record"] == hostile
