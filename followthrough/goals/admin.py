from django.contrib import admin

from followthrough.goals.models import Goal, GoalSettings


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["metric_key", "person", "team", "period_kind", "start", "end", "target"]
    list_filter = ["organisation", "period_kind", "metric_key"]
    raw_id_fields = ["person", "team"]


@admin.register(GoalSettings)
class GoalSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "ramp_shares"]
