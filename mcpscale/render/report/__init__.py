"""The report: its context, HTML and PDF through one jinja environment, Markdown."""
