"""Preview and publish: immutable published versions (HTML, PDF, DOCX) with checksums, and the archive."""
