"""A Word file opened by a word processor: ``libreoffice_text(docx, workdir)`` converts it to PDF with Debian's
LibreOffice Writer (headless, ``libreoffice-writer-nogui``) and returns the converted text (``pdftotext -raw``);
``missing_from(text, expected)`` names what is not in it (compared by letters and digits, in order). A file
LibreOffice cannot open raises :class:`NotOpened` with LibreOffice's own words (``soffice`` exits 0 even then,
and writes no PDF).

Each call runs in a LibreOffice profile of its own unless given one (``profile``: a folder, reused by the
conversions of one test session, which run one after the other), so parallel runs never share a profile.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["SOFFICE", "TIMEOUT", "NotOpened", "libreoffice_text", "missing_from"]

SOFFICE = shutil.which("soffice")
#: Seconds one conversion may take (the example report takes 2–4 s on two cores).
TIMEOUT = 120


class NotOpened(AssertionError):
    """LibreOffice could not open (or convert) the Word file."""


def libreoffice_text(docx: Path, workdir: Path, *, profile: Path | None = None) -> str:
    """``docx`` converted to PDF by LibreOffice in ``workdir``, as text; raises :class:`NotOpened`."""
    if SOFFICE is None:
        raise NotOpened("soffice saknas (Debian-paketet libreoffice-writer-nogui)")
    workdir.mkdir(parents=True, exist_ok=True)
    own_profile = profile is None
    profile = Path(tempfile.mkdtemp(prefix="lo-")) if profile is None else profile
    try:
        done = subprocess.run(
            [
                SOFFICE,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile.resolve().as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(workdir),
                str(docx),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    finally:
        if own_profile:
            shutil.rmtree(profile, ignore_errors=True)
    pdf = workdir / f"{docx.stem}.pdf"
    if done.returncode != 0 or not pdf.is_file():
        said = " ".join(line for line in (done.stdout + done.stderr).splitlines() if "javaldx" not in line)
        raise NotOpened(f"LibreOffice kunde inte öppna {docx.name} (kod {done.returncode}): {said.strip()}")
    # -raw: in the order LibreOffice wrote the text, cell by cell (the default reading order interleaves
    # the wrapped lines of neighbouring table cells).
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _squeezed(text: str) -> str:
    # Letters and digits only: LibreOffice wraps lines and breaks a word that does not fit a narrow column, and
    # writes a status symbol (a glyph from another font) as a run of its own, out of the text's order.
    return "".join(ch for ch in text if ch.isalnum())


def missing_from(text: str, expected: Iterable[str]) -> list[str]:
    """Those of ``expected`` that ``text`` lacks, compared by their letters and digits."""
    squeezed = _squeezed(text)
    return [item for item in expected if _squeezed(item) not in squeezed]
