"""Import runs and the rows they rejected."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from followthrough.ingest.reasons import translate


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    READING = "reading", _("Reading")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected: nothing written")
    FAILED = "failed", _("Failed")


FINISHED = (RunStatus.DONE, RunStatus.REJECTED, RunStatus.FAILED)


class Said(str):
    """Text an import wrote (in English), shown in the reader's language (see reasons.py).

    Its value stays the English, for the database, CSV files, JSON and comparisons;
    only str(), which templates use, translates it.
    """

    def __str__(self) -> str:
        return translate(str.__str__(self))


class SaidField(models.CharField):
    """A CharField read back as Said (stored and migrated as a plain CharField)."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else Said(value)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class SaidTextField(models.TextField):
    """A TextField read back as Said (stored and migrated as a plain TextField)."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else Said(value)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class SaidListField(models.JSONField):
    """A JSON list of texts read back as Said (stored and migrated as a plain JSONField)."""

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        if isinstance(value, list):
            return [Said(item) if isinstance(item, str) else item for item in value]
        return value

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class ImportRun(models.Model):
    """One import of one file (or one API batch): who, when, what, and how it went."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20)
    source = models.CharField(_("source"), max_length=40)
    file_name = models.CharField(_("file"), max_length=300)
    mapping_name = models.CharField(_("mapping"), max_length=300, blank=True)
    mapping_text = models.TextField(_("mapping used"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_name = models.CharField(_("by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus, default=RunStatus.QUEUED
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    bytes_total = models.BigIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    rows_read = models.IntegerField(_("rows read"), default=0)
    created = models.IntegerField(_("created"), default=0)
    updated = models.IntegerField(_("updated"), default=0)
    unchanged = models.IntegerField(_("unchanged"), default=0)
    rejected = models.IntegerField(_("rejected"), default=0)
    message = SaidTextField(_("message"), blank=True)
    warnings = SaidListField(_("warnings"), default=list, blank=True)
    stored_file = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_read / self.bytes_total))


class RejectedRow(models.Model):
    """A row (or the whole file, row empty) an import refused, and why."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejected_rows")
    file_name = models.CharField(_("file"), max_length=300)
    row = models.IntegerField(_("row"), null=True, blank=True)
    column = models.CharField(_("column"), max_length=300, blank=True)
    value = models.CharField(_("value"), max_length=300, blank=True)
    reason = SaidField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["run", "row", "pk"]

    def __str__(self) -> str:
        return f"{self.file_name}:{self.row} {self.column}: {self.reason}"


class Integration(models.Model):
    """A connection from a CRM or script: an API token and a webhook secret for one organisation."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=40, help_text=_("e.g. hubspot, salesforce"))
    # Only a hash of the token is kept: it is shown once, when created.
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(_("token prefix"), max_length=12)
    webhook_secret = models.CharField(max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    @property
    def is_authenticated(self) -> bool:
        # Lets DRF treat the integration as the authenticated caller.
        return True


class WebhookDelivery(models.Model):
    """A webhook event already processed, so a replay is refused."""

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return self.event_id
