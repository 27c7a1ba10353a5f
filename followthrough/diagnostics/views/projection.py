"""Pages: projection."""
