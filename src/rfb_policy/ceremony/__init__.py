"""The month as one fairdraw ceremony: what it announces (:mod:`.announce`), and what its record
decided, read with the office's rules (:mod:`.record`)."""
