"""Import last year's barnbokslut from Word, PDF or text."""
