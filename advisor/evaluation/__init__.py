"""Offline evaluation: labelled briefs (dataset) → the graph (solver) → small scorers."""
