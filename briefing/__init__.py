"""briefing: compile a folder of news articles into a cited policy brief."""

__version__ = "0.1.0"
