"""A witness of the monthly ceremony: someone outside the office, with their own key.

A witness (a 人大代表, a notary, someone from another department, a representative of the
inspected businesses) is listed in ``rfb.toml`` with their public key. At the ceremony they sign,
on their own device (``fairdraw participant …``), that they saw the announcement, and, if they
bring a secret of their own, commit to it before the dice and reveal it after: then nobody in the
office, alone, could have chosen the month's outcome (ceremony spec v2).
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from fairdraw import PublicKey

__all__ = ["Act", "Witness"]

Act = Literal["witness", "commit", "reveal"]
"""What the office asks of a witness: to sign the announcement, to commit to their secret, to
reveal it."""


@attrs.frozen(kw_only=True)
class Witness:
    """A witness from ``rfb.toml``.

    Attributes:
        id: their participant id in the announcement (a label, such as ``witness-1``).
        name: their name as the record and the publication show it.
        organisation: where they come from (区司法局, 区人大…), or empty.
        public_key: their own Ed25519 public key; the office never holds the private key.
        secret: whether they bring a secret of their own (commit, then reveal).
    """

    id: str
    name: str
    organisation: str
    public_key: PublicKey
    secret: bool = True

    @property
    def source_id(self) -> str:
        """The id of their secret's source in the announcement."""
        return f"{self.id}-secret"

    def participant(self) -> dict[str, Any]:
        """Their participant entry in the announcement."""
        entry: dict[str, Any] = {"id": self.id, "role": "见证人", "name": self.name}
        if self.organisation:
            entry["organisation"] = self.organisation
        return {**entry, "key": self.public_key.to_json()}

    def source(self) -> dict[str, Any] | None:
        """Their secret's source entry, if they bring one."""
        if not self.secret:
            return None
        return {"id": self.source_id, "type": "local", "participant": self.id}

    def acts(self, stage: Literal["before", "after"]) -> tuple[Act, ...]:
        """What they are asked for before the dice (``before``) and after the office's reveal."""
        if stage == "before":
            return ("witness", "commit") if self.secret else ("witness",)
        return ("reveal",) if self.secret else ()
