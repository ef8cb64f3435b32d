"""Children's voices in the web app: an edition's quotes from children (with consent) and children's proposals
with what came of them, written by skribenter and samordnare and passed to the report by ``report_from_db``."""
