"""Pages: hygiene."""
