"""What the office publishes (the disclosure, the assignment) and the check any citizen can run
on it (:mod:`.verify`)."""
