"""``fairdraw ceremony …``: a ceremony step by step in a directory, re-runnable after a kill."""

from __future__ import annotations

import hmac
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from fairdraw.ceremony import Ceremony, commitment, new_secret
from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.folder import event_files
from fairdraw.cli.app import current_lang, report_errors
from fairdraw.cli.ceremony_accept import accept
from fairdraw.cli.ceremony_plan import announce_arguments
from fairdraw.cli.ceremony_status import echo_done, echo_status, status
from fairdraw.cli.common import (
    at_option,
    at_time,
    office_key_option,
    passphrase_option,
    population_option,
    populations_by_scope,
    read_json,
    salt_option,
)
from fairdraw.cli.draw_commands import echo_picks
from fairdraw.cli.i18n import field, text
from fairdraw.cli.pending import (
    clear_pending,
    deliver_record,
    interrupted_secret,
    note_pending,
    read_secret,
    refuse_existing,
    save_with_record,
)
from fairdraw.errors import CeremonyError, InputError
from fairdraw.files import os_reason, write_atomic
from fairdraw.i18n import N_, _, shown_time
from fairdraw.passphrase import load_office_key
from fairdraw.randomness.drand import DrandChain
from fairdraw.randomness.fetch import DEFAULT_DRAND_RELAYS, DrandClient, NistClient
from fairdraw.times import format_time, parse_time

# -- ceremony ---------------------------------------------------------------------------------


@click.group(
    help=N_(
        "Run a draw ceremony step by step in a directory.\n\n"
        "announce → commit → value (dice) → reveal → value (beacons) → seed → draw; a "
        "participant with their own key hands over signed statements, recorded with accept. "
        "Verify the record with `fairdraw verify`."
    )
)
def ceremony() -> None:
    """``fairdraw ceremony``."""


@ceremony.command(
    "announce",
    help=N_(
        "Announce a ceremony from a plan file.\n\n"
        "The plan names the draw id, the office, the scopes (each with a label file and k or "
        "rate), the participants (a participant's key as the path of their public-key file), "
        "the sources and the deadlines; it may give single_party_reason and version (default "
        "2). See README.md for an example."
    ),
)
@click.argument("directory", metavar="DIR")
@click.option(
    "--plan", "plan_path", required=True, metavar="PLAN.json", help=N_("What to announce.")
)
@office_key_option
@passphrase_option
@at_option
@report_errors
def announce(
    directory: str, plan_path: str, key_path: str, passphrase_file: str | None, at_text: str | None
) -> None:
    """``fairdraw ceremony announce``: re-runnable with the same plan."""
    existing = Ceremony.load(directory) if event_files(Path(directory) / "events") else None
    plan = read_json(plan_path, _("plan"))
    office_key = load_office_key(key_path, passphrase_file)
    when = at_time(at_text) or datetime.now().astimezone().replace(microsecond=0)
    if existing is not None:
        # A re-run after an interrupted announce: the same plan, at the time it was announced.
        stored = existing.events[0]
        if at_text is None:
            when = parse_time(stored["event"]["time"])
        if format_time(when) != stored["event"]["time"]:
            raise CeremonyError(
                _("{directory} already holds a ceremony, announced at {time}").format(
                    directory=directory, time=shown_time(stored["event"]["time"])
                )
            )
    try:
        result = Ceremony.announce(office_key, **announce_arguments(plan, plan_path, when), at=when)
    except CeremonyError as err:
        if existing is not None:
            raise CeremonyError(
                _("{directory} already holds a ceremony ({reason})").format(
                    directory=directory, reason=err
                )
            ) from err
        raise
    except (KeyError, TypeError) as err:
        raise InputError(
            _("{path}: the plan lacks or garbles {member}").format(path=plan_path, member=err)
        ) from err
    if existing is not None:
        if existing.events[0] != result.events[0]:
            raise CeremonyError(
                _("{directory} already holds a ceremony, and not the one {plan} announces").format(
                    directory=directory, plan=plan_path
                )
            )
        echo_done("announce")
        echo_status(existing)
        return
    result.save(directory)
    echo_status(result)


