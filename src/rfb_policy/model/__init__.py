"""What the office works with: the directories' entries and the inspection result form."""
