"""fairdraw: verifiable random draws for public offices.

Anyone can recompute a fairdraw draw from what its record publishes: the seed, the scope names,
the parameters and the population. The rules are written down byte for byte in
``docs/spec/draw-v1.md``; this package is one implementation of them.

The high-level calls an office system needs::

    from fairdraw import Population, canonical_label, draw_exact

    population = Population.of(canonical_label(name) for name in raw_names)
    print(population.digest_hex)                # publish this before the seed exists
    draw = draw_exact(seed_hex, "2026-05/MAINT", population, k=15, alternates=5)
    for pick in draw.selected:
        print(pick.rank, pick.label, pick.score)

``derive_subseed`` and ``score`` are low-level building blocks for verifiers and other
implementations; see :mod:`fairdraw.primitives` before using them directly.
"""

from fairdraw.canonical import canonical_json, json_digest
from fairdraw.ceremony import (
    Ceremony,
    Check,
    Report,
    ScopePlan,
    Verdict,
    new_secret,
    verification_report,
    verify_record,
)
from fairdraw.ceremony.analysis import SteeringReport, outcome_known_before_abort, record_steering
from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.public_records import parse_public_record
from fairdraw.ceremony.report import PUBLIC_RECORDS, STEERING, check_title
from fairdraw.ceremony.sources import public_record_key
from fairdraw.console import print_table, table
from fairdraw.errors import (
    CeremonyError,
    DuplicateLabelError,
    EmptyPopulationError,
    FairdrawError,
    InputError,
    LabelError,
    LabelFileError,
    ParameterError,
    PolicyError,
    SourceUnavailableError,
    StorageError,
    VerificationError,
)
from fairdraw.exits import ExitCode, exit_code
from fairdraw.files import json_bytes, os_reason, read_json, write_atomic, write_json
from fairdraw.i18n import (
    N_,
    Lang,
    catalogue,
    help_in_language,
    in_language,
    lang_in_arguments,
    language,
    reset_language,
    shown_time,
    speaking,
    use_language,
    use_language_in_click,
)
from fairdraw.labels import canonical_label
from fairdraw.membership.check import MemberReport, check_member
from fairdraw.membership.receipt import RECEIPT_FORMAT, MemberReceipt, issue_receipts
from fairdraw.membership.tree import MEMBERSHIP_TREE, MembershipTree
from fairdraw.participant import (
    ParticipantKey,
    make_commit,
    make_dice,
    make_reveal,
    make_witness,
    read_statement,
)
from fairdraw.passphrase import PASSPHRASE_ENV, load_office_key, read_passphrase
from fairdraw.picks import Pick, PickList
from fairdraw.population import Population, population_digest
from fairdraw.primitives import derive_subseed, score
from fairdraw.randomness.drand import DrandBeacon, DrandChain
from fairdraw.randomness.fetch import DEFAULT_DRAND_RELAYS, DrandClient
from fairdraw.rates import format_rate, parse_rate
from fairdraw.record import (
    Announcement,
    CeremonyLog,
    DrawRecord,
    MalformedRecordError,
    Participant,
    PublishedPick,
    ScopeEntry,
    ScopeResult,
    SignedEvent,
    SourceEntry,
    Supersedes,
    Witnessing,
)
from fairdraw.sampling import (
    DRAW_RESULT_MEDIA_TYPE,
    SPEC_VERSION,
    Draw,
    Shuffle,
    StratifiedDraw,
    Stratum,
    draw_exact,
    draw_rate,
    draw_stratified,
    shuffle,
)
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.storage import (
    AlreadyFinalisedError,
    Approval,
    Checkpoint,
    Document,
    DrawIdUsedError,
    FinalisedDraw,
    Snapshot,
    Store,
    log_checkpoint,
    open_store,
    published_documents,
    read_published_document,
)
from fairdraw.times import BEIJING
from fairdraw.verifier_page import verifier_page, write_verifier_page

__version__ = "0.1.0"

__all__ = [
    "BEIJING",
    "DEFAULT_DRAND_RELAYS",
    "DRAW_RESULT_MEDIA_TYPE",
    "MEMBERSHIP_TREE",
    "N_",
    "PASSPHRASE_ENV",
    "PUBLIC_RECORDS",
    "RECEIPT_FORMAT",
    "SPEC_VERSION",
    "STEERING",
    "AlreadyFinalisedError",
    "Announcement",
    "Approval",
    "Ceremony",
    "CeremonyError",
    "CeremonyLog",
    "Check",
    "Checkpoint",
    "Document",
    "DrandBeacon",
    "DrandChain",
    "DrandClient",
    "Draw",
    "DrawIdUsedError",
    "DrawRecord",
    "DuplicateLabelError",
    "EmptyPopulationError",
    "ExitCode",
    "FairdrawError",
    "FinalisedDraw",
    "InputError",
    "LabelError",
    "LabelFileError",
    "Lang",
    "MalformedRecordError",
    "MemberReceipt",
    "MemberReport",
    "MembershipTree",
    "OfficeKey",
    "ParameterError",
    "Participant",
    "ParticipantKey",
    "Pick",
    "PickList",
    "PolicyError",
    "Population",
    "PublicKey",
    "PublishedPick",
    "Report",
    "ScopeEntry",
    "ScopePlan",
    "ScopeResult",
    "Shuffle",
    "SignedEvent",
    "Snapshot",
    "SourceEntry",
    "SourceUnavailableError",
    "SteeringReport",
    "StorageError",
    "Store",
    "StratifiedDraw",
    "Stratum",
    "Supersedes",
    "Verdict",
    "VerificationError",
    "Witnessing",
    "__version__",
    "canonical_json",
    "canonical_label",
    "catalogue",
    "check_member",
    "check_title",
    "derive_subseed",
    "draw_exact",
    "draw_rate",
    "draw_stratified",
    "event_hash",
    "exit_code",
    "format_rate",
    "help_in_language",
    "in_language",
    "issue_receipts",
    "json_bytes",
    "json_digest",
    "lang_in_arguments",
    "language",
    "load_office_key",
    "log_checkpoint",
    "make_commit",
    "make_dice",
    "make_reveal",
    "make_witness",
    "new_secret",
    "open_store",
    "os_reason",
    "outcome_known_before_abort",
    "parse_public_record",
    "parse_rate",
    "population_digest",
    "print_table",
    "public_record_key",
    "published_documents",
    "read_json",
    "read_passphrase",
    "read_published_document",
    "read_statement",
    "record_steering",
    "reset_language",
    "score",
    "shown_time",
    "shuffle",
    "speaking",
    "table",
    "use_language",
    "use_language_in_click",
    "verification_report",
    "verifier_page",
    "verify_record",
    "write_atomic",
    "write_json",
    "write_verifier_page",
]
