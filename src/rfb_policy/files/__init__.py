"""Reading the office's files: the two directories from CSV or XLSX, and a draw's internal lists
(written and read through their manifest)."""
