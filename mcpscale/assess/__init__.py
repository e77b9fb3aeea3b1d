"""Pure assessment logic: scoring, disagreements, evidence caps and score gates.

No files, no terminal: everything arrives as models."""
