"""Editions (one barnbokslut per year and organisation), their sections with review workflow and history,
the follow-up and development-area tables, and the indicator selection."""
