from django.contrib import admin

from followthrough.coaching import models as m


@admin.register(m.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["kind", "manager", "rep", "scheduled_at", "status"]
    list_filter = ["organisation", "kind", "status"]
    raw_id_fields = ["manager", "rep", "deal", "cadence", "moved_from", "created_by"]


@admin.register(m.Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["text", "owner", "due_on", "status"]
    list_filter = ["organisation", "status"]
    raw_id_fields = ["owner", "created_by", "meeting", "goal", "deal"]


@admin.register(m.LadderStep)
class LadderStepAdmin(admin.ModelAdmin):
    list_display = ["rep", "step", "started_on", "review_on", "outcome"]
    list_filter = ["organisation", "step", "outcome"]
    raw_id_fields = ["rep", "previous", "opened_by"]
