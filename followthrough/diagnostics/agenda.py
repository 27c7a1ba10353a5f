"""The 1:1 agenda's early warnings: the rep's three rights and hygiene (and, for the
manager only, integrity prompts), through coaching.agenda.register_section."""
