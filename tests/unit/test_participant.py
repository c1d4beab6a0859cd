"""Participants' own keys and signed statements (ceremony spec v2, section 3).

Real Ed25519 keys, real office-signed announcements and hash-linked events, real files.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fairdraw.canonical import canonical_json
from fairdraw.ceremony.events import event_hash, sign_event
from fairdraw.errors import CeremonyError, InputError, VerificationError
from fairdraw.participant import (
    ACTS,
    STATEMENT_MEDIA_TYPE,
    ParticipantKey,
    Statement,
    body_of,
    check_office_events,
    check_statement_shape,
    load_secret,
    make_commit,
    make_dice,
    make_reveal,
    make_witness,
    read_statement,
    save_secret,
    sign_statement,
    statement_base64,
    statement_of,
    verify_body,
    verify_statement,
)
from fairdraw.randomness.local import commitment
from fairdraw.signing import OfficeKey
from fairdraw.times import parse_time
from participant_ceremony import (
    DRAW_ID,
    LEADER,
    NOTARY,
    OFFICE,
    ROLLS,
    STRANGER,
    T0,
    WITNESS,
    announce,
    append,
    entry,
    participants,
)

OFFICE_SECRET = bytes(range(200, 232))
NOTARY_SECRET = bytes(range(1, 33))


@pytest.fixture(scope="module")
def announcement() -> dict[str, Any]:
    return announce()


def signed_commit(announcement: dict[str, Any]) -> dict[str, Any]:
    return make_commit(NOTARY, announcement, "notary", "notary-secret", NOTARY_SECRET)


def signed_dice(announcement: dict[str, Any]) -> dict[str, Any]:
    return make_dice(LEADER, announcement, "leader", "leader-dice", ROLLS)


def signed_witness(announcement: dict[str, Any]) -> dict[str, Any]:
    return make_witness(WITNESS, announcement, "witness", T0 + timedelta(minutes=1))


def complete(
    announcement: dict[str, Any], *, office: bool = True, notary: bool = True, dice: bool = True
) -> list[dict[str, Any]]:
    """The events up to the reveals: a witness, both commitments, the leader's dice."""
    events = append([announcement], "witness", body_of(signed_witness(announcement)), 2)
    if office:
        office_commit = {
            "participant": "office",
            "source": "office-secret",
            "commitment": commitment(DRAW_ID, "office", OFFICE_SECRET).hex(),
        }
        events = append(events, "commit", office_commit, 5)
    if notary:
        events = append(events, "commit", body_of(signed_commit(announcement)), 6)
    if dice:
        events = append(events, "randomness", body_of(signed_dice(announcement)), 10)
    return events


def all_statements(announcement: dict[str, Any]) -> list[tuple[OfficeKey, dict[str, Any]]]:
    events = complete(announcement)
    reveal = make_reveal(NOTARY, events, "notary", "notary-secret", NOTARY_SECRET)
    return [
        (NOTARY, signed_commit(announcement)),
        (WITNESS, signed_witness(announcement)),
        (LEADER, signed_dice(announcement)),
        (NOTARY, reveal),
    ]


# -- signing and verifying ---------------------------------------------------------------------


def test_each_act_round_trips_through_sign_verify_body_and_statement_of(
    announcement: dict[str, Any],
) -> None:
    statements = all_statements(announcement)
    assert [s["statement"]["act"] for _, s in statements] == list(ACTS)
    for key, signed in statements:
        assert set(signed) == {"media_type", "statement", "key_id", "signature"}
        assert signed["media_type"] == STATEMENT_MEDIA_TYPE
        assert signed["key_id"] == key.key_id
        statement = verify_statement(signed, key.public)
        assert statement == signed["statement"]
        # The signature is over "fairdraw/v1/participant" 0x00 ‖ JCS(statement).
        key.public.verify("participant", statement, bytes.fromhex(signed["signature"]))
        body = body_of(signed)
        assert "act" not in body and "draw_id" not in body and body["signature"]
        assert statement_of(statement["act"], DRAW_ID, body) == statement
        assert verify_body(statement["act"], DRAW_ID, body, key.public) == statement
        typed = Statement.of(statement)
        assert (typed.act, typed.draw_id) == (statement["act"], DRAW_ID)


