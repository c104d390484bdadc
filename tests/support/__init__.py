"""Helpers shared by tests: what a person posts (``forms``), the text of documents (``documents``),
races between sessions (``races``), offline case files (``offline_case``) and a URL configuration
for the learning register (``learning_urls``). Test data comes from ``tests.factories``."""
