"""« Tâches de fond » in the admin: every long piece of work, where it stands and how it
ended.

- The list: what, for whom, its state and how far it is.
- A job's page (its « change » page, read-only): a progress bar with rows done / total and
  the time left, refreshed by a small script every two seconds (without JavaScript, an
  « Actualiser » link); when it ends, its result (a link to the report, a file) or why it
  failed, with « Relancer ». Staff may leave the page and come back: the job goes on in
  the worker.
- « Lancer une tâche »: the kinds that need no file or choice (find duplicates, place
  addresses on the map, send the verification links), for whoever has their permission.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.admin import DashboardItem, short_date

from . import service
from .models import Job
from .registry import KINDS, launchable


def duration_text(seconds):
    """« moins d'une minute », « environ 3 minutes », « environ 1 h 20 »."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "moins d'une minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"environ {minutes} minute{'s' if minutes > 1 else ''}"
    return f"environ {minutes // 60} h {minutes % 60:02d}"


def status(job):
    """What the page shows and the script reads (``<pk>/etat/``)."""
    left = job.seconds_left()
    if job.state == Job.State.WAITING:
        text = (
            "En attente depuis plus d'une minute : aucun processus de fond ne semble lancé. « make run » le "
            "lance avec le site ; en production, c'est le service « annuaire-worker » (voir le README)."
            if job.unclaimed()
            else "En attente : elle commence dès qu'un processus de fond est libre."
        )
    elif job.state == Job.State.RUNNING:
        counted = f"{job.done:,} / {job.total:,}".replace(",", "\u202f") if job.total else ""
        text = " — ".join(part for part in (job.step, counted) if part)
        if left is not None:
            text += f" — reste {duration_text(left)}"
    elif job.state == Job.State.DONE:
        text = job.summary or "Terminée."
    else:
        text = "Échec : " + job.error
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "seconds_left": left,
        "text": text,
        "finished": job.finished,
    }


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind_label", "state_text", "progress_text", "user", "requested"]
    list_filter = ["state"]
    list_select_related = ["user"]
    search_fields = ["title"]
    change_form_template = "admin/jobs/job/progress.html"
    change_list_template = "admin/jobs/job/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or obj.finished)

    @admin.display(description="type", ordering="kind")
    def kind_label(self, obj):
        kind = KINDS.get(obj.kind)
        return kind.label if kind else obj.kind

    @admin.display(description="état", ordering="state")
    def state_text(self, obj):
        return obj.get_state_display()

    @admin.display(description="avancement")
    def progress_text(self, obj):
        if obj.state == Job.State.DONE:
            return "100 %"
        if obj.total:
            return f"{obj.percent} % ({obj.done} / {obj.total})"
        return "—"

    @admin.display(description="demandée le", ordering="created_at")
    def requested(self, obj):
        return short_date(obj.created_at, with_time=True)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("lancer/", view(self.launch_view), name="jobs_job_launch"),
            path("<int:pk>/etat/", view(self.status_view), name="jobs_job_status"),
            path("<int:pk>/relancer/", view(require_POST(self.retry_view)), name="jobs_job_retry"),
            path("<int:pk>/fichier/", view(self.file_view), name="jobs_job_file"),
            *super().get_urls(),
        ]

    def _job(self, request, pk):
        job = get_object_or_404(Job, pk=pk)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            return redirect("admin:jobs_job_changelist")
        job = self._job(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": job.title,
            "job": job,
            "kind": KINDS.get(job.kind),
            "status": status(job),
            "can_retry": job.state == Job.State.FAILED and request.user.has_perm("jobs.change_job"),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def status_view(self, request, pk):
        return JsonResponse(status(self._job(request, pk)))

    def retry_view(self, request, pk):
        job = self._job(request, pk)
        if not request.user.has_perm("jobs.change_job"):
            raise PermissionDenied
        if job.state == Job.State.FAILED:
            service.retry(job)
            self.message_user(request, "La tâche est relancée.", messages.SUCCESS)
        return redirect("admin:jobs_job_change", job.pk)

    def file_view(self, request, pk):
        job = self._job(request, pk)
        if job.file is None:
            raise PermissionDenied
        response = HttpResponse(bytes(job.file), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
        return response

    def launch_view(self, request):
        """The kinds that need nothing but a click; each starts a job and opens its page."""
        kinds = launchable(request.user)
        if not kinds:
            raise PermissionDenied
        if request.method == "POST":
            kind = next((k for k in kinds if k.name == request.POST.get("kind")), None)
            if kind is None:
                messages.error(request, "Choisissez une des tâches proposées.")
                return redirect("admin:jobs_job_launch")
            running = Job.objects.unfinished().filter(kind=kind.name).first()
            if running is not None:
                messages.info(request, "Cette tâche est déjà en cours : voici où elle en est.")
                return redirect("admin:jobs_job_change", running.pk)
            job = service.start(kind.name, kind.label, user=request.user)
            return redirect("admin:jobs_job_change", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Lancer une tâche de fond",
            "kinds": kinds,
        }
        return TemplateResponse(request, "admin/jobs/job/launch.html", context)

    def changelist_view(self, request, extra_context=None):
        extra = {"launch_url": reverse("admin:jobs_job_launch") if launchable(request.user) else ""}
        return super().changelist_view(request, {**extra, **(extra_context or {})})


def jobs_to_follow(request):
    """On the admin home: the user's work still running, and what failed this week (a
    report waits on each job's page)."""
    if not request.user.has_perm("jobs.view_job"):
        return []
    url = reverse("admin:jobs_job_changelist")
    mine = Job.objects.filter(user=request.user)
    week = timezone.now() - timedelta(days=7)
    return [
        DashboardItem.counting("Tâches de fond", mine.unfinished(), "tâche en cours", url + "?state__in=attente,en-cours",
                               "tâches en cours"),
        DashboardItem.counting("Tâches échouées", mine.filter(state=Job.State.FAILED, finished_at__gte=week),
                               "tâche échouée cette semaine", url + "?state__exact=echec", "tâches échouées cette semaine"),
    ]  # fmt: skip
