"""An office with a witness who holds their own key and secret: what the tests draw with.

A ceremony whose only outside party is a witness needs no network (no beacon), and nobody in
the office alone can steer it: its verification passes, as at an office that invites one.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw.participant import ParticipantKey
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.demo import DemoWitness, add_witness
from rfb_policy.workflow.folder import init_office
from rfb_policy.workflow.witnesses import WitnessRequest

WITNESS_KEY = ParticipantKey(Ed25519PrivateKey.from_private_bytes(bytes(range(7, 39))))


def witnessed(folder: Path, *, chain: str = "") -> OfficeConfig:
    """``rfb init``'s rfb.toml in ``folder`` with the witness added and the beacon ``chain``
    ("" none)."""
    return add_witness(folder, WITNESS_KEY.public, by_hand=False, chain=chain)


def witness_device() -> DemoWitness:
    """The witness's own device: their key, a new secret for each draw."""
    return DemoWitness(key=WITNESS_KEY)


def new_office(folder: Path, *, office: str, prefix: str, passphrase: bytes) -> OfficeConfig:
    """``rfb init`` in ``folder``, then the witness added (and no beacon)."""
    init_office(folder, office=office, prefix=prefix, passphrase=passphrase)
    return witnessed(folder)


class WitnessAtHand:
    """The witness beside ``rfb draw --witness-dir``, as a thread: for every draw announced in
    an office folder it signs the announcement and commits; once the office has written the
    events before the reveals, it reveals. Its files go to ``DIR/DRAW-ID/witness-1-ACT.json``,
    each written whole (a temporary name, then renamed)."""

    def __init__(self, office: Path, handed: Path) -> None:
        self.office, self.handed = office, handed
        self.device = witness_device()
        self._stop = threading.Event()
        self._done: set[Path] = set()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WitnessAtHand:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _give(self, draw_id: str, act: str, events: list[dict[str, Any]]) -> None:
        witness = OfficeConfig.load(self.office / "rfb.toml").witnesses[0]
        request = WitnessRequest(witness=witness, act=act, draw_id=draw_id, events=events)  # type: ignore[arg-type]
        statement = self.device(request)
        folder = self.handed / draw_id
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{witness.id}-{act}.json.tmp"
        temporary.write_text(json.dumps(statement), encoding="utf-8")
        temporary.rename(folder / f"{witness.id}-{act}.json")

    def _run(self) -> None:
        while not self._stop.is_set():
            for path in sorted((self.office / "draws").glob("*/announcement.json")):
                if path not in self._done:
                    self._done.add(path)
                    events = [json.loads(path.read_text(encoding="utf-8"))]
                    for act in ("witness", "commit"):
                        self._give(path.parent.name, act, events)
            for path in sorted((self.office / "draws").glob("*/events-before-reveal-*.json")):
                if path not in self._done:
                    try:
                        events = json.loads(path.read_text(encoding="utf-8"))
                    except (OSError, ValueError):
                        continue  # being written, or gone already
                    self._done.add(path)
                    self._give(path.parent.name, "reveal", events)
            time.sleep(0.05)


def office_alone(folder: Path, reason: str) -> OfficeConfig:
    """``rfb init``'s rfb.toml in ``folder`` with no beacon and no witness, for a test of
    something else than who could steer (locks, crashes): the reason is given, as rfb.toml
    asks of an office that runs such a ceremony."""
    path = folder / "rfb.toml"
    text = path.read_text(encoding="utf-8").replace('chain = "quicknet"', 'chain = ""')
    text = text.replace('single_party_reason = ""', f"single_party_reason = {json.dumps(reason)}")
    path.write_text(text, encoding="utf-8")
    return OfficeConfig.load(path)