def test_typed_statement_members(announcement: dict[str, Any]) -> None:
    commit, seen, dice, reveal = (
        Statement.of(s["statement"]) for _, s in all_statements(announcement)
    )
    assert commit.commitment == commitment(DRAW_ID, "notary", NOTARY_SECRET)
    assert commit.source == "notary-secret" and commit.participant == "notary"
    assert seen.announcement == event_hash(announcement)
    assert seen.time == T0 + timedelta(minutes=1)
    assert dice.rolls == ROLLS
    assert reveal.secret == NOTARY_SECRET
    with pytest.raises(InputError, match="a witness statement has no member 'source'"):
        _ = seen.source


def _tampered(value: Any) -> Any:
    """Another value of the same shape."""
    if isinstance(value, dict):
        rolls = list(value["rolls"])
        rolls[0] = rolls[0] % 6 + 1
        return {"rolls": rolls}
    if value.endswith("Z"):
        return value[:-3] + ("01Z" if not value.endswith("01Z") else "02Z")
    if all(c in "0123456789abcdef" for c in value):
        return ("1" if value[0] != "1" else "2") + value[1:]
    return value + "x"


def test_every_tampered_member_fails(announcement: dict[str, Any]) -> None:
    for key, signed in all_statements(announcement):
        for member in signed["statement"]:
            if member == "act":
                continue
            changed = copy.deepcopy(signed)
            changed["statement"][member] = _tampered(changed["statement"][member])
            check_statement_shape(changed["statement"])  # still well formed: only the signature
            with pytest.raises(VerificationError, match="signature does not verify"):
                verify_statement(changed, key.public)
        for member, value in (
            ("signature", _tampered(signed["signature"])),
            ("key_id", STRANGER.key_id),
            ("media_type", "application/vnd.fairdraw.participant-statement.v1+json"),
        ):
            with pytest.raises(VerificationError):
                verify_statement({**signed, member: value}, key.public)
        with pytest.raises(VerificationError, match="exactly the members"):
            verify_statement({**signed, "note": "x"}, key.public)


def test_another_act_with_the_same_signature_fails(announcement: dict[str, Any]) -> None:
    signed = signed_commit(announcement)
    statement = {**signed["statement"], "act": "reveal"}
    with pytest.raises(VerificationError, match="malformed"):
        verify_statement({**signed, "statement": statement}, NOTARY.public)


def test_a_wrong_key_fails(announcement: dict[str, Any]) -> None:
    signed = signed_commit(announcement)
    with pytest.raises(VerificationError, match="not the participant's key"):
        verify_statement(signed, STRANGER.public)
    forged = sign_statement(STRANGER, signed["statement"])
    with pytest.raises(VerificationError, match="signature does not verify"):
        verify_statement({**forged, "key_id": NOTARY.key_id}, NOTARY.public)


def test_a_statement_for_another_draw_fails(announcement: dict[str, Any]) -> None:
    signed = signed_commit(announcement)
    with pytest.raises(VerificationError, match="signature does not verify"):
        verify_body("commit", "another-draw", body_of(signed), NOTARY.public)
    as_reveal = {k: v for k, v in body_of(signed).items() if k != "commitment"}
    as_reveal.update(secret="00" * 32, closing=signed["statement"]["commitment"])
    with pytest.raises(VerificationError, match="signature does not verify"):
        verify_body("reveal", DRAW_ID, as_reveal, NOTARY.public)
    other = announce(draw_id="another-draw")
    again = make_commit(NOTARY, other, "notary", "notary-secret", NOTARY_SECRET)
    assert again["statement"]["commitment"] != signed["statement"]["commitment"]


def test_signatures_are_over_the_participant_tag(announcement: dict[str, Any]) -> None:
    signed = signed_commit(announcement)
    with pytest.raises(VerificationError):
        NOTARY.public.verify("event", signed["statement"], bytes.fromhex(signed["signature"]))


