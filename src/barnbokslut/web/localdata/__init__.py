"""Local data: CSV or XLSX files with the municipality's own figures (per school, per group), imported
all-or-nothing after a preview that names every error with row and column."""