@ceremony.command(
    "commit",
    help=N_(
        "Make a secret, keep it in a file, and record its commitment.\n\n"
        "Re-run after an interruption, it commits to the secret the interrupted run left in "
        "--secret-out (never to a second one); once the commitment is recorded, it only "
        "confirms it."
    ),
)
@click.argument("directory", metavar="DIR")
@click.option("--source", "source_id", required=True, help=N_("The local source to commit for."))
@click.option(
    "--secret-out",
    required=True,
    metavar="FILE",
    help=N_("Where to keep the new secret (private)."),
)
@office_key_option
@passphrase_option
@at_option
@report_errors
def commit(
    directory: str,
    source_id: str,
    secret_out: str,
    key_path: str,
    passphrase_file: str | None,
    at_text: str | None,
) -> None:
    """``fairdraw ceremony commit``."""
    current = Ceremony.load(directory, load_office_key(key_path, passphrase_file))
    out = Path(secret_out)
    step = f"commit {source_id}"
    recorded = current.body_of("commit", source_id)
    if recorded is not None:
        kept = read_secret(secret_out) if out.exists() else None
        if kept is None or not hmac.compare_digest(
            commitment(current.draw_id, recorded["participant"], kept).hex(),
            recorded["commitment"],
        ):
            raise CeremonyError(
                _("source {source!r} has committed already, and not to a secret in {path}").format(
                    source=source_id, path=out
                )
            )
        clear_pending(directory, step)
        echo_done("commit")
        echo_status(current)
        return
    secret = interrupted_secret(directory, current, step, out) if out.exists() else new_secret()
    current.commit_secret(source_id, secret, at=at_time(at_text))
    made = current.body_of("commit", source_id)
    assert made is not None  # noqa: S101 (just recorded)
    note_pending(
        directory,
        step,
        {
            "announcement": event_hash(current.events[0]),
            "secret_file": str(out.resolve()),
            "commitment": made["commitment"],
        },
    )
    if not out.exists():
        write_atomic(out, secret.hex() + "\n", mode=0o600)
    current.save(directory)
    clear_pending(directory, step)
    echo_status(current)


@ceremony.command("reveal", help=N_("Reveal a committed secret."))
@click.argument("directory", metavar="DIR")
@click.option("--source", "source_id", required=True, help=N_("The local source to reveal."))
@click.option(
    "--secret-file",
    required=True,
    metavar="FILE",
    help=N_("The secret file its commit wrote (--secret-out)."),
)
@office_key_option
@passphrase_option
@at_option
@report_errors
def reveal(
    directory: str,
    source_id: str,
    secret_file: str,
    key_path: str,
    passphrase_file: str | None,
    at_text: str | None,
) -> None:
    """``fairdraw ceremony reveal``."""
    current = Ceremony.load(directory, load_office_key(key_path, passphrase_file))
    secret = read_secret(secret_file)
    recorded = current.body_of("reveal", source_id)
    if recorded is not None:
        if not hmac.compare_digest(recorded["secret"], secret.hex()):
            raise CeremonyError(
                _("source {source!r} has revealed another secret already").format(source=source_id)
            )
        echo_done("reveal")
    else:
        current.reveal(source_id, secret, at=at_time(at_text))
        current.save(directory)
    echo_status(current)


