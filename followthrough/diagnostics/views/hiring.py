"""Pages: hiring."""
