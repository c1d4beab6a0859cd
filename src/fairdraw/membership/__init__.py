"""Membership of a confidential list: the tree whose root the announcement holds, the receipt
an office gives each member, and the member's check of its own draw
(``docs/spec/membership-v1.md``)."""
