"""Import last year's barnbokslut (issue 14): read a DOCX, PDF or plain-text report into one neutral document
model (``model``), find the report's parts and tables in it (``understand``) and write a report folder that
``barnbokslut bygg`` builds (``folder``). No Django here: the web app's review screen uses the same core.

Entry points: :func:`read_document` (any supported file), :func:`understand`, :func:`write_folder`.
"""

