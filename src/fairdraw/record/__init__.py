"""A typed read model of ceremony events and draw records (ceremony specs v1 and v2).

Programs built on fairdraw read a record through these frozen types, never by nested keys of
its JSON, so that the wire format can grow without every caller learning it anew::

    record = DrawRecord.from_json(json.loads(text))
    record.version                            # 1 or 2
    record.announcement.scopes[0].scope       # "2026-05/MAINT/base"
    record.announcement.witnesses             # participants holding their own key
    record.announcement.sources[0].controllers  # ("office",)
    record.witnessings                        # the witnesses' signatures (v2)
    record.seed                               # hex, or None before the seed event
    record.result("2026-05/inspectors").labels
    record.steering.sentence("en")            # who could have chosen the outcome

Reading checks the shape only (the members are there and of the right type, and each
malformed one is named by a :class:`MalformedRecordError`); whether the record is genuine is for
:func:`fairdraw.verify_record`. The JSON each object was read from stays available as ``raw``,
to hash, sign or write back unchanged.
"""

from fairdraw.record.announcement import (
    Announcement,
    Participant,
    ScopeEntry,
    SourceEntry,
    Supersedes,
)
from fairdraw.record.draw import DrawRecord, PublishedPick, ScopeResult
from fairdraw.record.events import CeremonyLog, SignedEvent, Witnessing, read_events
from fairdraw.record.members import MalformedRecordError

__all__ = [
    "Announcement",
    "CeremonyLog",
    "DrawRecord",
    "MalformedRecordError",
    "Participant",
    "PublishedPick",
    "ScopeEntry",
    "ScopeResult",
    "SignedEvent",
    "SourceEntry",
    "Supersedes",
    "Witnessing",
    "read_events",
]
