"""The barnbokslut report: one document model (``model.py``) built from a folder (``source.py``) and rendered
to a self-contained web page (``html.py``), PDF/UA-1 and PDF/A-2a in one file (``pdf.py``) and editable Word
(``docx.py``).

Submodules are imported where they are used, so ``import barnbokslut.report`` stays cheap (no matplotlib).
"""

from __future__ import annotations
