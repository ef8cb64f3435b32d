"""The register of barnkonsekvensanalyser (issue 15): one record per decision or ärende of an organisation's unit,
written by the unit's writers or imported from a diarium export, and counted in the report's part
``barnkonsekvensanalyser`` (``report.bka``)."""
