"""What the imports app keeps: every import that wrote something (who, when, which file,
what it did) and the pairs of organisations that are probably one (``DuplicatePair``)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q

from actors.models import Organisation
from common.collation import french
from common.staff import is_administrator


class ImportRecord(models.Model):
    """An uploaded file and what its import did: the simulation first (the file is kept
    here between the preview and the confirmation), then the real import. Kept after, so
    that staff can see who imported what and download the file again."""

    class State(models.TextChoices):
        QUEUED = "en-cours", "en cours (tâche de fond)"
        SIMULATED = "simulation", "simulé (rien d'écrit)"
        REFUSED = "refuse", "refusé (erreurs)"
        IMPORTED = "importe", "importé"

    file_name = models.CharField("fichier", max_length=255)
    content = models.BinaryField("contenu du fichier", editable=False)
    kind = models.CharField("contenu (CSV)", max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="importé par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="Qui a confirmé l'import après la simulation : son auteur ou un administrateur.",
    )  # fmt: skip
    imported_at = models.DateTimeField("importé le", null=True, blank=True)
    state = models.CharField("état", max_length=12, choices=State.choices, default=State.SIMULATED)
    publish = models.BooleanField("publier les nouvelles fiches", default=False)
    rows = models.PositiveIntegerField("lignes", default=0)
    created = models.PositiveIntegerField("créations", default=0)
    updated = models.PositiveIntegerField("modifications", default=0)
    unchanged = models.PositiveIntegerField("inchangées", default=0)
    report = models.TextField("compte rendu", blank=True)
    # The report as the import page shows it (imports/service.py, Report.as_data).
    report_data = models.JSONField("compte rendu détaillé", null=True, blank=True, editable=False,
                                   encoder=DjangoJSONEncoder)  # fmt: skip

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})" if self.created_at else self.file_name

    def keep(self, report):
        """Stores what ``report`` (``imports.service.Report``) says."""
        self.created = report.total("created")
        self.updated = report.total("updated")
        self.unchanged = report.total("unchanged")
        self.report = report.as_text()
        self.report_data = report.as_data()
        if report.has_errors:
            self.state = self.State.REFUSED
        elif not report.dry_run:
            self.state = self.State.IMPORTED
        else:
            self.state = self.State.SIMULATED

    def may_confirm(self, user):
        """Whether ``user`` may confirm this simulation: the person who sent the file, or an
        administrator — an editor does not import another's file under that person's name."""
        return user.pk == self.user_id or is_administrator(user)

    def stored_report(self):
        """The ``Report`` kept by ``keep`` (None before the first simulation ends)."""
        from .service import Report

        return Report.from_data(self.report_data) if self.report_data else None


class DuplicatePairQuerySet(models.QuerySet):
    def open(self):
        """Pairs of two organisations still there (neither merged)."""
        return self.filter(first__merged_into__isnull=True, second__merged_into__isnull=True)


class DuplicatePair(models.Model):
    """Two organisations that are probably one (``actors/duplicates.py`` says why)."""

    REASONS = [
        ("siret", "même SIRET"),
        ("siren", "même SIREN"),
        ("rna", "même numéro RNA"),
        ("name_commune", "nom très proche, même commune"),
        ("name_departement", "nom très proche, même département"),
        ("name_region", "nom très proche, même région"),
    ]
    first = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        Organisation, verbose_name="doublon probable", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("raison", max_length=20, choices=REASONS)
    score = models.FloatField("ressemblance")
    found_at = models.DateTimeField("repéré le", auto_now=True)
    dismissed = models.BooleanField(
        "pas un doublon", default=False, help_text="Cochée : la paire n'apparaît plus dans la liste."
    )

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        verbose_name = "doublon probable"
        verbose_name_plural = "doublons probables"
        ordering = ["-score", *french("first__name")]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_pair_ordered"),
        ]

    def __str__(self):
        return f"{self.first} / {self.second}"
