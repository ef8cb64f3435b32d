"""barnbokslut: a municipality's yearly child-rights account, from Kolada figures to a published report."""

from __future__ import annotations

__version__ = "0.1.0"