@ceremony.command(
    "value",
    help=N_(
        "Enter a public source's value: dice, a beacon, a public record.\n\n"
        "With --fetch, the drand round or NIST pulse the announcement names is fetched and "
        "verified."
    ),
)
@click.argument("directory", metavar="DIR")
@click.option("--source", "source_id", required=True, help=N_("The source whose value it is."))
@click.option("--rolls", default=None, help=N_('Dice: the rolls in order, e.g. "3 6 1 4".'))
@click.option("--drand-beacon", default=None, metavar="FILE", help=N_("drand: the beacon JSON."))
@click.option("--nist-pulse", default=None, metavar="FILE", help=N_("NIST: the pulse JSON."))
@click.option("--certificate", default=None, metavar="PEM", help=N_("NIST: the certificate."))
@click.option(
    "--numbers", default=None, help=N_('Public record: "7 18 28 / 15 21" (/ between draws).')
)
@click.option(
    "--fetch", "fetch_it", is_flag=True, help=N_("drand or NIST: fetch the announced value.")
)
@click.option(
    "--relay", "relays", multiple=True, metavar="URL", help=N_("With --fetch: drand relays.")
)
@click.option(
    "--nist-base", default=None, metavar="URL", help=N_("With --fetch: the NIST beacon API.")
)
@office_key_option
@passphrase_option
@at_option
@report_errors
def value(
    directory: str,
    source_id: str,
    rolls: str | None,
    drand_beacon: str | None,
    nist_pulse: str | None,
    certificate: str | None,
    numbers: str | None,
    fetch_it: bool,
    relays: tuple[str, ...],
    nist_base: str | None,
    key_path: str,
    passphrase_file: str | None,
    at_text: str | None,
) -> None:
    """``fairdraw ceremony value``."""
    given = [v for v in (rolls, drand_beacon, nist_pulse, numbers) if v is not None]
    if len(given) + fetch_it != 1:
        raise click.UsageError(
            _("give exactly one of --rolls, --drand-beacon, --nist-pulse, --numbers, --fetch")
        )
    current = Ceremony.load(directory, load_office_key(key_path, passphrase_file))
    content: dict[str, Any]
    if fetch_it:
        content = _fetch_value(current, source_id, relays, nist_base)
    elif rolls is not None:
        content = {"rolls": _integers(rolls, "--rolls")}
    elif drand_beacon is not None:
        beacon = read_json(drand_beacon, _("drand beacon"))
        content = {
            k: beacon[k] for k in ("round", "signature", "previous_signature") if k in beacon
        }
    elif nist_pulse is not None:
        if certificate is None:
            raise click.UsageError(_("--nist-pulse needs --certificate"))
        try:
            pem = Path(certificate).read_text(encoding="ascii")
        except OSError as err:
            raise InputError(
                _("{path}: cannot read the certificate: {reason}").format(
                    path=certificate, reason=os_reason(err)
                )
            ) from err
        except ValueError as err:
            raise InputError(_("{path}: not a PEM certificate").format(path=certificate)) from err
        content = {"pulse": read_json(nist_pulse, _("NIST pulse")).get("pulse"), "certificate": pem}
    else:
        assert numbers is not None  # noqa: S101 (exactly one was given)
        content = {"numbers": [_integers(part, "--numbers") for part in numbers.split("/")]}
    recorded = current.body_of("randomness", source_id)
    if recorded is not None:
        if recorded["value"] != content:
            raise CeremonyError(
                _("source {source!r} has another value already").format(source=source_id)
            )
        echo_done("value")
    else:
        current.add_value(source_id, content, at=at_time(at_text))
        current.save(directory)
    echo_status(current)


def _fetch_value(
    current: Ceremony, source_id: str, relays: tuple[str, ...], nist_base: str | None
) -> dict[str, Any]:
    """Fetch and verify the beacon value the announcement names for ``source_id``."""
    spec = next((s for s in current.announcement["sources"] if s["id"] == source_id), None)
    if spec is None or spec["type"] not in {"drand", "nist"}:
        raise CeremonyError(
            _("--fetch works for a drand or NIST source, not {source!r}").format(source=source_id)
        )
    if spec["type"] == "drand":
        client = DrandClient(
            chain=DrandChain.named(spec["chain"]), relays=relays or DEFAULT_DRAND_RELAYS
        )
        beacon = client.beacon(spec["round"]).to_json()
        return {k: beacon[k] for k in ("round", "signature", "previous_signature") if k in beacon}
    nist = NistClient(base=nist_base) if nist_base else NistClient()
    fetched = nist.pulse(spec["chain_index"], spec["pulse_index"])
    return {"pulse": fetched.raw, "certificate": fetched.certificate_pem}


