"""Interviews: the UI-free state machines, the terminal UI, and offline forms."""
