"""Moved to ``barnbokslut.web.accounts.permissions`` (next to the roles); this name stays for code written
against the old path. New code imports ``barnbokslut.web.accounts.permissions``."""

from barnbokslut.web.accounts.permissions import Action, can, can_write_section, membership, require, role

__all__ = ["Action", "can", "can_write_section", "membership", "require", "role"]
