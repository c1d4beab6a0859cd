"""Reading the office's files: the two directories from CSV or XLSX."""
