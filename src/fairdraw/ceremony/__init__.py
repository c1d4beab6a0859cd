"""Ceremonies: commit–reveal with public randomness, signed draw records, and their verification.

See ``docs/spec/ceremony-v1.md``. The high-level calls::

    from fairdraw.ceremony import Ceremony, ScopePlan, verify_record

    ceremony = Ceremony.announce(key, draw_id=..., scopes=[ScopePlan(...)], ...)
    ceremony.commit_secret("office-secret", secret)
    ceremony.reveal("office-secret", secret)
    ceremony.add_value("leader-dice", {"rolls": [...]})
    ceremony.seed()
    record = ceremony.draw({"2026-05/MAINT": population})
    verify_record(record, populations={...}, public_key=office_key)  # raises unless valid
"""

from fairdraw.ceremony.ceremony import Ceremony, ScopePlan, new_secret, seed_from
from fairdraw.ceremony.events import CEREMONY_SPEC, EVENT_MEDIA_TYPE, RECORD_MEDIA_TYPE
from fairdraw.ceremony.public_records import PublicRecordNumbers, parse_public_record
from fairdraw.ceremony.sources import commitment, public_record_key
from fairdraw.ceremony.verify import (
    PUBLIC_RECORDS,
    Check,
    Report,
    Verdict,
    verification_report,
    verify_events,
    verify_record,
)

__all__ = [
    "CEREMONY_SPEC",
    "EVENT_MEDIA_TYPE",
    "PUBLIC_RECORDS",
    "RECORD_MEDIA_TYPE",
    "Ceremony",
    "Check",
    "PublicRecordNumbers",
    "Report",
    "ScopePlan",
    "Verdict",
    "commitment",
    "new_secret",
    "parse_public_record",
    "public_record_key",
    "seed_from",
    "verification_report",
    "verify_events",
    "verify_record",
]
