"""The published results (``results.json``) and their check: every published row is the row the
office's signed result entry makes.

``results.json`` (format ``rfb-published-results/1``) carries, for each row of the month's
disclosure, the row itself and every result the office logged for that object, oldest first,
each with the signed audit log entry that logged it (:func:`fairdraw.read_published_document`);
the newest makes the row, and a row without one is 待报送::

    {"format": "rfb-published-results/1", "draw_id": "…", "month": "2026-12",
     "office_key": {"algorithm": "ed25519", "public_key": "…", "key_id": "…"},
     "columns": [["id", "统一社会信用代码/编号"], …],
     "rows": [{"row": {"id": "…", "name": "…", …}, "signed": [{"entry": …, "body": …}]}, …]}

The checks (``rfb verify``, and the browser page's twin in ``web/verifier/src/office.js``):

* ``results.entries``: each entry is signed by the record's key and logs that very body, as a
  result of this draw about the row's object; the row's category, findings, 处理情况, penalty,
  inspection date, submission and (when the result recorded it) name are the ones the newest
  entry makes (:meth:`rfb_policy.model.results.InspectionResult.public_fields`); the rows are
  the drawn objects, each once; a row's group and officers are the ones ``assignment.json``
  gives it. So an office that edits a result and signs its manifest again still fails, unless
  it logs a new result, which then stands in ``results.json`` beside the first, with its time.
* ``results.files``: every row of ``results.csv``, ``results.xlsx`` and ``credit.json`` is the
  row of ``results.json``, and no row is missing or added (the file, object and column named).

Not vouched for by an entry: the items' names (from the record's scopes and the catalogue),
and the name of an object whose result did not record it (earlier versions, or 待报送).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from fairdraw import (
    Check,
    Document,
    FairdrawError,
    PublicKey,
    read_json,
    read_published_document,
)
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.i18n import _
from rfb_policy.model.directory import is_valid_uscc
from rfb_policy.model.results import RESULT_KIND, InspectionResult
from rfb_policy.publish.disclosure import (
    COLUMNS,
    CREDIT_FORMAT,
    PENDING,
    RESULTS_NAME,
    PublicRow,
)

__all__ = ["RESULTS_FORMAT", "check_results", "results_json"]

RESULTS_FORMAT = "rfb-published-results/1"
_KEYS = [key for key, _ in COLUMNS]
_TITLES = [title for _, title in COLUMNS]
_CERTIFICATE = re.compile(r"（([^（）]*)）")
_MOST = 5  # problems named in a check's detail
Status = Literal["passed", "failed", "not checked"]


def results_json(
    record: MonthRecord,
    rows: Sequence[PublicRow],
    published: Mapping[str, Sequence[Mapping[str, Any]]],
    office_key: PublicKey,
) -> dict[str, Any]:
    """The month's ``results.json``: each row with its object's published results
    (:func:`fairdraw.published_documents`, oldest first)."""
    return {
        "format": RESULTS_FORMAT,
        "draw_id": record.draw_id,
        "month": str(record.month),
        "office_key": office_key.to_json(),
        "columns": [list(column) for column in COLUMNS],
        "rows": [
            {
                "row": dict(zip(_KEYS, row.cells(), strict=True)),
                "signed": list(published.get(row.id, ())),
            }
            for row in rows
        ],
    }


def _named(problems: Sequence[str]) -> str:
    more = (
        _("; and {count} more").format(count=len(problems) - _MOST) if len(problems) > _MOST else ""
    )
    return "; ".join(problems[:_MOST]) + more


def check_results(
    folder: Path, record: MonthRecord, assignment: Mapping[str, Any] | None
) -> list[Check]:
    """The checks ``results.entries`` and ``results.files`` of a publication folder (never
    raises on a bad file)."""
    path = folder / RESULTS_NAME
    if not path.exists():
        why = _("no {file}: the published results cannot be checked against signed ones").format(
            file=RESULTS_NAME
        )
        return [
            Check("results.entries", "not checked", why),
            Check("results.files", "not checked", why),
        ]
    try:
        data = read_json(path, _("published results"))
        rows = _rows(data, record)
    except (FairdrawError, KeyError, TypeError, ValueError, AttributeError) as err:
        detail = _("{file} is malformed: {error}").format(file=RESULTS_NAME, error=err)
        return [
            Check("results.entries", "failed", detail),
            Check("results.files", "not checked", detail),
        ]
    return [_entries_check(data, rows, record, assignment), _files_check(folder, rows)]


def _rows(data: Any, record: MonthRecord) -> list[dict[str, str]]:
    if not isinstance(data, Mapping) or data.get("format") != RESULTS_FORMAT:
        raise ValueError(_("not an {format} file").format(format=RESULTS_FORMAT))
    if data.get("draw_id") != record.draw_id or data.get("month") != str(record.month):
        raise ValueError(_("the results of another draw or month"))
    rows = []
    for item in data["rows"]:
        row = item["row"]
        if not isinstance(row, Mapping) or sorted(row) != sorted(_KEYS):
            raise ValueError(
                _("a row without exactly the columns {columns}").format(columns=", ".join(_KEYS))
            )
        if not all(isinstance(v, str) for v in row.values()) or not isinstance(
            item["signed"], list
        ):
            raise ValueError(
                _("the row of {id} is not text, or has no list of results").format(id=row.get("id"))
            )
        rows.append({key: str(row[key]) for key in _KEYS})
    return rows


def _check(name: str, status: Status, detail: str) -> Check:
    return Check(f"results.{name}", status, detail)


def _outcome(name: str, problems: Sequence[str], passed: str) -> Check:
    """Failed naming the first problems, or passed with ``passed``."""
    return _check(name, "failed", _named(problems)) if problems else _check(name, "passed", passed)


def _entries_check(
    data: Mapping[str, Any],
    rows: Sequence[Mapping[str, str]],
    record: MonthRecord,
    assignment: Mapping[str, Any] | None,
) -> Check:
    try:
        key = PublicKey.from_hex(str(data["office_key"]["public_key"]))
    except (FairdrawError, KeyError, TypeError, ValueError) as err:
        return _check(
            "entries",
            "failed",
            _("{file}: no readable office key: {error}").format(file=RESULTS_NAME, error=err),
        )
    if key.key_id != record.record.key_id:
        return _check(
            "entries",
            "failed",
            _("{file} names another key than the record").format(file=RESULTS_NAME),
        )
    drawn = record.objects
    ids = [row["id"] for row in rows]
    problems = [_("{id}: drawn, but no row").format(id=i) for i in drawn if i not in ids]
    problems += [_("{id}: a row, but not drawn").format(id=i) for i in ids if i not in drawn]
    problems += [
        _("{id}: more than one row").format(id=i)
        for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    signed = corrected = pending = 0
    for row, item in zip(rows, data["rows"], strict=True):
        documents, found = _signed(row["id"], item["signed"], key, record.draw_id)
        problems += found
        if found:
            continue
        signed += len(documents)
        corrected += len(documents) > 1
        pending += not documents
        problems += _row_problems(row, documents) + _group_problems(row, assignment)
    return _outcome(
        "entries",
        problems,
        _(
            "each of the {count} row(s) is the one its newest signed result makes ({signed} "
            "result(s) signed by key {key}…; {corrected} object(s) with a correction; {pending} "
            "without a result yet)"
        ).format(
            count=len(rows),
            signed=signed,
            key=key.key_id[:16],
            corrected=corrected,
            pending=pending,
        ),
    )


def _signed(
    object_id: str, results: Sequence[Any], key: PublicKey, draw_id: str
) -> tuple[list[Document], list[str]]:
    """An object's published results, checked: each signed by ``key``, logging its body, a
    result of ``draw_id`` about the object, in the order they were logged."""
    documents: list[Document] = []
    problems = []
    for position, published in enumerate(results, start=1):
        try:
            document = read_published_document(published, key)
        except FairdrawError as err:
            problems.append(
                _("{id}: result {position}: {error}").format(
                    id=object_id, position=position, error=err
                )
            )
            continue
        if document.kind != RESULT_KIND or document.subject != object_id:
            problems.append(
                _("{id}: result {position} is not a result about it").format(
                    id=object_id, position=position
                )
            )
        elif document.draw_id != draw_id:
            problems.append(
                _("{id}: result {position} is of another draw").format(
                    id=object_id, position=position
                )
            )
        elif documents and document.seq <= documents[-1].seq:
            problems.append(
                _("{id}: result {position} was logged before the one above").format(
                    id=object_id, position=position
                )
            )
        else:
            documents.append(document)
    return documents, problems


def _row_problems(row: Mapping[str, str], documents: Sequence[Document]) -> list[str]:
    """Each column of ``row`` that is not the one its newest signed result makes."""
    if not documents:
        made = {"category": PENDING, "penalty_decision": "", "penalty_amount": ""}
        made |= {k: "" for k in ("findings", "handling", "inspected_on", "submission")}
    else:
        try:
            made = InspectionResult.from_json(documents[-1].body).public_fields()
        except FairdrawError as err:
            return [
                _("{id}: its latest result cannot be read: {error}").format(id=row["id"], error=err)
            ]
    return [
        _("{id}, {column}: {value!r}, the signed result says {signed!r}").format(
            id=row["id"], column=_TITLES[_KEYS.index(k)], value=row[k], signed=v
        )
        for k, v in made.items()
        if row[k] != v
    ]


def _group_problems(row: Mapping[str, str], assignment: Mapping[str, Any] | None) -> list[str]:
    """The row's group and officers against ``assignment.json`` (whose own checks name an
    object it leaves out, or a malformed file)."""
    if assignment is None:
        return []
    try:
        found = [
            (f"第{g.get('number')}组", list(g.get("members", [])))
            for g in assignment.get("groups", [])
            if row["id"] in g.get("objects", [])
        ]
    except (AttributeError, TypeError):
        return []
    if not found:
        return []
    named, members = found[0]
    problems = []
    if row["group"] != named:
        problems.append(
            _("{id}, 检查组: {value!r}, assignment.json says {named!r}").format(
                id=row["id"], value=row["group"], named=named
            )
        )
    if _CERTIFICATE.findall(row["officers"]) != members:
        problems.append(
            _("{id}, 执法人员: not the members of {named} in assignment.json").format(
                id=row["id"], named=named
            )
        )
    return problems


def _files_check(folder: Path, rows: Sequence[Mapping[str, str]]) -> Check:
    expected = {row["id"]: row for row in rows}
    problems: list[str] = []
    for name, read in (
        ("results.csv", _csv_rows),
        ("results.xlsx", _xlsx_rows),
        ("credit.json", _credit_rows),
    ):
        try:
            found = read(folder / name)
        except (OSError, FairdrawError, KeyError, TypeError, ValueError, AttributeError) as err:
            problems.append(_("{file}: cannot be read: {error}").format(file=name, error=err))
            continue
        problems += _compare(name, found, expected, credit=name == "credit.json")
    return _outcome(
        "files",
        problems,
        _(
            "results.csv, results.xlsx and credit.json: every row as in {file} ({count} row(s))"
        ).format(file=RESULTS_NAME, count=len(rows)),
    )


def _compare(
    name: str,
    found: Sequence[Mapping[str, str]],
    expected: Mapping[str, Mapping[str, str]],
    *,
    credit: bool,
) -> list[str]:
    wanted = {i: r for i, r in expected.items() if not credit or is_valid_uscc(i)}
    problems = []
    seen = set()
    for row in found:
        object_id = row.get("id", "")
        if object_id not in wanted or object_id in seen:
            problems.append(
                _("{file}: a row for {id!r} that {results} does not have").format(
                    file=name, id=object_id, results=RESULTS_NAME
                )
            )
            continue
        seen.add(object_id)
        problems += [
            _("{file}, {id}, {column}: {value!r}, {results} says {wanted!r}").format(
                file=name,
                id=object_id,
                column=_TITLES[_KEYS.index(k)],
                value=v,
                results=RESULTS_NAME,
                wanted=wanted[object_id][k],
            )
            for k, v in row.items()
            if v != wanted[object_id][k]
        ]
    problems += [
        _("{file}: no row for {id}").format(file=name, id=i) for i in wanted if i not in seen
    ]
    return problems


def _table(name: str, table: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    if not table or list(table[0]) != _TITLES:
        raise ValueError(_("the header is not {titles}").format(titles=", ".join(_TITLES)))
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if len(cells) != len(_KEYS):
            raise ValueError(
                _("row {number} has {count} cells, not {expected}").format(
                    number=number, count=len(cells), expected=len(_KEYS)
                )
            )
        rows.append(dict(zip(_KEYS, cells, strict=True)))
    return rows


def _csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    return _table(path.name, list(csv.reader(io.StringIO(text, newline=""))))


def _xlsx_rows(path: Path) -> list[dict[str, str]]:
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            table = [
                ["" if c is None else str(c) for c in row]
                for row in book.worksheets[0].iter_rows(values_only=True)
            ]
        finally:
            book.close()
    except OSError:
        raise
    except Exception as err:  # openpyxl on a file anyone may have made: any error at all
        raise ValueError(
            _("not a readable workbook: {error}").format(error=f"{type(err).__name__}: {err}")
        ) from err
    return _table(path.name, table)


def _credit_rows(path: Path) -> list[dict[str, str]]:
    data = read_json(path, _("credit export"))
    if not isinstance(data, Mapping) or data.get("format") != CREDIT_FORMAT:
        raise ValueError(_("not an {format} file").format(format=CREDIT_FORMAT))
    fields = {
        "unified_social_credit_code": "id",
        "name": "name",
        "result": "category",
        "findings": "findings",
        "handling": "handling",
        "penalty_decision": "penalty_decision",
        "penalty_amount": "penalty_amount",
        "inspected_on": "inspected_on",
    }
    rows = []
    for entry in data["entries"]:
        if sorted(entry) != sorted(fields):
            raise ValueError(
                _("an entry without exactly the members {members}").format(
                    members=", ".join(fields)
                )
            )
        amount = entry["penalty_amount"]
        if amount is not None and not isinstance(amount, int | str):
            raise ValueError(
                _("the penalty amount of {id} is not an amount").format(
                    id=entry["unified_social_credit_code"]
                )
            )
        rows.append(
            {
                key: ("" if entry[member] is None else str(entry[member]))
                for member, key in fields.items()
            }
        )
    return rows
