"""RFC 3161 timestamps over the announcement, against a real TSA (``openssl ts -reply`` on
127.0.0.1): request, offline verification, the ``timestamp`` event, and the steering analysis
(ceremony spec v2, sections 5.1 and 7)."""

from __future__ import annotations

import base64
import socket
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import Population
from fairdraw.ceremony import Ceremony, ScopePlan, verification_report
from fairdraw.ceremony.analysis import steering_of
from fairdraw.ceremony.events import event_hash, record_payload, sign_event
from fairdraw.ceremony.report import PUBLIC_RECORDS, STEERING
from fairdraw.errors import CeremonyError, SourceUnavailableError, VerificationError
from fairdraw.passphrase import load_office_key
from fairdraw.randomness.drand import DrandChain
from fairdraw.signing import OfficeKey
from fairdraw.times import now
from fairdraw.timestamp import certificate_fingerprint, request_timestamp, verify_timestamp
from fairdraw_cli import PASSPHRASE, run
from tsa_server import OPENSSL, Tsa, make_tsa, tsa_server

pytestmark = pytest.mark.skipif(OPENSSL is None, reason="openssl is needed to run a real TSA")

KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
POPULATION = Population.of([f"obj-{i:02d}" for i in range(20)])
CHAIN = DrandChain.named("quicknet")
PUBLISHER = "中国福利彩票发行管理中心"


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tsa]:
    with tsa_server(make_tsa(tmp_path_factory.mktemp("tsa"))) as running:
        yield running


@pytest.fixture(scope="module")
def other_tsa(tmp_path_factory: pytest.TempPathFactory) -> Tsa:
    return make_tsa(tmp_path_factory.mktemp("other-tsa"), name="Other TSA")


def record_source(due: Any) -> dict[str, Any]:
    return {
        "id": "lottery",
        "type": "public-record",
        "description": "福彩3D 开奖号码",
        "publisher": PUBLISHER,
        "time": due.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "draws": 1,
        "bits": 128,
    }


def announce(sources: list[dict[str, Any]], *, at: Any) -> Ceremony:
    return Ceremony.announce(
        KEY,
        draw_id="tsa-test",
        office="西城区人防办",
        scopes=[ScopePlan(scope="S", population=POPULATION, k=3)],
        participants=[{"id": "office", "role": "执法宣传科"}],
        sources=[{"id": "office-secret", "type": "local", "participant": "office"}, *sources],
        commit_deadline=at + timedelta(minutes=4),
        reveal_deadline=at + timedelta(minutes=8),
        at=at,
    )


