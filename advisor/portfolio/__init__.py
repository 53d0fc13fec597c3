"""Portfolio review: many briefs in, one report each, a ranked summary, and milestone diffs."""
