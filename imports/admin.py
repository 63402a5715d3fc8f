"""The admin of imports, exports, likely duplicates and merges.

- « Imports » › « Importer un fichier »: upload, simulation (the report, row by row),
  then « Importer » — the file is kept on its ``ImportRecord`` between the two steps. A
  file of more than ``JOBS_IMPORT_ROWS`` rows is simulated and imported by the background
  worker (imports/jobs.py): staff follow a progress bar, may leave, and find the report
  at « compte-rendu/ » when it ends.
- « Exporter » on the changelists of organisations, programmes and actions (a link in
  their object tools) exports what the list shows, filters included; more than
  ``JOBS_EXPORT_ROWS`` rows, in the background (the file waits on the job's page).
- « Doublons probables »: the pairs, their score; « Comparer et fusionner » shows the two
  side by side, field by field; administrators choose per field, preview, then merge.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from actors.models import Organisation
from jobs import service as jobs

from . import jobs as import_jobs
from . import merge as merging
from .models import DuplicatePair, ImportRecord
from .resources import BY_MODEL, RESOURCES
from .service import FORMATS, count_rows, export_file, run_import
from .template import template_workbook

MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier",
        help_text="CSV, XLSX ou ODS. Un classeur peut contenir les feuilles « Organisations », "
        "« Programmes » et « Actions » (comme le modèle).",
    )
    kind = forms.ChoiceField(
        label="Contenu d'un fichier CSV",
        choices=[("", "deviné d'après les colonnes"), *[(label, label) for label in RESOURCES]],
        required=False,
    )
    publish = forms.BooleanField(
        label="Publier les nouvelles fiches",
        required=False,
        help_text="Sinon elles arrivent en brouillon. Le statut des fiches existantes ne change jamais.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError("Envoyez un fichier CSV, XLSX ou ODS.")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("Fichier trop lourd (20 Mo au plus) : découpez-le.")
        return upload


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["file_name", "state", "user", "created_at", "confirmed_by", "created", "updated", "unchanged"]
    list_filter = ["state"]
    readonly_fields = [
        "file_name", "state", "user", "created_at", "confirmed_by", "imported_at", "publish", "created", "updated", "unchanged",
        "report_text", "download",
    ]  # fmt: skip
    fields = readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="compte rendu")
    def report_text(self, obj):
        return format_html('<pre class="import-report">{}</pre>', obj.report)

    @admin.display(description="fichier envoyé")
    def download(self, obj):
        url = reverse("admin:imports_importrecord_download", args=[obj.pk])
        return format_html('<a href="{}">Télécharger « {} »</a>', url, obj.file_name)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/confirmer/", view(self.confirm_view), name="imports_importrecord_confirm"),
            path("<int:pk>/compte-rendu/", view(self.report_view), name="imports_importrecord_report"),
            path("<int:pk>/fichier/", view(self.download_view), name="imports_importrecord_download"),
            path("exporter/", view(self.export_view), name="imports_export"),
            path("modele/", view(self.template_view), name="imports_template"),
            *super().get_urls(),
        ]

    def can_import(self, request):
        return all(
            request.user.has_perm(f"{model._meta.app_label}.{verb}_{model._meta.model_name}")
            for model in BY_MODEL
            for verb in ("add", "change")
        )

    def has_add_permission(self, request):
        return self.can_import(request)

    def context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Importer un fichier",
            "template_url": reverse("admin:imports_template"),
            "background_rows": settings.JOBS_IMPORT_ROWS,
            "confirm_note": "",
            **extra,
        }

    def add_view(self, request, form_url="", extra_context=None):
        """Step 1: the upload and its simulation (nothing is written)."""
        if not self.can_import(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            record = ImportRecord(
                file_name=upload.name[:255],
                content=upload.read(),
                kind=form.cleaned_data["kind"],
                publish=form.cleaned_data["publish"],
                user=request.user,
            )
            record.rows = count_rows(record.file_name, bytes(record.content), record.kind or None)
            if record.rows > settings.JOBS_IMPORT_ROWS:
                return self.in_background(request, record, import_jobs.SIMULATION, "Simulation")
            report = run_import(record.file_name, bytes(record.content), dry_run=True,
                                publish=record.publish, kind=record.kind or None, user=request.user)  # fmt: skip
            record.keep(report)
            record.save()
            return TemplateResponse(
                request,
                "admin/imports/import.html",
                self.context(request, form=UploadForm(), report=report, record=record),
            )
        return TemplateResponse(request, "admin/imports/import.html", self.context(request, form=form))

    def confirm_view(self, request, pk):
        """Step 2: the same file, for real (all or nothing)."""
        record = get_object_or_404(ImportRecord, pk=pk, state=ImportRecord.State.SIMULATED)
        if request.method != "POST" or not self.can_import(request):
            raise PermissionDenied
        if not record.may_confirm(request.user):
            raise PermissionDenied("Seuls l'auteur de la simulation et un administrateur peuvent confirmer cet import.")
        record.confirmed_by = request.user
        if record.rows > settings.JOBS_IMPORT_ROWS:
            return self.in_background(request, record, import_jobs.IMPORT, "Import")
        report = run_import(record.file_name, bytes(record.content), dry_run=False,
                            publish=record.publish, kind=record.kind or None, user=request.user)  # fmt: skip
        record.keep(report)
        record.imported_at = timezone.now() if report.written else None
        record.save()
        if report.written:
            self.message_user(request, report.summary(), messages.SUCCESS)
            return redirect("admin:imports_importrecord_change", record.pk)
        return TemplateResponse(
            request,
            "admin/imports/import.html",
            self.context(request, form=UploadForm(), report=report, record=record),
        )

    def in_background(self, request, record, kind, verb):
        """Hands the file to the worker and opens the job's page (its progress bar)."""
        record.state = ImportRecord.State.QUEUED
        record.save()
        rows = f"{record.rows:,}".replace(",", "\u202f")
        job = jobs.start(kind, f"{verb} de l'import « {record.file_name} » ({rows} lignes)", user=request.user,
                         params={"record": record.pk})  # fmt: skip
        return redirect("admin:jobs_job_change", job.pk)

    def report_view(self, request, pk):
        """The report of a simulation or an import run in the background, as the import
        page shows it (« Importer » below a simulation without errors)."""
        record = get_object_or_404(ImportRecord, pk=pk)
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        report = record.stored_report()
        if report is None:
            return redirect("admin:imports_importrecord_change", record.pk)
        note = ""
        if record.state == ImportRecord.State.SIMULATED and not record.may_confirm(request.user):
            author = record.user.get_username() if record.user else "son auteur"
            note = f"Seuls {author} (qui a envoyé le fichier) et un administrateur peuvent confirmer cet import."
        if record.state != ImportRecord.State.SIMULATED or note:
            record = None  # « Importer » only under a simulation not yet imported, to who may confirm it
        return TemplateResponse(
            request,
            "admin/imports/import.html",
            self.context(request, form=UploadForm(), report=report, record=record, confirm_note=note),
        )

    def download_view(self, request, pk):
        record = get_object_or_404(ImportRecord, pk=pk)
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        response = HttpResponse(bytes(record.content), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{record.file_name}"'
        return response

    def export_view(self, request):
        """What a changelist shows (its filters and search in the query string), in the
        import's columns: ``?type=organisations&format=xlsx&status__exact=publie…``."""
        label = request.GET.get("type", "organisations")
        resource = RESOURCES.get(label)
        if resource is None:
            raise PermissionDenied
        model = resource._meta.model
        model_admin = self.admin_site._registry[model]
        if not model_admin.has_view_permission(request):
            raise PermissionDenied
        suffix = "." + request.GET.get("format", "xlsx")
        if suffix not in FORMATS:
            suffix = ".xlsx"
        changelist_request = request.GET.copy()
        for name in ("type", "format"):
            changelist_request.pop(name, None)
        request.GET = changelist_request
        queryset = model_admin.get_changelist_instance(request).get_queryset(request)
        if label == "organisations":
            queryset = queryset.filter(merged_into__isnull=True)
        name = f"{label}-{timezone.localdate():%Y-%m-%d}{suffix}"
        pks = list(queryset.order_by().values_list("pk", flat=True)[: settings.JOBS_EXPORT_ROWS + 1])
        if len(pks) > settings.JOBS_EXPORT_ROWS:
            pks = list(queryset.order_by("pk").values_list("pk", flat=True))
            count = f"{len(pks):,}".replace(",", "\u202f")
            job = jobs.start(import_jobs.EXPORT, f"Export de {count} {resource._meta.model._meta.verbose_name_plural} "
                             f"({suffix[1:].upper()})", user=request.user,
                             params={"kind": label, "name": name, "pks": pks})  # fmt: skip
            return redirect("admin:jobs_job_change", job.pk)
        content = export_file(
            name,
            kind=label,
            querysets={label: resource().get_queryset().filter(pk__in=queryset.values("pk"))},
        )
        response = HttpResponse(content, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def template_view(self, request):
        response = HttpResponse(
            template_workbook(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="modele-import-annuaire.xlsx"'
        return response


class DismissedFilter(admin.BooleanFieldListFilter):
    """« Par paire écartée » — Tout / Oui / Non (Django's « Par » before the field's name
    gave « Par pas un doublon »)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "paire écartée (pas un doublon)"


class MergeForm(forms.Form):
    """Which organisation is kept, and for each field where A and B differ, whose value
    the kept one gets: "a" or "b" (territories, sectors, publics: "union" of both, or one
    side's). Preselected as the rule would do, whichever is kept: the value that is filled
    in; where both are, nothing is preselected and the kept one keeps its own."""

    keep = forms.ChoiceField(label="Organisation à garder", widget=forms.RadioSelect)

    def __init__(self, pair, rows, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair, self.all_rows = pair, rows
        self.rows = [row for row in rows if row.choosable]
        self.fields["keep"].choices = [
            (str(o.pk), f"{letter} : {o.name} ({o.slug})") for letter, o in (("A", pair.first), ("B", pair.second))
        ]
        self.fields["keep"].initial = str(pair.first.pk)
        for row in self.rows:
            if row.kind == "set":
                choices, initial = [("union", "les deux"), ("a", "A"), ("b", "B")], "union"
            else:
                # the rule: the filled value; where both are, nothing (the kept one keeps its own)
                initial = "b" if row.a_empty and not row.b_empty else "a" if row.b_empty and not row.a_empty else None
                choices = [("a", "A"), ("b", "B")]
            self.fields[row.name] = forms.ChoiceField(
                label=row.label, choices=choices, initial=initial, required=False, widget=forms.RadioSelect
            )

    def kept(self):
        """(kept, other) organisations, from the chosen ``keep``."""
        first, second = self.pair.first, self.pair.second
        return (first, second) if self.cleaned_data["keep"] == str(first.pk) else (second, first)

    def choices(self):
        """{field: "keep"|"other"|"union"} for ``imports.merge.merge``."""
        keep_is_a = self.cleaned_data["keep"] == str(self.pair.first.pk)
        sides = {"a": "keep" if keep_is_a else "other", "b": "other" if keep_is_a else "keep", "union": "union"}
        return {row.name: sides[self.cleaned_data[row.name]] for row in self.rows if self.cleaned_data.get(row.name)}

    def grid(self):
        """The comparison's rows (counts aside) with, for a choosable one, its bound field."""
        return [(row, self[row.name] if row.choosable else None) for row in self.all_rows if row.kind != "count"]

    def counts(self):
        return [row for row in self.all_rows if row.kind == "count"]


@admin.register(DuplicatePair)
class DuplicatePairAdmin(admin.ModelAdmin):
    list_display = ["first_link", "second_link", "reason", "score_percent", "merge_link"]
    list_filter = ["reason", ("dismissed", DismissedFilter)]
    search_fields = ["first__name", "second__name"]
    list_select_related = ["first__commune", "second__commune"]
    actions = ["dismiss"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).open()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @staticmethod
    def can_merge(request):
        # Merging archives one of two organisations: administrators only (editors never delete).
        return request.user.has_perm("actors.delete_organisation")

    def _org(self, organisation):
        url = reverse("admin:actors_organisation_change", args=[organisation.pk])
        where = f" — {organisation.commune.name}" if organisation.commune_id else ""
        return format_html('<a href="{}">{}</a>{}', url, organisation.name, where)

    @admin.display(description="organisation", ordering="first__name")
    def first_link(self, obj):
        return self._org(obj.first)

    @admin.display(description="doublon probable", ordering="second__name")
    def second_link(self, obj):
        return self._org(obj.second)

    @admin.display(description="ressemblance", ordering="score")
    def score_percent(self, obj):
        return f"{round(obj.score * 100)} %"

    @admin.display(description="")
    def merge_link(self, obj):
        url = reverse("admin:imports_duplicatepair_merge", args=[obj.pk])
        return format_html('<a href="{}">Comparer et fusionner…</a>', url)

    @admin.action(description="Ce ne sont pas des doublons", permissions=["view"])
    def dismiss(self, request, queryset):
        count = DuplicatePair.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))).update(
            dismissed=True
        )
        self.message_user(request, f"{count} paire(s) retirée(s) de la liste.", messages.SUCCESS)

    def get_changelist_instance(self, request):
        if "dismissed__exact" not in request.GET:
            request.GET = request.GET.copy()
            request.GET["dismissed__exact"] = "0"
        return super().get_changelist_instance(request)

    def get_urls(self):
        return [
            path(
                "<int:pk>/fusionner/",
                self.admin_site.admin_view(self.merge_view),
                name="imports_duplicatepair_merge",
            ),
            *super().get_urls(),
        ]

    PREVIEW_SALT = "imports.duplicatepair.merge"
    PREVIEW_MAX_AGE = 3600

    def merge_view(self, request, pk):
        """« Comparer et fusionner »: the two organisations field by field, differences
        marked; administrators choose per field what the kept one gets, see the merge's
        preview (« Prévisualiser »), then confirm it — the merge applies exactly what was
        previewed (signed in the confirmation form)."""
        pair = get_object_or_404(
            DuplicatePair.objects.open().select_related("first__commune", "second__commune"), pk=pk
        )
        if not self.has_view_permission(request, pair):
            raise PermissionDenied
        if request.method == "POST" and not self.can_merge(request):
            raise PermissionDenied
        rows = merging.compare(pair.first, pair.second)
        form = MergeForm(pair, rows, request.POST if request.method == "POST" else None)
        preview = token = None
        if request.method == "POST" and "confirm" in request.POST:
            done = self._confirm(request, pair)
            if done is not None:
                return done
        elif request.method == "POST" and form.is_valid():
            keep, other = form.kept()
            choices = form.choices()
            preview = merging.plan(keep, other, choices)
            token = signing.dumps({"pair": pair.pk, "keep": keep.pk, "choices": choices}, salt=self.PREVIEW_SALT)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Comparer et fusionner",
            "pair": pair,
            "form": form,
            "differences": sum(1 for row in rows if row.differs and row.kind != "count"),
            "preview": preview,
            "token": token,
            "can_merge": self.can_merge(request),
        }
        return TemplateResponse(request, "admin/imports/merge.html", context)

    def _confirm(self, request, pair):
        """The merge of a preview, as signed; None (the page again) if the preview is
        stale or was not shown."""
        try:
            previewed = signing.loads(request.POST.get("token", ""), salt=self.PREVIEW_SALT,
                                      max_age=self.PREVIEW_MAX_AGE)  # fmt: skip
        except signing.BadSignature:
            self.message_user(request, "Prévisualisez d'abord la fusion, puis confirmez-la.", messages.WARNING)
            return None
        if previewed["pair"] != pair.pk or previewed["keep"] not in (pair.first.pk, pair.second.pk):
            raise PermissionDenied
        keep = Organisation.objects.get(pk=previewed["keep"])
        other = Organisation.objects.get(pk=pair.second.pk if keep.pk == pair.first.pk else pair.first.pk)
        merging.merge(keep, other, previewed["choices"])
        self.message_user(
            request,
            f"« {other.name} » a été fusionnée dans « {keep.name} » ; son adresse mène désormais "
            f"à la fiche gardée.",
            messages.SUCCESS,
        )
        return redirect("admin:actors_organisation_change", keep.pk)
