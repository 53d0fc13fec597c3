"""Test helpers shared by test modules (not tests themselves)."""
