"""Make the message catalogues from the code, with Babel (see :mod:`fairdraw.i18n`).

For each domain, the messages marked ``_("...")`` or ``N_("...")`` in its package are extracted;
its Chinese catalogue (``locale/zh_CN/LC_MESSAGES/DOMAIN.po``) is brought in line with them (a new
message gets an empty translation for the translator to fill in, a message gone from the code
is dropped) and compiled into the ``.mo`` that runs.

    python scripts/catalogues.py           # update every .po and compile its .mo
    python scripts/catalogues.py --check   # change nothing; exit 1 naming each problem
    python scripts/catalogues.py --fill zh.json fairdraw   # add translations {message: text}

``--check`` (run by the tests) fails when a ``.po`` is not what the code makes of it, a message
has no translation, a translation's ``{placeholders}`` differ from the message's, or a ``.mo``
is not its ``.po`` compiled. Both files are written deterministically (no dates, no line
numbers), so a rebuild that changes nothing leaves them byte for byte as they were.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import string
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = {"fairdraw": ROOT / "src" / "fairdraw", "rfb": ROOT / "src" / "rfb_policy"}
KEPT = {"click": ROOT / "src" / "fairdraw"}
"""Catalogues kept by hand, only compiled: click's own messages (usage errors, prompts), which
click marks for gettext; ``fairdraw.i18n.use_language`` makes click speak the run's language."""
LOCALE = "zh_CN"
KEYWORDS = {"_": None, "N_": None}
FIXED = datetime(2026, 1, 1, tzinfo=UTC)  # no build date in the files: rebuilds are identical


def _catalogue_paths(domain: str) -> tuple[Path, Path]:
    folder = {**DOMAINS, **KEPT}[domain] / "locale" / LOCALE / "LC_MESSAGES"
    return folder / f"{domain}.po", folder / f"{domain}.mo"


