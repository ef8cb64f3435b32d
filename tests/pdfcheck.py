"""PDF/UA-1 and PDF/A-2a validation without a JVM: ``pdf_check(pdf)`` runs page-validation's rules for a profile
on a PDF file (or its bytes) and returns the failures as readable lines, so that
``assert not pdf_check(path), ...`` says what to fix. Every PDF the tests build goes through it.

Our PDFs are both (see ``barnbokslut.report.pdf``): ``pdf_check`` checks PDF/UA-1 and PDF/A-2a unless told
``profiles=("ua1",)``. One check of a small report takes well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import page

__all__ = ["ARCHIVAL", "PDF_A", "PDF_UA", "pdf_check"]

#: page-validation's profile names: PDF/UA-1, and PDF/A-2 level a (accessible: tagged, Unicode text).
PDF_UA = "ua1"
PDF_A = "2a"
ARCHIVAL = (PDF_UA, PDF_A)


def pdf_check(pdf: Path | bytes, profiles: Iterable[str] = ARCHIVAL) -> list[str]:
    """Validate ``pdf`` against each of ``profiles``; one "profile: rule: message" line per failure."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    failures = []
    for profile in profiles:
        report = page.validate_pdf_bytes(data, profile=profile)
        failures += [f"{profile}: {f.rule_id}: {f.message}" for f in report.failures]
        if not report.is_compliant and not report.failures:
            failures.append(f"{profile}: not compliant (no rule named)")
    return failures
