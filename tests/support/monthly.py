"""One month of the example data run as a single fairdraw ceremony, verified (shared by the
monthly and the citizen's-check tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import OfficeKey, make_commit, make_reveal, make_witness, verify_record
from rfb_policy.ceremony.announce import announce_month, month_scopes
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.model.witness import Witness
from rfb_policy.month import Month
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import month_plan
from witnessed import WITNESS_KEY

EXAMPLE = Path(__file__).parents[2] / "examples" / "xicheng"
OBJECTS = read_objects(EXAMPLE / "objects.csv")
INSPECTORS = read_inspectors(EXAMPLE / "inspectors.csv")
CATALOGUE = Catalogue.bundled()
KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
SALT = bytes(range(100, 132))
DAY = date(2026, 11, 3)
NOVEMBER = Month(2026, 11)
START = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
WITNESS = Witness(
    id="witness-1", name="李某", organisation="区司法局", public_key=WITNESS_KEY.public
)


def run_month(available: list[str]) -> dict[str, object]:
    plan = month_plan(2026, 11, OBJECTS, CATALOGUE, {})
    scopes = month_scopes(
        NOVEMBER, plan, CATALOGUE, INSPECTORS, available=available, draw_day=DAY, salt=SALT
    )
    ceremony = announce_month(
        KEY, draw_id="xicheng-2026-11", office="西城区人防办（示例）", scopes=scopes,
        catalogue=CATALOGUE, start=START, witnesses=[WITNESS],
    )  # fmt: skip
    announcement = ceremony.events[0]
    minute = timedelta(minutes=1)
    seen = make_witness(WITNESS_KEY, announcement, WITNESS.id, at=START + minute)
    ceremony.accept(seen, at=START + minute)
    their_secret = bytes(range(1, 33))
    commit = make_commit(WITNESS_KEY, announcement, WITNESS.id, WITNESS.source_id, their_secret)
    ceremony.accept(commit, at=START + 2 * minute)
    secret = bytes(range(32))
    ceremony.commit_secret("office-secret", secret, at=START + 3 * minute)
    rolls = [(n * 5) % 6 + 1 for n in range(50)]
    ceremony.add_value("leader-dice", {"rolls": rolls}, at=START + 19 * minute)
    ceremony.reveal("office-secret", secret, at=START + 20 * minute)
    reveal = make_reveal(WITNESS_KEY, ceremony.events, WITNESS.id, WITNESS.source_id, their_secret)
    ceremony.accept(reveal, at=START + 21 * minute)
    ceremony.seed(at=START + 22 * minute)
    populations = {scope.scope: scope.population for scope in scopes}
    record = ceremony.draw(populations, at=START + timedelta(minutes=23))
    report = verify_record(record, populations=populations, public_key=KEY.public)
    assert report.passed and all(c.status == "passed" for c in report.checks), report.to_dict()
    return {"record": record, "plan": plan, "scopes": scopes}
