"""Followthrough: sales accountability and coaching."""
