"""The commands, run as ``barnbokslut webb <name>``."""
