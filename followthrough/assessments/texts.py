"""Rubric texts on display: starter texts in the reader's language, own texts as written."""

from __future__ import annotations

from django.utils.translation import gettext


def shown(text: str) -> str:
    """A rubric, level or behaviour text as the reader should see it.

    Starter texts are catalogue msgids, so gettext gives the reader's language; text an
    organisation wrote itself has no catalogue entry and comes back unchanged.
    """
    return gettext(text) if text else text


def level_label(levels: list[dict], key: str) -> str:
    for level in levels:
        if level["key"] == key:
            return shown(level["label"])
    return key
