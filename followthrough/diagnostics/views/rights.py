"""Pages: rights."""
