"""The organisation: the municipality (or committee) and its departments and units as a tree."""
