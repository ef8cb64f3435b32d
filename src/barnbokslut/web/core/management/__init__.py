"""Management commands of the web app: ``load_example``."""
