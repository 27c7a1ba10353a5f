"""Per-language overrides of Django's formats (settings.FORMAT_MODULE_PATH)."""
