"""Reference lookups for one import: one query per referenced kind, never one per row."""

from __future__ import annotations

from collections import defaultdict

from followthrough.crm.models import Account, Deal, Product
from followthrough.ingest.convert import Lookup
from followthrough.ingest.mapping import Mapping
from followthrough.people.models import Organisation, Person, Team

MODELS = {"account": Account, "product": Product, "deal": Deal}
LABELS = {
    "person": "person",
    "team": "team",
    "account": "account",
    "product": "product",
    "deal": "deal",
}


def _lookup(pairs, label: str, prefer=None) -> Lookup:
    """Key -> id; keys seen twice are ambiguous unless `prefer` settles them."""
    keys: dict[str, int] = {}
    seen: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    for pk, key, preferred in pairs:
        if key:
            seen[key.casefold()].append((pk, preferred))
    ambiguous = set()
    for key, hits in seen.items():
        if len(hits) == 1:
            keys[key] = hits[0][0]
            continue
        best = [pk for pk, preferred in hits if preferred]
        if len(best) == 1:
            keys[key] = best[0]
        else:
            ambiguous.add(key)
    return Lookup(keys, ambiguous, label)


def build_lookups(
    org: Organisation, mapping: Mapping, skip: set[str] = frozenset()
) -> dict[str, Lookup]:
    """A Lookup per mapped reference field, except those resolved later (`skip`)."""
    lookups: dict[str, Lookup] = {}
    for fmap in mapping.fields.values():
        spec = mapping.kind.by_name[fmap.name]
        if spec.type != "ref" or fmap.name in skip or fmap.create_missing:
            continue
        label = LABELS[spec.ref]
        if spec.ref == "person":
            key = fmap.match
            rows = Person.objects.filter(organisation=org).values_list("pk", key)
            lookups[fmap.name] = _lookup(((pk, k, False) for pk, k in rows), label)
        elif spec.ref == "team":
            rows = Team.objects.filter(organisation=org).values_list("pk", "name", "external_id")
            pairs = [(pk, name, False) for pk, name, _ in rows]
            pairs += [(pk, ext, True) for pk, _, ext in rows if ext]
            lookups[fmap.name] = _lookup(pairs, label)
        else:
            model = MODELS[spec.ref]
            key = "name" if fmap.match == "name" else "external_id"
            rows = model.objects.filter(organisation=org).values_list("pk", key, "source")
            pairs = (
                (pk, k, src == mapping.source) for pk, k, src in rows.iterator(chunk_size=20000)
            )
            lookups[fmap.name] = _lookup(pairs, label)
    return lookups
