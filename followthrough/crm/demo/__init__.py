"""The demo organisation's sales data: pure functions turning a seed into CRM records.

Nothing here touches the database. The records are dicts keyed by the field
names of the ingest kinds (followthrough/ingest/kinds.py), so they are written
through the same importer a CSV file or the API uses
(followthrough/ingest/demo.py).
"""