# -- shape -------------------------------------------------------------------------------------


GOOD_COMMIT = {
    "act": "commit",
    "draw_id": DRAW_ID,
    "participant": "notary",
    "source": "notary-secret",
    "commitment": "ab" * 32,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"note": "hello"}, "member 'note' is not part of a commit statement"),
        ({"secret": "00" * 32}, "member 'secret' is not part of a commit statement"),
        ({"commitment": "AB" * 32}, "'commitment' must be 64 lowercase hex"),
        ({"commitment": "ab" * 31}, "'commitment' must be 64 lowercase hex"),
        ({"commitment": 5}, "'commitment' must be 64 lowercase hex"),
        ({"participant": ""}, "member 'participant' must be a label"),
        ({"source": 3}, "member 'source' must be a label"),
        ({"draw_id": " x"}, "member 'draw_id' must be a label"),
        ({"act": "vote"}, "member 'act' is 'vote'"),
    ],
)
def test_shape_names_the_member(change: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_statement_shape({**GOOD_COMMIT, **change})
    with pytest.raises(InputError, match=message):
        sign_statement(NOTARY, {**GOOD_COMMIT, **change})


def test_shape_of_each_act() -> None:
    check_statement_shape(GOOD_COMMIT)
    missing = dict(GOOD_COMMIT)
    del missing["source"]
    with pytest.raises(InputError, match="member 'source' is missing"):
        check_statement_shape(missing)
    witness = {"act": "witness", "draw_id": DRAW_ID, "participant": "w", "announcement": "ab" * 32}
    for bad_time in ("2026-05-12T09:00:00+00:00", "2026-05-12T09:00:00.5Z", 1778576400):
        with pytest.raises(InputError, match="member 'time'"):
            check_statement_shape({**witness, "time": bad_time})
    check_statement_shape({**witness, "time": "2026-05-12T09:00:00Z"})
    dice = {"act": "randomness", "draw_id": DRAW_ID, "participant": "l", "source": "d"}
    for bad in (
        {"rolls": [1, True]},
        {"rolls": []},
        {"rolls": [1], "x": 1},
        [1, 2],
        {"rolls": [1.0]},
    ):
        with pytest.raises(InputError, match=r"roll|value"):
            check_statement_shape({**dice, "value": bad})
    reveal = {**GOOD_COMMIT, "act": "reveal", "closing": "cd" * 32}
    del reveal["commitment"]
    for bad_secret in ("00" * 31, "0" * 65, "AA" * 32):
        with pytest.raises(InputError, match="'secret'"):
            check_statement_shape({**reveal, "secret": bad_secret})
    check_statement_shape({**reveal, "secret": "00" * 40})
    with pytest.raises(InputError, match="a statement is a JSON object"):
        check_statement_shape(["commit"])


# -- reading what is handed over -----------------------------------------------------------------


def test_read_statement_accepts_json_base64_and_hex(announcement: dict[str, Any]) -> None:
    # "广" (U+5E7F) ends in the UTF-8 byte 0xBF: shifted by 0 to 2 leading spaces, the base64 of
    # this witness's statement uses "+" and "/" (so its URL-safe form "-" and "_").
    people = [*participants(), entry("广州企业代表", "witness", STRANGER)]
    seen = make_witness(STRANGER, announce(people), "广州企业代表", T0)
    alphabet: set[str] = set()
    for signed in (signed_commit(announcement), seen):
        as_json = json.dumps(signed, indent=1, ensure_ascii=False)
        for shift in range(3):
            raw = b" " * shift + canonical_json(signed)
            standard = base64.b64encode(raw).decode()
            urlsafe = base64.urlsafe_b64encode(raw).decode().rstrip("=")
            wrapped = "\n".join(standard[i : i + 40] for i in range(0, len(standard), 40))
            spaced_hex = " ".join(raw.hex()[i : i + 8] for i in range(0, len(raw.hex()), 8))
            alphabet |= set(standard + urlsafe)
            for form in (standard, "  " + wrapped + "\r\n", urlsafe, raw.hex(), spaced_hex):
                assert read_statement(form, "pasted text") == signed
        for form in (
            as_json,
            as_json.encode("utf-8"),
            "\ufeff" + as_json,
            statement_base64(signed),
            canonical_json(signed).hex().upper(),
        ):
            assert read_statement(form, "pasted text") == signed
    assert alphabet >= set("+/-_")  # both base64 alphabets were read


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("", "pasted text: empty"),
        ("   \n", "pasted text: empty"),
        ("{not json", "pasted text: the JSON text is not valid JSON"),
        ("hello, office!", "neither JSON, base64 nor hex"),
        ("abc", "the hex text has an odd number of digits"),
        ("eyJh", "the base64-decoded text is not valid JSON"),
        ("eyJhIjoxfQ==", "media_type is None"),
        ("eyJhIjoxfQ", "media_type is None"),
        (base64.b64encode(b"\xff\xfe").decode(), "the base64 text does not decode to UTF-8"),
        ("eyJhI", "the base64 text is cut short or damaged"),
        ("7b7d", "media_type is None"),
        ('["a"]', "a participant statement is a JSON object"),
    ],
)
def test_read_statement_says_what_is_wrong_and_where(pasted: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_statement(pasted, "pasted text")


def test_read_statement_refuses_extra_members_and_bad_shapes(announcement: dict[str, Any]) -> None:
    signed = signed_commit(announcement)
    with pytest.raises(
        InputError, match=r"commit\.json: member 'note' is missing or does not belong"
    ):
        read_statement(json.dumps({**signed, "note": "x"}), "commit.json")
    inner = {**signed, "statement": {**signed["statement"], "note": "x"}}
    with pytest.raises(InputError, match=r"commit\.json: commit statement: member 'note'"):
        read_statement(json.dumps(inner), "commit.json")
    with pytest.raises(InputError, match="signature must be 128 lowercase hex"):
        read_statement(json.dumps({**signed, "signature": "00"}), "commit.json")
    with pytest.raises(InputError, match="key_id must be 64 lowercase hex"):
        read_statement(json.dumps({**signed, "key_id": signed["key_id"].upper()}), "commit.json")


# -- the participant's side: what is checked before signing ------------------------------------


def test_a_participant_not_announced_with_this_key_is_refused(announcement: dict[str, Any]) -> None:
    with pytest.raises(CeremonyError, match=r"'notary' is announced with key .*not with this key"):
        make_commit(STRANGER, announcement, "notary", "notary-secret", NOTARY_SECRET)
    with pytest.raises(CeremonyError, match="'clerk' is announced with no key"):
        make_witness(STRANGER, announcement, "clerk", T0 + timedelta(minutes=1))
    with pytest.raises(CeremonyError, match="participant 'nobody' is not in the announcement"):
        make_witness(NOTARY, announcement, "nobody", T0 + timedelta(minutes=1))
    with pytest.raises(CeremonyError, match="the id 'office' is the office itself"):
        make_commit(NOTARY, announcement, "office", "office-secret", NOTARY_SECRET)
    with pytest.raises(CeremonyError, match="not with this key"):
        make_dice(NOTARY, announcement, "leader", "leader-dice", ROLLS)


def test_a_key_id_that_is_not_the_hash_of_the_announced_key_is_refused() -> None:
    people = participants()
    people[1] = {**people[1], "key": {**people[1]["key"], "public_key": STRANGER.public.raw.hex()}}
    with pytest.raises(CeremonyError, match="key id is not the SHA-256"):
        make_commit(NOTARY, announce(people), "notary", "notary-secret", NOTARY_SECRET)


def test_the_source_must_be_the_participants_and_of_the_right_type(
    announcement: dict[str, Any],
) -> None:
    with pytest.raises(CeremonyError, match="'leader-dice' is a dice source, not local"):
        make_commit(LEADER, announcement, "leader", "leader-dice", NOTARY_SECRET)
    with pytest.raises(CeremonyError, match="'office-secret' belongs to 'office', not to 'notary'"):
        make_commit(NOTARY, announcement, "notary", "office-secret", NOTARY_SECRET)
    with pytest.raises(CeremonyError, match=r"'nope' is not in the announcement \('notary'"):
        make_commit(NOTARY, announcement, "notary", "nope", NOTARY_SECRET)
    with pytest.raises(CeremonyError, match="'notary-secret' is a local source, not dice"):
        make_dice(NOTARY, announcement, "notary", "notary-secret", ROLLS)
    with pytest.raises(CeremonyError, match="exactly 50 rolls"):
        make_dice(LEADER, announcement, "leader", "leader-dice", ROLLS[:-1])
    with pytest.raises(CeremonyError, match="roll 3 is 7"):
        make_dice(LEADER, announcement, "leader", "leader-dice", [1, 2, 7, *ROLLS[3:]])
    with pytest.raises(CeremonyError, match="'leader-dice' is a dice source, not local"):
        make_reveal(NOTARY, complete(announcement), "notary", "leader-dice", NOTARY_SECRET)


def test_an_announcement_not_signed_by_its_office_key_is_refused(
    announcement: dict[str, Any],
) -> None:
    changed = copy.deepcopy(announcement)
    changed["event"]["body"]["office"] = "另一个机关"
    with pytest.raises(VerificationError, match="signature does not verify"):
        make_commit(NOTARY, changed, "notary", "notary-secret", NOTARY_SECRET)
    resigned = sign_event(STRANGER, announcement["event"])
    with pytest.raises(VerificationError, match="not signed by the office key"):
        make_witness(WITNESS, resigned, "witness", T0)
    with pytest.raises(VerificationError, match="announcement"):
        make_witness(WITNESS, {"event": {"kind": "announce"}}, "witness", T0)
    later = append([announcement], "commit", {"x": 1}, 1)[1]
    with pytest.raises(VerificationError, match="kind out of place"):
        make_witness(WITNESS, later, "witness", T0)


def test_a_v2_announcement_is_accepted(announcement: dict[str, Any]) -> None:
    event = {
        **announcement["event"],
        "spec": "fairdraw/ceremony/v2",
        "media_type": "application/vnd.fairdraw.ceremony-event.v2+json",
    }
    v2 = sign_event(OFFICE, event)
    signed = make_commit(NOTARY, v2, "notary", "notary-secret", NOTARY_SECRET)
    assert signed == signed_commit(announcement)  # the statement does not name the spec
    mixed = append([v2], "commit", body_of(signed), 5)
    mixed[1]["event"]["spec"] = "fairdraw/ceremony/v1"
    with pytest.raises(VerificationError, match=r"event 1 .*not a fairdraw ceremony event of"):
        check_office_events(mixed)


def test_witness_signs_the_announcement_hash_and_a_time_not_before_it(
    announcement: dict[str, Any],
) -> None:
    statement = signed_witness(announcement)["statement"]
    assert statement["announcement"] == event_hash(announcement)
    assert statement["time"] == "2026-05-12T09:01:00Z"
    with pytest.raises(CeremonyError, match="before the announcement's time"):
        make_witness(WITNESS, announcement, "witness", T0 - timedelta(seconds=1))
    an_hour_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    recent = announce(at=an_hour_ago)
    seen_now = make_witness(WITNESS, recent, "witness")["statement"]["time"]
    assert parse_time(seen_now) >= an_hour_ago + timedelta(hours=1)


# -- reveal --------------------------------------------------------------------------------------


def test_reveal_closes_over_the_last_event_when_no_one_has_revealed(
    announcement: dict[str, Any],
) -> None:
    events = complete(announcement)
    signed = make_reveal(NOTARY, events, "notary", "notary-secret", NOTARY_SECRET)
    assert signed["statement"]["closing"] == event_hash(events[-1])
    assert signed["statement"]["secret"] == NOTARY_SECRET.hex()
    assert verify_statement(signed, NOTARY.public)["act"] == "reveal"


def test_reveal_after_another_reveal_closes_over_the_event_before_the_first_reveal(
    announcement: dict[str, Any],
) -> None:
    events = complete(announcement)
    office_reveal = {
        "participant": "office",
        "source": "office-secret",
        "secret": OFFICE_SECRET.hex(),
        "closing": event_hash(events[-1]),
        "signature": None,
    }
    revealed = append(events, "reveal", office_reveal, 20)
    signed = make_reveal(NOTARY, revealed, "notary", "notary-secret", NOTARY_SECRET)
    assert signed["statement"]["closing"] == event_hash(events[-1]) == event_hash(revealed[-2])
    assert signed["statement"]["closing"] != event_hash(revealed[-1])
    v1_reveal = {k: v for k, v in office_reveal.items() if k in {"participant", "source", "secret"}}
    assert make_reveal(
        NOTARY, append(events, "reveal", v1_reveal, 20), "notary", "notary-secret", NOTARY_SECRET
    )["statement"]["closing"] == event_hash(events[-1])
    wrong = append(events, "reveal", {**office_reveal, "closing": event_hash(events[-2])}, 20)
    with pytest.raises(VerificationError, match=r"event 5 .reveal. names closing"):
        make_reveal(NOTARY, wrong, "notary", "notary-secret", NOTARY_SECRET)
    mine = append(revealed, "reveal", body_of(signed), 21)
    with pytest.raises(CeremonyError, match="'notary-secret' is revealed already, in event 6"):
        make_reveal(NOTARY, mine, "notary", "notary-secret", NOTARY_SECRET)


def test_reveal_is_refused_before_every_commit_and_entered_value(
    announcement: dict[str, Any],
) -> None:
    with pytest.raises(CeremonyError, match="'office-secret' has not committed yet"):
        make_reveal(
            NOTARY, complete(announcement, office=False), "notary", "notary-secret", NOTARY_SECRET
        )
    with pytest.raises(CeremonyError, match="dice source 'leader-dice' is not recorded yet"):
        make_reveal(
            NOTARY, complete(announcement, dice=False), "notary", "notary-secret", NOTARY_SECRET
        )
    with pytest.raises(CeremonyError, match="no commitment of source 'notary-secret'"):
        make_reveal(
            NOTARY, complete(announcement, notary=False), "notary", "notary-secret", NOTARY_SECRET
        )
    with pytest.raises(CeremonyError, match="'notary' is announced with key"):
        make_reveal(STRANGER, complete(announcement), "notary", "notary-secret", NOTARY_SECRET)


def test_reveal_is_refused_when_the_secret_does_not_match(announcement: dict[str, Any]) -> None:
    with pytest.raises(CeremonyError, match=r"does not match the commitment .* event 3"):
        make_reveal(NOTARY, complete(announcement), "notary", "notary-secret", OFFICE_SECRET)


def test_reveal_is_refused_past_the_reveal_phase_or_out_of_order(
    announcement: dict[str, Any],
) -> None:
    events = complete(announcement)
    seeded = append(
        events, "seed", {"announcement": event_hash(announcement), "seed": "00" * 32}, 30
    )
    with pytest.raises(CeremonyError, match=r"event 5 \(seed\) comes before any reveal"):
        make_reveal(NOTARY, seeded, "notary", "notary-secret", NOTARY_SECRET)
    aborted = append(events, "abort", {"reason": "test"}, 30)
    with pytest.raises(CeremonyError, match=r"event 5 \(abort\)"):
        make_reveal(NOTARY, aborted, "notary", "notary-secret", NOTARY_SECRET)
    office_reveal = {
        "participant": "office",
        "source": "office-secret",
        "secret": OFFICE_SECRET.hex(),
    }
    after = append(append(events, "reveal", office_reveal, 20), "abort", {"reason": "x"}, 21)
    with pytest.raises(CeremonyError, match=r"event 6 \(abort\) follows the reveals"):
        make_reveal(NOTARY, after, "notary", "notary-secret", NOTARY_SECRET)


def test_reveal_checks_links_and_signatures_of_every_event(announcement: dict[str, Any]) -> None:
    events = complete(announcement)
    removed = [events[0], *events[2:]]
    with pytest.raises(VerificationError, match=r"event 1 .*sequence 2 out of place"):
        make_reveal(NOTARY, removed, "notary", "notary-secret", NOTARY_SECRET)
    changed = copy.deepcopy(events)
    changed[2]["event"]["body"]["commitment"] = "00" * 32
    with pytest.raises(VerificationError, match=r"event 2 \(commit\): the event signature"):
        make_reveal(NOTARY, changed, "notary", "notary-secret", NOTARY_SECRET)
    relinked = copy.deepcopy(events)
    relinked[3]["event"]["previous"] = "00" * 32
    relinked[3] = sign_event(OFFICE, relinked[3]["event"])
    with pytest.raises(VerificationError, match="does not link to the event before it"):
        make_reveal(NOTARY, relinked, "notary", "notary-secret", NOTARY_SECRET)
    with pytest.raises(VerificationError, match="there are no events"):
        make_reveal(NOTARY, [], "notary", "notary-secret", NOTARY_SECRET)


def test_reveal_checks_the_signature_on_the_recorded_commitment(
    announcement: dict[str, Any],
) -> None:
    forged = body_of(sign_statement(STRANGER, signed_commit(announcement)["statement"]))
    events = append(complete(announcement, notary=False, dice=False), "commit", forged, 6)
    events = append(events, "randomness", body_of(signed_dice(announcement)), 10)
    with pytest.raises(VerificationError, match="signature does not verify"):
        make_reveal(NOTARY, events, "notary", "notary-secret", NOTARY_SECRET)


# -- the secret file -------------------------------------------------------------------------------


def test_secret_file_round_trip_mode_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    save_secret(path, DRAW_ID, "notary", "notary-secret", NOTARY_SECRET)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_secret(path)
    assert (loaded.draw_id, loaded.participant, loaded.source, loaded.secret) == (
        DRAW_ID,
        "notary",
        "notary-secret",
        NOTARY_SECRET,
    )
    assert loaded.commitment == commitment(DRAW_ID, "notary", NOTARY_SECRET).hex()
    assert NOTARY_SECRET.hex() not in repr(loaded)
    before = path.read_bytes()
    with pytest.raises(InputError, match="never replaces a secret file"):
        save_secret(path, DRAW_ID, "notary", "notary-secret", OFFICE_SECRET)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.json"]


def test_a_changed_or_foreign_secret_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    save_secret(path, DRAW_ID, "notary", "notary-secret", NOTARY_SECRET)
    data = json.loads(path.read_text(encoding="utf-8"))
    (tmp_path / "changed.json").write_text(
        json.dumps({**data, "participant": "leader"}), encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"changed\.json: its commitment does not match"):
        load_secret(tmp_path / "changed.json")
    (tmp_path / "short.json").write_text(json.dumps({**data, "secret": "00"}), encoding="utf-8")
    with pytest.raises(InputError, match="shorter than 32 bytes"):
        load_secret(tmp_path / "short.json")
    (tmp_path / "other.json").write_text('{"media_type": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a participant's secret file"):
        load_secret(tmp_path / "other.json")
    with pytest.raises(InputError, match="cannot read the secret file"):
        load_secret(tmp_path / "missing.json")
    with pytest.raises(InputError, match="the source of a secret must be a label"):
        save_secret(tmp_path / "new.json", DRAW_ID, "notary", "", NOTARY_SECRET)
    with pytest.raises(CeremonyError, match="at least 32 bytes"):
        save_secret(tmp_path / "new.json", DRAW_ID, "notary", "s", b"short")
    assert not (tmp_path / "new.json").exists()


def test_the_participant_key_is_the_office_key_class(tmp_path: Path) -> None:
    assert ParticipantKey is OfficeKey
    made = ParticipantKey.generate()
    made.save(tmp_path / "me.key", b"a long passphrase")
    again = ParticipantKey.load(tmp_path / "me.key", b"a long passphrase")
    people = [*participants(), entry("me", "witness", again)]
    seen = make_witness(again, announce(people), "me", T0)
    assert verify_statement(seen, made.public)["participant"] == "me"
