"""The texts of the ``fairdraw`` command line, by key; their translations are in fairdraw's
gettext catalogue (:mod:`fairdraw.i18n`).

The run's language is chosen by ``--lang``, else the ``FAIRDRAW_LANG`` environment variable, else
the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): Chinese when it starts with ``zh``, English
otherwise. JSON output is never translated.
"""

from __future__ import annotations

import os

from fairdraw.i18n import LOCALEDIR, N_, Lang, in_language

__all__ = ["Lang", "detect_lang", "field", "text"]

_TEXTS: dict[str, str] = {
    "field": N_("{label}: {value}"),
    "error": N_("Error: "),
    "error.label_file": N_("The label file has a problem"),
    "error.label_file.line": N_("The label file {path} has a problem at line {line}: {reason}"),
    "error.parameter": N_("The parameter {parameter} is invalid"),
    "error.population.empty": N_("The population is empty"),
    "error.label": N_("A label is invalid"),
    "error.input": N_("The input is invalid"),
    "error.ceremony": N_("The ceremony step breaks its rules"),
    "error.verification": N_("Verification failed"),
    "error.source_unavailable": N_("A randomness source is unavailable"),
    "error.storage": N_("Storage error"),
    "error.storage.already_finalised": N_(
        "This draw was finalised already; it cannot be drawn again"
    ),
    "error.policy": N_("An office rule forbids this"),
    "interrupted": N_(
        "Interrupted (Ctrl-C, or the input closed): every step already done is kept, and "
        "the step under way wrote nothing; run the command again to go on."
    ),
    "error.internal": N_("Internal error; please report the following to the maintainers"),
    "reason.type": N_("not text"),
    "reason.encoding": N_("cannot be encoded as UTF-8"),
    "reason.empty": N_("an empty line (a label cannot be empty)"),
    "reason.too_long": N_("the label is over 1024 bytes"),
    "reason.control": N_("it contains a control character"),
    "reason.whitespace": N_("white space at the start or end (--canonicalize removes it)"),
    "reason.not_nfc": N_("not in Unicode NFC (--canonicalize normalises it)"),
    "reason.not_utf8": N_("not UTF-8 (save the file as UTF-8)"),
    "reason.duplicate": N_("it duplicates an earlier label"),
    "draw.title": N_("Draw result ({spec})"),
    "draw.scope": N_("Scope"),
    "draw.mode.exact": N_("Exact mode: k = {k}, {alternates} alternates"),
    "draw.mode.rate": N_("Rate mode: rate {rate}"),
    "draw.population": N_("Population size"),
    "draw.seed": N_("Seed"),
    "draw.subseed": N_("Subseed"),
    "draw.digest": N_("Population digest"),
    "draw.selected": N_("Selected ({count})"),
    "draw.alternates": N_("Alternates ({count}, in order)"),
    "draw.none": N_("(none)"),
    "draw.rank": N_("Rank"),
    "draw.score": N_("Score (first 16 hex digits)"),
    "draw.label": N_("Label"),
    "beacon.valid": N_("Valid: {source}"),
    "beacon.invalid": N_("INVALID: {source} (do not use it)"),
    "beacon.randomness": N_("Randomness"),
    "beacon.time": N_("Time"),
    "key.created": N_("Created the key {path} (encrypted) and the public key {public}"),
    "ceremony.status": N_("Ceremony {draw_id}: {state} ({meaning})"),
    "ceremony.state.committing": N_("waiting for every secret's commitment"),
    "ceremony.state.entering": N_(
        "entering the dice and other values typed in, before the first reveal"
    ),
    "ceremony.state.revealing": N_("waiting for the secrets' reveals"),
    "ceremony.state.collecting": N_("waiting for the public beacons, due after the last reveal"),
    "ceremony.state.collecting.v1": N_(
        "waiting for the public values (dice, beacons, public records)"
    ),
    "ceremony.state.seeded": N_("the seed is computed; ready to draw"),
    "ceremony.state.drawn": N_("the draw is made and its record signed"),
    "ceremony.state.aborted": N_("closed without a draw"),
    "ceremony.deadlines": N_("  deadlines: commit {commit}, reveal {reveal}"),
    "ceremony.act.commit": N_("commitment"),
    "ceremony.act.reveal": N_("reveal"),
    "ceremony.act.randomness": N_("entered value (dice)"),
    "ceremony.act.witness": N_("witness of the announcement"),
    "ceremony.await.statement": N_(
        "  awaiting {participant}'s signed {act} (source {source}): they make it with "
        "`fairdraw participant {command}`, the office records it with `fairdraw ceremony "
        "accept`"
    ),
    "ceremony.await.step": N_(
        "  awaiting the {act} of source {source} ({participant}): `fairdraw ceremony {command}`"
    ),
    "ceremony.await.beacon": N_(
        "  awaiting {type} source {source}, due {due}: `fairdraw ceremony value`"
    ),
    "ceremony.await.witness": N_(
        "  optional: {participants} may witness the announcement before the first reveal "
        "(`fairdraw participant witness`, recorded with `fairdraw ceremony accept`)"
    ),
    "ceremony.next": N_("  next: `fairdraw ceremony {command}`"),
    "ceremony.accepted": N_(
        "Recorded {participant}'s signed {act} (source {source}) as event {sequence}."
    ),
    "ceremony.accepted.witness": N_(
        "Recorded {participant}'s witness: they saw the announcement at {time} (event {sequence})."
    ),
    "ceremony.accepted.already": N_(
        "This signed statement of {participant} ({act}) was recorded already, as event "
        "{sequence}; nothing to repeat."
    ),
    "ceremony.record": N_("Signed record written to {path}"),
    "ceremony.already": N_("This step ({step}) was recorded already; nothing to repeat."),
    "ceremony.record_rewritten": N_(
        "The step was recorded, but not its record file: {path} is written from the stored events."
    ),
    "ceremony.record_missing": N_(
        "The record file {path} was not written (an interrupted run): run `fairdraw "
        "ceremony {command}` again with the same arguments to write it."
    ),
    "ceremony.secret_pending": N_(
        "The secret of source {source} is in {path}, but its commitment was not recorded "
        "(an interrupted run): run `fairdraw ceremony commit` again with --secret-out "
        "{path}."
    ),
    "ceremony.damaged": N_(
        "The event file {path} is empty or cut short (left by an interrupted older "
        "version), so that step was not recorded: delete the file and repeat the step, "
        "or close the ceremony with `fairdraw ceremony abort`."
    ),
    "participant.key.created": N_(
        "Created your participant key {path} (encrypted with your passphrase) and its "
        "public key {public}. Keep the key file to yourself; give it to no one, not even "
        "the office."
    ),
    "participant.key.id": N_("Key id (read it out to the office in groups of four):"),
    "participant.key.entry": N_(
        "Give the office this participant entry for its announcement (or rfb.toml):"
    ),
    "participant.key.fill": N_(
        "Its id and role are ?: the office fills them in as agreed with you."
    ),
    "participant.announcement": N_("Announcement: draw {draw_id} by {office}, announced at {time}"),
    "participant.announcement_hash": N_("Announcement hash: {hash}"),
    "participant.commit.done": N_(
        "Made a new secret for source {source} and kept it in {secret} (readable by you "
        "only; show it to no one before the reveal). The signed commitment is in {out}."
    ),
    "participant.commit.reused": N_(
        "Used the secret already in {secret} (the same commitment, not a second secret). "
        "The signed commitment is in {out}."
    ),
    "participant.handover": N_("Hand {out} to the office, or send it this line of text (base64):"),
    "participant.witness.check": N_(
        "Check that the announcement hash the office shows or publishes is exactly the one above."
    ),
    "participant.witness.done": N_(
        "Signed your witness: you saw this announcement at {time}. Written to {out}."
    ),
    "participant.dice.done": N_(
        "Signed the {count} rolls of source {source}: {rolls}. Written to {out}."
    ),
    "participant.reveal.after": N_(
        "You reveal after this state (every commitment and entered value is recorded): "
        "event {sequence} ({kind}), hash {hash}"
    ),
    "participant.reveal.done": N_(
        "Signed the reveal of source {source}; written to {out}. Once you hand it over, "
        "your secret is public."
    ),
    "participant.unchanged": N_("{out} already holds this same signed statement; left as it was."),
    "verify.title": N_("Verifying draw record {draw_id}"),
    "verify.steering": N_("{sentence}"),
    "verify.passed": N_("passed"),
    "verify.failed_check": N_("FAILED"),
    "verify.not_checked": N_("not checked"),
    "verify.verdict.passed": N_("Result: PASSED: every check passed; the record can be trusted."),
    "verify.verdict.failed": N_("Result: verification FAILED; do not trust this record."),
    "verify.verdict.incomplete": N_(
        "Result: INCOMPLETE: nothing failed, but {count} check(s) could not be made "
        "(above), so the record is not verified; give what each one asks for "
        "(--public-key, every scope's --population, each public record's --public-record "
        "as its publisher published it) to complete it."
    ),
    "digest.title": N_("Population digest"),
    "digest.count": N_("Labels"),
    "digest.salt": N_("Salt"),
    "digest.public": N_("(empty: a public list)"),
    "demo.intro": N_(
        "Demo: drawing {k} of the {count} fictional civil air defense works in the "
        "bundled example list, with {alternates} ranked alternates."
    ),
    "demo.seed_random": N_(
        "This seed came from the operating system's CSPRNG; a real draw takes its seed "
        "from a commit-reveal ceremony and public beacons."
    ),
    "demo.verify": N_("Anyone can recompute and check this draw with:"),
    "error.storage.draw_id_used": N_(
        "This draw id was used before (the audit log shows it, even if its rows were "
        "deleted); a new draw takes a new id"
    ),
    "store.finalised": N_("finalised {draw_id} (audit log entry {seq})"),
    "store.population": N_("population {name}: {digest}"),
    "store.approved": N_("approved: {draw_id} by {approver} (audit log entry {seq})"),
    "store.rejected": N_("rejected: {draw_id} by {approver} (audit log entry {seq})"),
    "log.exported": N_("exported {count} entries to {path}"),
    "log.imported": N_("imported {count} entries"),
    "log.checkpoint": N_("Log checkpoint written to {path}: {size} entries, head {head}, {time}"),
    "log.intact": N_("Audit log intact: {count} entries in {source}"),
    "log.unsigned": N_(" (signatures not checked: --public-key)"),
    "log.extends": N_("It extends the checkpoint {path}: {time}, {size} entries"),
    "log.invalid": N_("The audit log is INVALID"),
}


def detect_lang() -> Lang:
    """The language from ``FAIRDRAW_LANG`` or the locale; English when nothing says Chinese."""
    for variable in ("FAIRDRAW_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def text(key: str, lang: Lang, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``values`` filled in."""
    return in_language("fairdraw", LOCALEDIR, lang, _TEXTS[key]).format(**values)


def field(key: str, value: object, lang: Lang) -> str:
    """One line "label: value" in ``lang``: the text for ``key``, then ``value`` (the colon is
    the language's own: full-width in Chinese)."""
    return text("field", lang, label=text(key, lang), value=value)
