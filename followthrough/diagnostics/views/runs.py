"""Pages: runs."""
