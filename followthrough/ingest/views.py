"""Import pages for the organisation's admins: runs, upload, preview, progress, result."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from followthrough.ingest import guide, presets, tasks, uploads
from followthrough.ingest.forms import KIND_LABELS, ImportForm
from followthrough.ingest.models import ImportRun
from followthrough.ingest.preview import preview
from followthrough.people import access
from followthrough.web.decorators import person_required

RUNS_PER_PAGE = 50
REJECTED_SHOWN = 200


def importer_required(view):
    """A person whom access.py lets import: imports write the organisation's people and facts."""

    @person_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.can_manage_people(request.person):
            raise PermissionDenied("Only the organisation's admins may import.")
        return view(request, *args, **kwargs)

    return wrapper


def _run(request, pk: int) -> ImportRun:
    run = get_object_or_404(ImportRun, pk=pk, organisation_id=request.person.organisation_id)
    if not access.can_view_object(request.person, run):
        raise PermissionDenied
    return run


@importer_required
@require_GET
def import_list(request):
    runs = ImportRun.objects.filter(organisation_id=request.person.organisation_id).defer(
        "mapping_text", "warnings"
    )
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    for run in page.object_list:
        run.kind_label = KIND_LABELS.get(run.kind, run.kind)
    return render(request, "ingest/import_list.html", {"page": page})


@importer_required
@require_http_methods(["GET", "POST"])
def import_new(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        draft = uploads.save_draft(
            request.session,
            request.person,
            form.cleaned_data["kind"],
            form.cleaned_data["file"],
            form.chosen,
            form.skip_invalid,
        )
        return redirect("import_preview", token=draft.token)
    return render(request, "ingest/import_new.html", {"form": form})


@importer_required
@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    draft = uploads.get_draft(request.session, token, request.person)
    if draft is None:
        started = uploads.run_started_from(request.session, token)
        if started is None:
            raise Http404
        # A second click on "Run the import" shows the run the first one started.
        return redirect("import_run", pk=started)
    if request.method == "POST" and "cancel" in request.POST:
        uploads.drop_draft(request.session, token, delete_file=True)
        return redirect("imports")
    checked = preview(draft, request.person.organisation)
    # A file the preview says would write nothing is not started, whatever is posted.
    if request.method == "POST" and checked.can_run:
        run = uploads.start_draft(request.session, draft, request.person)
        tasks.queue(run)
        return redirect("import_run", pk=run.pk)
    context = {"draft": draft, "preview": checked, "kind_label": KIND_LABELS[draft.kind]}
    status = 400 if request.method == "POST" else 200
    return render(request, "ingest/import_preview.html", context, status=status)


def _run_context(run: ImportRun) -> dict:
    rejected = list(run.rejected_rows.all()[:REJECTED_SHOWN]) if run.finished else []
    return {
        "run": run,
        "kind_label": KIND_LABELS.get(run.kind, run.kind),
        "rejected": rejected,
        "rejected_more": run.finished and len(rejected) == REJECTED_SHOWN,
    }


@importer_required
@require_GET
def import_run(request, pk: int):
    return render(request, "ingest/import_run.html", _run_context(_run(request, pk)))


@importer_required
@require_GET
def import_status(request, pk: int):
    """The part of the run page that htmx polls while the import runs."""
    return render(request, "ingest/import_run.html#status", _run_context(_run(request, pk)))


@importer_required
@require_GET
def rejected_csv(request, pk: int):
    run = _run(request, pk)
    response = StreamingHttpResponse(
        uploads.rejected_rows_csv(run), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-rejected.csv"'
    return response


@importer_required
@require_GET
def import_guide(request):
    """The essentials of docs/import.md, in the product and in the reader's language."""
    kinds = [(KIND_LABELS[kind.name], kind) for kind in guide.kinds()]
    return render(request, "ingest/import_guide.html", {"kinds": kinds})


@importer_required
@require_GET
def import_template(request, kind: str):
    """A kind's template file: the columns its template preset reads, and example rows."""
    if kind not in guide.ORDER:
        raise Http404
    return FileResponse(
        presets.sample(kind).open("rb"),
        as_attachment=True,
        filename=f"followthrough-{kind}.csv",
        content_type="text/csv; charset=utf-8",
    )


@importer_required
@require_GET
def import_preset_file(request, name: str):
    """A shipped preset, to read or adapt into one's own mapping file."""
    if name not in presets.available():
        raise Http404
    return FileResponse(
        presets.resolve(name).open("rb"),
        as_attachment=True,
        filename=f"{name}.toml",
        content_type="text/plain; charset=utf-8",
    )
