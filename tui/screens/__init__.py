"""Screens other than the chat."""
