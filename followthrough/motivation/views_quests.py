"""Quest pages: one's own quests and proposals, the decisions waiting for a manager."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.goals.catalog import metrics_of
from followthrough.motivation import rights
from followthrough.motivation.forms import QuestForm
from followthrough.motivation.models import Quest, QuestStatus
from followthrough.motivation.quests import AlreadyDecided, decide, progress
from followthrough.web.decorators import person_required


@person_required
@require_http_methods(["GET", "POST"])
def quest_list(request):
    me = request.person
    form = QuestForm(request.POST or None, viewer=me)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Quest proposed: your manager will approve or decline it."))
        return redirect("quests")
    quests = list(
        Quest.objects.filter(rights.visible_quests_filter(me))
        .select_related("person", "person__organisation", "decided_by")
        .order_by("-start", "pk")[:200]
    )
    metrics = metrics_of(me.organisation)
    figures = progress([q for q in quests if q.status == QuestStatus.APPROVED])
    for quest in quests:
        quest.metric = metrics.get(quest.metric_key)
        quest.progress = figures.get(quest.pk)
        quest.can_decide = quest.status == QuestStatus.PROPOSED and rights.can_decide_quest(
            me, quest
        )
    context = {
        "form": form,
        "waiting": [q for q in quests if q.can_decide],
        "mine": [q for q in quests if q.person_id == me.pk],
        "others": [q for q in quests if q.person_id != me.pk and not q.can_decide],
        "currency": me.organisation.currency,
        "section": "quests",
    }
    return render(
        request, "motivation/quest_list.html", context, status=400 if form.errors else 200
    )


@person_required
@require_POST
def quest_decide(request, pk: int):
    me = request.person
    quest = get_object_or_404(Quest.objects.filter(rights.visible_quests_filter(me)), pk=pk)
    if not rights.can_decide_quest(me, quest):
        raise PermissionDenied
    approve = request.POST.get("decision") == "approve"
    try:
        decide(quest, me, approve=approve, note=request.POST.get("note", ""))
    except AlreadyDecided:
        messages.error(request, _("This quest was decided already."))
        return redirect("quests")
    if approve:
        messages.success(request, _("Quest approved."))
    else:
        messages.success(request, _("Quest declined."))
    return redirect("quests")
