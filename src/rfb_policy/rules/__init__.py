"""The office's rules as pure functions of their inputs: the item catalogue, the official
calendar and the monthly schedule, availability, the annual plan and monthly quotas, and the
groups and their assignment. Nothing here reads a store or writes a file."""
