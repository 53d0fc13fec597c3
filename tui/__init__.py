"""The Textual chat: a thin face over the advisor library (the library never imports it)."""