def _extract(domain: str) -> dict[str, list[str]]:
    """Each marked message of the domain's package, with the files that use it."""
    package = DOMAINS[domain]
    found: dict[str, list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        text = message[0] if isinstance(message, tuple) else message
        if text:
            files = found.setdefault(text, [])
            name = f"{package.name}/{filename}"
            if name not in files:
                files.append(name)
    return found


class _Catalog(Catalog):  # type: ignore[misc]
    """A catalogue whose header does not name Babel's version (rebuilds agree across them)."""

    @property
    def mime_headers(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in super().mime_headers if k != "Generated-By"]

    @mime_headers.setter
    def mime_headers(self, headers: list[tuple[str, str]]) -> None:
        Catalog.mime_headers.fset(self, headers)


def _new_catalogue(domain: str) -> Catalog:
    return _Catalog(
        locale=LOCALE,
        domain=domain,
        project="fairdraw",
        version="1",
        copyright_holder="fairdraw developers",
        msgid_bugs_address="",
        creation_date=FIXED,
        revision_date=FIXED,
        last_translator="fairdraw developers",
        language_team="zh_CN",
        charset="utf-8",
        fuzzy=False,
        header_comment=f"# Chinese translations of {domain}'s messages (scripts/catalogues.py).",
    )


def _read(path: Path) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as file:
        return read_po(file, locale=LOCALE)


def build(domain: str, fill: Mapping[str, str] | None = None) -> tuple[bytes, bytes, list[str]]:
    """The domain's ``.po`` and ``.mo`` as the code makes them (with the translations ``fill``
    gives, over the catalogue's), and the problems found."""
    po_path, _ = _catalogue_paths(domain)
    old = _read(po_path)
    translated = {m.id: m.string for m in old if m.id} if old is not None else {}
    translated.update(fill or {})
    catalogue = _new_catalogue(domain)
    problems = []
    for message, files in sorted(_extract(domain).items()):
        text = str(translated.get(message) or "")
        catalogue.add(message, text, locations=[(f, None) for f in sorted(files)])
        if not text:
            problems.append(f"{domain}: no translation of {message!r} ({', '.join(files)})")
        elif _fields(message) != _fields(text):
            problems.append(
                f"{domain}: the translation of {message!r} has placeholders "
                f"{sorted(_fields(text))}, the message {sorted(_fields(message))}"
            )
    po = io.BytesIO()
    write_po(po, catalogue, width=100, sort_output=True, include_lineno=False)
    mo = io.BytesIO()
    write_mo(mo, catalogue, use_fuzzy=False)
    return po.getvalue(), mo.getvalue(), problems


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:  # a lone brace: not a format string; compare the braces themselves
        return set(re.findall(r"[{}]", text))


def check(domains: list[str]) -> Iterator[str]:
    """Every problem of ``domains``' catalogues (nothing written)."""
    for domain in domains:
        po, mo, problems = build(domain)
        po_path, mo_path = _catalogue_paths(domain)
        yield from problems
        if not po_path.exists() or po_path.read_bytes() != po:
            yield f"{po_path.relative_to(ROOT)} is not what the code makes of it: run {_SELF}"
        if not mo_path.exists() or mo_path.read_bytes() != mo:
            yield f"{mo_path.relative_to(ROOT)} is not its .po compiled: run {_SELF}"


_SELF = "python scripts/catalogues.py"


def compile_kept(domain: str) -> bytes:
    """The ``.mo`` of a catalogue kept by hand (its ``.po`` compiled)."""
    po_path, _ = _catalogue_paths(domain)
    catalogue = _read(po_path)
    if catalogue is None:
        raise SystemExit(f"{po_path} is missing: it is kept by hand, not made from the code")
    fixed = _new_catalogue(domain)
    for message in catalogue:
        if message.id:
            fixed.add(message.id, message.string, flags=message.flags)
    mo = io.BytesIO()
    write_mo(mo, fixed, use_fuzzy=False)
    return mo.getvalue()


def check_kept() -> Iterator[str]:
    """Every problem of the catalogues kept by hand: a ``.mo`` that is not its ``.po``."""
    for domain in KEPT:
        _, mo_path = _catalogue_paths(domain)
        if not mo_path.exists() or mo_path.read_bytes() != compile_kept(domain):
            yield f"{mo_path.relative_to(ROOT)} is not its .po compiled: run {_SELF}"


def main(argv: list[str] | None = None) -> int:
    """Update (or ``--check``) the catalogues; the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; report problems")
    parser.add_argument(
        "--fill", metavar="FILE", help="a JSON object of translations to add: {message: text}"
    )
    parser.add_argument("domains", nargs="*", metavar="DOMAIN", help=", ".join(sorted(DOMAINS)))
    args = parser.parse_args(argv)
    unknown = sorted(set(args.domains) - set(DOMAINS))
    if unknown:
        parser.error(f"unknown domain(s) {', '.join(unknown)}: choose from {', '.join(DOMAINS)}")
    args.domains = args.domains or sorted(DOMAINS)
    if args.check:
        problems = [*check(args.domains), *check_kept()]
        for problem in problems:
            print(problem, file=sys.stderr)  # noqa: T201
        return 1 if problems else 0
    fill = json.loads(Path(args.fill).read_text(encoding="utf-8")) if args.fill else None
    missing = 0
    for domain in args.domains:
        po, mo, problems = build(domain, fill)
        po_path, mo_path = _catalogue_paths(domain)
        po_path.parent.mkdir(parents=True, exist_ok=True)
        po_path.write_bytes(po)
        mo_path.write_bytes(mo)
        for problem in problems:
            print(problem, file=sys.stderr)  # noqa: T201
        missing += len(problems)
        print(f"{domain}: {po_path.relative_to(ROOT)}, {len(problems)} problem(s)")  # noqa: T201
    for domain in KEPT:
        _catalogue_paths(domain)[1].write_bytes(compile_kept(domain))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