def test_a_timestamp_round_trips_and_names_the_announcement(tsa: Tsa) -> None:
    ceremony = announce([record_source(now() + timedelta(minutes=30))], at=now())
    first = ceremony.events[0]
    token = request_timestamp(first, tsa.url, timeout=10)
    seen = verify_timestamp(token, event_hash(first), tsa.chain_pem)
    assert abs((seen - now()).total_seconds()) < 60
    printed = subprocess.run(
        [str(OPENSSL), "x509", "-noout", "-fingerprint", "-sha256"],
        input=tsa.chain_pem,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert (
        certificate_fingerprint(tsa.chain_pem)
        == printed.split("=")[1].strip().replace(":", "").lower()
    )
    # openssl checks the same token against the bare announcement hash (spec v2, section 5.1)
    token_file = Path(tsa.config.parent, "reply.tsr")
    token_file.write_bytes(token)
    verified = subprocess.run(
        [str(OPENSSL), "ts", "-verify", "-digest", event_hash(first), "-in", str(token_file),
         "-CAfile", str(tsa.config.parent / "ca.pem"), "-untrusted",
         str(tsa.config.parent / "tsa.pem")],
        capture_output=True, check=False,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr


def test_a_tampered_token_another_announcement_or_certificate_fail(
    tsa: Tsa, other_tsa: Tsa
) -> None:
    first = announce([record_source(now() + timedelta(minutes=30))], at=now()).events[0]
    token = request_timestamp(first, tsa.url, timeout=10)
    tampered = token[:-3] + bytes([token[-3] ^ 1]) + token[-2:]
    with pytest.raises(VerificationError):
        verify_timestamp(tampered, event_hash(first), tsa.chain_pem)
    with pytest.raises(VerificationError, match="Mismatch between messages"):
        verify_timestamp(token, "00" * 32, tsa.chain_pem)
    with pytest.raises(VerificationError, match="does not verify"):
        verify_timestamp(token, event_hash(first), other_tsa.chain_pem)
    with pytest.raises(VerificationError, match="not an RFC 3161 reply"):
        verify_timestamp(b"not a token", event_hash(first), tsa.chain_pem)


def test_an_unreachable_tsa_is_unavailable_and_named() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/tsa"
    first = announce([record_source(now() + timedelta(minutes=30))], at=now()).events[0]
    with pytest.raises(SourceUnavailableError, match=url):
        request_timestamp(first, url, timeout=2)


def drawn(tsa: Tsa | None) -> dict[str, Any]:
    """A v2 ceremony of the office's secret and a public record due after the TSA's time, the
    rest of it replayed (``at=``) after the real time of the timestamp."""
    start = now()
    due = start + timedelta(minutes=20)
    ceremony = announce([record_source(due)], at=start)
    if tsa is not None:
        token = request_timestamp(ceremony.events[0], tsa.url, timeout=10)
        ceremony.add_timestamp(token, tsa.chain_pem, "Test TSA")
    later = start + timedelta(minutes=1)
    ceremony.commit_secret("office-secret", b"\x01" * 32, at=later)
    ceremony.reveal("office-secret", b"\x01" * 32, at=later)
    ceremony.add_value("lottery", {"numbers": [[3, 1, 4]]}, at=due)
    ceremony.seed(at=due)
    return ceremony.draw({"S": POPULATION}, at=due)


def checks(
    record: dict[str, Any], pinned: bytes | None = None, lottery: str | None = "3 1 4"
) -> dict[str, Any]:
    """Each check by name, the verdict, and the report; the lottery's numbers given as the
    publisher published them (``lottery``), unless None."""
    report = verification_report(
        record,
        populations={"S": POPULATION},
        public_key=KEY.public,
        tsa_certificates=pinned,
        public_records=None if lottery is None else {"lottery": lottery},
    )
    return {c.name: c for c in report.checks} | {"verdict": report.verdict, "report": report}


def test_a_timestamp_before_the_beacon_attests_the_announcement(tsa: Tsa, other_tsa: Tsa) -> None:
    without = checks(drawn(None))
    assert without[STEERING].status == "not checked" and "timestamps" not in without
    record = drawn(tsa)
    unpinned = checks(record)
    assert unpinned[STEERING].status == "passed", unpinned[STEERING].detail
    assert unpinned["timestamps"].status == "not checked"
    assert certificate_fingerprint(tsa.chain_pem) in unpinned["timestamps"].detail
    assert unpinned["verdict"] == "incomplete"
    steering = unpinned["report"].steering
    assert "tsa:Test TSA" in steering.witnesses and "tsa:Test TSA" in steering.names
    assert ("office", PUBLISHER) in steering.coalitions
    pinned = checks(record, tsa.chain_pem)
    assert pinned["timestamps"].status == "passed" and pinned["verdict"] == "passed"
    unlooked = checks(record, tsa.chain_pem, lottery=None)  # the lottery's numbers not given
    assert [c.name for c in unlooked["report"].unchecked] == [PUBLIC_RECORDS]
    assert unlooked["verdict"] == "incomplete"
    assert checks(record, other_tsa.chain_pem)["timestamps"].status == "failed"


def test_a_timestamp_changed_in_a_record_fails_verification(tsa: Tsa) -> None:
    record = drawn(tsa)
    index = next(i for i, e in enumerate(record["events"]) if e["event"]["kind"] == "timestamp")
    body = dict(record["events"][index]["event"]["body"])
    token = base64.b64decode(body["token"])
    body["token"] = base64.b64encode(token[:-3] + bytes([token[-3] ^ 1]) + token[-2:]).decode()
    assert checks(resigned(record, index, body))["timestamps"].status == "failed"


def resigned(record: dict[str, Any], index: int, body: dict[str, Any]) -> dict[str, Any]:
    """The record with event ``index``'s body replaced and everything from it re-signed."""
    events = [dict(e) for e in record["events"]]
    for n in range(index, len(events)):
        event = dict(events[n]["event"])
        if n == index:
            event["body"] = body
        event["previous"] = event_hash(events[n - 1])
        events[n] = sign_event(KEY, event)
    payload = record_payload(record["draw_id"], events)
    return {**payload, "key_id": KEY.key_id, "signature": KEY.sign("record", payload).hex()}


def test_the_ceremony_refuses_a_wrong_or_late_timestamp(tsa: Tsa) -> None:
    start = now() - timedelta(minutes=1)
    ceremony = announce([record_source(start + timedelta(minutes=20))], at=start)
    other = announce([record_source(start + timedelta(minutes=21))], at=start)
    wrong = request_timestamp(other.events[0], tsa.url, timeout=10)
    with pytest.raises(VerificationError, match="Mismatch between messages"):
        ceremony.add_timestamp(wrong, tsa.chain_pem, "Test TSA")
    token = request_timestamp(ceremony.events[0], tsa.url, timeout=10)
    with pytest.raises(VerificationError, match="not between the announcement"):
        ceremony.add_timestamp(token, tsa.chain_pem, "Test TSA", at=start + timedelta(seconds=30))
    ceremony.commit_secret("office-secret", b"\x01" * 32, at=start + timedelta(minutes=2))
    ceremony.reveal("office-secret", b"\x01" * 32, at=start + timedelta(minutes=2))
    with pytest.raises(CeremonyError, match="before the first reveal"):
        ceremony.add_timestamp(token, tsa.chain_pem, "Test TSA", at=start + timedelta(minutes=3))


def test_a_tsa_attests_a_drand_round_due_after_it(tsa: Tsa) -> None:
    """No beacon value is needed for the analysis: up to the reveals, the office alone is no
    longer among the groups as attested."""
    start = now()
    number = CHAIN.round_at(start + timedelta(minutes=5))
    ceremony = announce([CHAIN.source_entry("drand", number)], at=start)
    ceremony.commit_secret("office-secret", b"\x01" * 32, at=start)
    before = steering_of(ceremony.announcement, ceremony.events)
    assert before.status == "not checked" and before.alone == ("office",)
    token = request_timestamp(ceremony.events[0], tsa.url, timeout=10)
    ceremony = announce([CHAIN.source_entry("drand", number)], at=start)
    ceremony.add_timestamp(token, tsa.chain_pem, "Test TSA")
    ceremony.commit_secret("office-secret", b"\x01" * 32, at=start + timedelta(minutes=1))
    ceremony.reveal("office-secret", b"\x01" * 32, at=start + timedelta(minutes=1))
    after = steering_of(ceremony.announcement, ceremony.events)
    assert after.status == "passed" and not after.alone
    assert after.witnesses == ("tsa:Test TSA",) and after.name("tsa:Test TSA") == "Test TSA"


@pytest.mark.parametrize("counts", [True, False])
def test_a_tsa_counts_only_before_every_beacon(tsa: Tsa, counts: bool) -> None:
    """A ceremony of a drand round alone (no reveal, so a timestamp may come late): a TSA that
    saw the announcement only after the round was due attests nothing."""
    start = now() - timedelta(minutes=10)
    number = CHAIN.round_at(now() + (timedelta(minutes=30) if counts else -timedelta(minutes=5)))
    ceremony = Ceremony.announce(
        KEY, draw_id="late-tsa", office="西城区人防办",
        scopes=[ScopePlan(scope="S", population=POPULATION, k=3)],
        participants=[{"id": "office", "role": "执法宣传科"}],
        sources=[CHAIN.source_entry("drand", number)],
        commit_deadline=start + timedelta(minutes=1),
        reveal_deadline=start + timedelta(minutes=1), at=start,
    )  # fmt: skip
    token = request_timestamp(ceremony.events[0], tsa.url, timeout=10)
    ceremony.add_timestamp(token, tsa.chain_pem, "Test TSA")
    report = steering_of(ceremony.announcement, ceremony.events)
    assert (report.witnesses == ("tsa:Test TSA",)) is counts
    assert report.status == ("passed" if counts else "not checked")


def test_the_ceremony_timestamp_command_records_and_verify_pins_it(
    tsa: Tsa, other_tsa: Tsa, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
    monkeypatch.setenv("FAIRDRAW_KEY_PASSPHRASE", PASSPHRASE)
    assert run("key", "generate", "office.key", cwd=tmp_path, env=env).returncode == 0
    office = load_office_key(tmp_path / "office.key")
    start = now()
    number = CHAIN.round_at(start + timedelta(minutes=5))
    Ceremony.announce(
        office, draw_id="cli-tsa", office="西城区人防办",
        scopes=[ScopePlan(scope="S", population=POPULATION, k=3)],
        participants=[{"id": "office", "role": "执法宣传科"}],
        sources=[{"id": "office-secret", "type": "local", "participant": "office"},
                 CHAIN.source_entry("drand", number)],
        commit_deadline=start + timedelta(minutes=1),
        reveal_deadline=start + timedelta(minutes=2), at=start,
    ).save(tmp_path / "cer")  # fmt: skip
    chain = tmp_path / "tsa-chain.pem"
    chain.write_bytes(tsa.chain_pem)
    args = ("ceremony", "timestamp", "cer", "--tsa-url", tsa.url, "--key", "office.key")
    done = run(*args, "--tsa-cert", str(chain), "--authority", "Test TSA", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert certificate_fingerprint(tsa.chain_pem) in done.stdout
    events = Ceremony.load(tmp_path / "cer").events
    assert [e["event"]["kind"] for e in events] == ["announce", "timestamp"]
    assert steering_of(events[0]["event"]["body"], events).witnesses == ("tsa:Test TSA",)
    other = tmp_path / "other.pem"
    other.write_bytes(other_tsa.chain_pem)
    refused = run(*args, "--tsa-cert", str(other), cwd=tmp_path, env=env)
    assert refused.returncode != 0 and "does not verify" in refused.stderr
