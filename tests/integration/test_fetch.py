"""Beacon clients against a real HTTP server on 127.0.0.1 serving recorded answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fairdraw import SourceUnavailableError, VerificationError
from fairdraw.randomness.drand import DrandChain
from fairdraw.randomness.fetch import DrandClient, NistClient
from recorded_server import Answer, RecordedServer, recorded_server

VECTORS = Path(__file__).parents[1] / "vectors"
DRAND: dict[str, Any] = json.loads((VECTORS / "drand" / "beacons.json").read_text())
QUICK = next(b for b in DRAND["beacons"] if b["chain"] == "quicknet" and b["round"] == 657413)
DEFAULT = next(b for b in DRAND["beacons"] if b["chain"] == "default" and b["round"] == 1000)
TESTNET = next(b for b in DRAND["beacons"] if b["chain"] == "testnet-default")
QUICK_PATH = f"/{DrandChain.quicknet().chain_hash.hex()}/public/657413"
NIST = VECTORS / "nist"
PULSE = json.loads((NIST / "pulse_2_1921300.json").read_text())
CERT_ID = PULSE["pulse"]["certificateId"].lower()


FORGED = QUICK["signature"][:-1] + ("0" if QUICK["signature"][-1] != "0" else "1")


def beacon_json(beacon: dict[str, Any], **changes: Any) -> bytes:
    data = {k: v for k, v in beacon.items() if not k.startswith("_") and k != "chain"}
    data.update(changes)
    return json.dumps({k: v for k, v in data.items() if v is not None}).encode()


@pytest.fixture
def relays() -> Iterator[tuple[RecordedServer, RecordedServer]]:
    with recorded_server() as first, recorded_server() as second:
        yield first, second


def client(*servers: RecordedServer, chain: DrandChain | None = None, **kwargs: Any) -> DrandClient:
    options: dict[str, Any] = {"timeout": 1.0, "retries": 1, "backoff": 0.01, **kwargs}
    return DrandClient(
        chain=chain or DrandChain.quicknet(), relays=[s.url for s in servers], **options
    )


def test_fetches_and_verifies(relays: tuple[RecordedServer, RecordedServer]) -> None:
    first, _ = relays
    first.routes[QUICK_PATH] = Answer(beacon_json(QUICK))
    beacon = client(first).beacon(657413)
    assert beacon.randomness.hex() == QUICK["randomness"]
    assert first.requests == [QUICK_PATH]


def test_default_chain_with_previous_signature(
    relays: tuple[RecordedServer, RecordedServer],
) -> None:
    first, _ = relays
    path = f"/{DrandChain.default().chain_hash.hex()}/public/1000"
    first.routes[path] = Answer(beacon_json(DEFAULT))
    assert (
        client(first, chain=DrandChain.default()).beacon(1000).randomness.hex()
        == DEFAULT["randomness"]
    )


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (Answer(b"{not json"), "not JSON"),
        (Answer(beacon_json(QUICK, round=657412)), "got 657412"),
        (Answer(beacon_json(QUICK, signature=FORGED, randomness=None)), "curve point|verify"),
        (Answer(beacon_json(QUICK, randomness="00" * 32)), "randomness"),
        (Answer(b"[1, 2]"), "not a beacon"),
    ],
)
def test_a_lying_relay_is_skipped_for_the_next(
    relays: tuple[RecordedServer, RecordedServer], answer: Answer, why: str
) -> None:
    bad, good = relays
    bad.routes[QUICK_PATH] = answer
    good.routes[QUICK_PATH] = Answer(beacon_json(QUICK))
    assert client(bad, good).beacon(657413).randomness.hex() == QUICK["randomness"]
    with pytest.raises(VerificationError, match=why):
        client(bad).beacon(657413)


def test_wrong_chain_answer_is_rejected(relays: tuple[RecordedServer, RecordedServer]) -> None:
    first, _ = relays
    path = f"/{DrandChain.default().chain_hash.hex()}/public/{TESTNET['round']}"
    first.routes[path] = Answer(beacon_json(TESTNET))  # a real testnet beacon, served as mainnet
    with pytest.raises(VerificationError, match="does not verify"):
        client(first, chain=DrandChain.default()).beacon(TESTNET["round"])


def test_slow_relay_times_out_then_next(relays: tuple[RecordedServer, RecordedServer]) -> None:
    slow, good = relays
    slow.routes[QUICK_PATH] = Answer(beacon_json(QUICK), delay=1.5)
    good.routes[QUICK_PATH] = Answer(beacon_json(QUICK))
    fast = client(slow, good, timeout=0.3, retries=0)
    assert fast.beacon(657413).round == 657413
    with pytest.raises(SourceUnavailableError, match="no answer"):
        client(slow, timeout=0.3, retries=0).beacon(657413)


def test_server_errors_are_retried(relays: tuple[RecordedServer, RecordedServer]) -> None:
    first, _ = relays
    first.routes[QUICK_PATH] = Answer(b"oops", status=503)
    with pytest.raises(SourceUnavailableError, match="HTTP 503"):
        client(first, retries=2).beacon(657413)
    assert first.requests.count(QUICK_PATH) == 3


def test_not_found_is_not_retried(relays: tuple[RecordedServer, RecordedServer]) -> None:
    first, _ = relays
    with pytest.raises(SourceUnavailableError, match="HTTP 404"):
        client(first, retries=3).beacon(657413)
    assert len(first.requests) == 1


def test_unreachable_relay() -> None:
    with recorded_server() as gone:
        url = gone.url
    with pytest.raises(SourceUnavailableError):
        DrandClient(chain=DrandChain.quicknet(), relays=[url], timeout=0.5, retries=0).beacon(1)


@pytest.fixture
def nist_server() -> Iterator[RecordedServer]:
    with recorded_server() as server:
        server.routes["/beacon/2.0/chain/2/pulse/1921300"] = Answer(json.dumps(PULSE).encode())
        server.routes[f"/beacon/2.0/certificate/{CERT_ID}"] = Answer(
            (NIST / "certificate_528943a5.pem").read_bytes(), content_type="text/plain"
        )
        yield server


def nist(server: RecordedServer) -> NistClient:
    return NistClient(base=f"{server.url}/beacon/2.0", timeout=1.0, retries=0)


def test_nist_pulse_and_certificate(nist_server: RecordedServer) -> None:
    fetched = nist(nist_server).pulse(2, 1921300)
    assert fetched.pulse.output_value.hex().upper() == PULSE["pulse"]["outputValue"]
    assert fetched.certificate_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert fetched.raw == PULSE["pulse"]


def test_nist_tampered_or_wrong_pulse(nist_server: RecordedServer) -> None:
    tampered = json.loads(json.dumps(PULSE))
    tampered["pulse"]["localRandomValue"] = "00" * 64
    nist_server.routes["/beacon/2.0/chain/2/pulse/1921300"] = Answer(json.dumps(tampered).encode())
    with pytest.raises(VerificationError, match="signature"):
        nist(nist_server).pulse(2, 1921300)
    nist_server.routes["/beacon/2.0/chain/2/pulse/1921301"] = Answer(json.dumps(PULSE).encode())
    with pytest.raises(VerificationError, match="asked for pulse"):
        nist(nist_server).pulse(2, 1921301)


def test_nist_missing_certificate(nist_server: RecordedServer) -> None:
    del nist_server.routes[f"/beacon/2.0/certificate/{CERT_ID}"]
    with pytest.raises(SourceUnavailableError, match="404"):
        nist(nist_server).pulse(2, 1921300)


@pytest.mark.slow
def test_cli_fetch_and_ceremony_value_fetch(tmp_path: Path) -> None:
    """`fairdraw beacon fetch drand` and `ceremony value --fetch` against a local relay."""
    import shutil  # noqa: PLC0415

    from fairdraw_cli import EXAMPLE, PASSPHRASE, ROLLS, run  # noqa: PLC0415

    env = {"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
    with recorded_server() as relay:
        relay.routes[QUICK_PATH] = Answer(beacon_json(QUICK))
        fetched = run(
            "beacon", "fetch", "drand", "--chain", "quicknet", "--round", "657413",
            "--relay", relay.url,
        )  # fmt: skip
        assert fetched.returncode == 0, fetched.stderr
        assert json.loads(fetched.stdout)["randomness"] == QUICK["randomness"]
        missing = run(
            "beacon", "fetch", "drand", "--round", "5", "--relay", relay.url, "--retries", "0"
        )
        assert missing.returncode == 5 and "404" in missing.stderr
        for name in ("objects.txt", "comm-objects.txt"):
            shutil.copy(EXAMPLE / name, tmp_path / name)
        # The README's plan without its witness: the office's secret, the leader's dice, drand.
        plan = json.loads((EXAMPLE / "plan.json").read_text(encoding="utf-8"))
        plan["participants"] = [p for p in plan["participants"] if p["id"] != "witness"]
        plan["sources"] = [s for s in plan["sources"] if s.get("participant") != "witness"]
        (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        key = ("--key", "k.key")
        steps = [
            ("key", "generate", "k.key"),
            ("ceremony", "announce", "c", "--plan", "plan.json", *key,
             "--at", "2023-09-15T09:00:00Z"),
            ("ceremony", "commit", "c", "--source", "office-secret", "--secret-out", "s", *key,
             "--at", "2023-09-15T09:01:00Z"),
            ("ceremony", "value", "c", "--source", "leader-dice", "--rolls", ROLLS, *key,
             "--at", "2023-09-15T09:20:00Z"),
            ("ceremony", "reveal", "c", "--source", "office-secret", "--secret-file", "s", *key,
             "--at", "2023-09-15T09:31:00Z"),
            ("ceremony", "value", "c", "--source", "drand", "--fetch", "--relay", relay.url,
             *key, "--at", "2023-09-15T11:01:00Z"),
        ]  # fmt: skip
        for step in steps:
            result = run(*step, cwd=tmp_path, env=env)
            assert result.returncode == 0, (step, result.stderr)
    events = sorted((tmp_path / "c" / "events").glob("*-randomness.json"))
    value = json.loads(events[-1].read_text())["event"]["body"]["value"]  # the drand round
    assert value == {"round": 657413, "signature": QUICK["signature"]}