def _integers(text_value: str, option: str) -> list[int]:
    try:
        return [int(part) for part in text_value.replace(",", " ").split()]
    except ValueError as err:
        raise InputError(
            _("{option} takes whole numbers separated by spaces").format(option=option)
        ) from err


@ceremony.command("seed", help=N_("Compute and record the seed once every source is in."))
@click.argument("directory", metavar="DIR")
@office_key_option
@passphrase_option
@at_option
@report_errors
def seed(directory: str, key_path: str, passphrase_file: str | None, at_text: str | None) -> None:
    """``fairdraw ceremony seed``."""
    current = Ceremony.load(directory, load_office_key(key_path, passphrase_file))
    if current.body_of("seed") is not None:
        echo_done("seed")
    else:
        current.seed(at=at_time(at_text))
        current.save(directory)
    echo_status(current)


@ceremony.command(
    "draw",
    help=N_(
        "Draw every scope and write the signed draw record.\n\n"
        "Re-run after an interruption that left the draw recorded but not its record file, it "
        "writes the record from the stored events."
    ),
)
@click.argument("directory", metavar="DIR")
@population_option
@salt_option
@click.option(
    "--out",
    "out_path",
    required=True,
    metavar="RECORD.json",
    help=N_("Where to write the signed draw record (never overwritten)."),
)
@office_key_option
@passphrase_option
@at_option
@report_errors
def draw(
    directory: str,
    population_values: tuple[str, ...],
    salts: tuple[str, ...],
    out_path: str,
    key_path: str,
    passphrase_file: str | None,
    at_text: str | None,
) -> None:
    """``fairdraw ceremony draw``."""
    current = Ceremony.load(directory, load_office_key(key_path, passphrase_file))
    populations = populations_by_scope(population_values, salts, current.announcement["scopes"])
    if current.state == "drawn":
        record = current.record()
        deliver_record(directory, out_path, record)
    else:
        refuse_existing(out_path)
        record = current.draw(populations, at=at_time(at_text))
        save_with_record(directory, current, out_path, record)
    echo_status(current)
    lang = current_lang()
    for result in record["events"][-1]["event"]["body"]["results"]:
        click.echo(f"\n{field('draw.scope', result['scope'], lang)}")
        selected = text("draw.selected", lang, count=len(result["selected"]))
        echo_picks(selected, result["selected"], lang)
        if result["alternates"]:
            alternates = text("draw.alternates", lang, count=len(result["alternates"]))
            echo_picks(alternates, result["alternates"], lang)
    click.echo()
    click.echo(text("ceremony.record", lang, path=out_path))


@ceremony.command(
    "abort",
    help=N_(
        "Abort the ceremony and write the signed record of the abort.\n\n"
        "It works on a ceremony whose last event file an older, interrupted fairdraw left "
        "empty (the file is kept as NNN-kind.json.damaged). Re-run after an interruption, it "
        "writes the record of the recorded abort."
    ),
)
@click.argument("directory", metavar="DIR")
@click.option(
    "--reason", required=True, help=N_("Why the ceremony is closed without a draw (recorded).")
)
@click.option(
    "--out",
    "out_path",
    required=True,
    metavar="RECORD.json",
    help=N_("Where to write the signed record of the abort (never overwritten)."),
)
@office_key_option
@passphrase_option
@at_option
@report_errors
def abort(
    directory: str,
    reason: str,
    out_path: str,
    key_path: str,
    passphrase_file: str | None,
    at_text: str | None,
) -> None:
    """``fairdraw ceremony abort``."""
    current = Ceremony.load(
        directory, load_office_key(key_path, passphrase_file), allow_damaged_tail=True
    )
    if current.state == "aborted":
        deliver_record(directory, out_path, current.record())
    else:
        refuse_existing(out_path)
        record = current.abort(reason, at=at_time(at_text))
        save_with_record(directory, current, out_path, record)
        click.echo(text("ceremony.record", current_lang(), path=out_path))
    echo_status(current)


ceremony.add_command(accept)
ceremony.add_command(status)

COMMANDS: tuple[click.Command, ...] = (ceremony,)
"""The commands this module adds to ``fairdraw``."""
