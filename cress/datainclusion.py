"""Export in the shape of the French data·inclusion schema (gip-inclusion
/data-inclusion-schema): the published actors as *structures*, their published
actions as *services*.

Fields the directory cannot fill (the source gives no address, phone, e-mail, opening
hours, fees or accessibility) are present and empty (``null``); the /donnees/ page lists
them. Only obvious vocabulary matches are made (``SECTOR_THEMES``); nothing is guessed.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from actions.models import Action
from actors.dates import Precision
from actors.models import EssFamily, Organisation, TerritoryKind

SOURCE = "cress-basse-normandie"

# ESS family -> data·inclusion "typologie de structure".
FAMILY_TYPOLOGY = {
    EssFamily.ASSOCIATION: "ASSO",
    EssFamily.COOPERATIVE: "ESS",
    EssFamily.MUTUELLE: "ESS",
    EssFamily.FONDATION: "ESS",
    EssFamily.ENTREPRISE: "ESS",
}

# Directory sector -> data·inclusion "thématiques" (only where the meaning is the same).
SECTOR_THEMES = {
    "handicap": "handicap",
    "petite-enfance": "famille--garde-denfants",
    "famille": "famille--soutien-aux-familles",
    "insertion-par-l-activite-economique": "accompagnement-social-et-professionnel-personnalise--parcours-d-insertion-socioprofessionnel",
}

ZONE_TYPES = {
    TerritoryKind.REGION: "region",
    TerritoryKind.DEPARTEMENT: "departement",
    TerritoryKind.COMMUNE: "commune",
    TerritoryKind.COMMUNE_DELEGUEE: "commune",
    TerritoryKind.COMMUNE_ASSOCIEE: "commune",
}

UNFILLED_STRUCTURE_FIELDS = [
    "commune", "code_postal", "code_insee", "adresse", "complement_adresse", "longitude", "latitude",
    "telephone", "courriel", "horaires_ouverture", "accessibilite", "labels_nationaux", "labels_autres", "antenne",
]  # fmt: skip
UNFILLED_SERVICE_FIELDS = [
    "types", "prise_rdv", "frais", "frais_autres", "pre_requis", "cumulable", "justificatifs",
    "formulaire_en_ligne", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
    "longitude", "latitude", "recurrence", "date_suspension", "telephone", "courriel", "contact_public",
    "contact_nom_prenom", "modes_accueil", "modes_orientation_accompagnateur", "modes_orientation_beneficiaire",
]  # fmt: skip


def _themes(sector_slugs):
    return sorted({SECTOR_THEMES[slug] for slug in sector_slugs if slug in SECTOR_THEMES})


def _zone(territories):
    """data·inclusion has a single zone: the one territory, or the smallest one that holds
    them all (their département, else their region); historic territories as today's."""
    if not territories:
        return {"zone_diffusion_type": None, "zone_diffusion_code": None, "zone_diffusion_nom": None}
    current = [t.current if t.current_id and t.current_id != t.pk else t for t in territories]
    zone = current[0]
    if len({t.pk for t in current}) > 1:  # several: the smallest territory that holds them all
        regions = [t for t in current if t.kind == TerritoryKind.REGION]
        if regions:
            zone = regions[0]
        else:
            departements = {t.parent_id if t.kind != TerritoryKind.DEPARTEMENT else t.pk: t for t in current}
            first = current[0] if current[0].kind == TerritoryKind.DEPARTEMENT else current[0].parent
            zone = first if len(departements) == 1 else first.parent
    return {
        "zone_diffusion_type": ZONE_TYPES[zone.kind],
        "zone_diffusion_code": zone.code,
        "zone_diffusion_nom": zone.name,
    }


def structure_record(actor, request):
    record = {
        "id": actor.slug,
        "siret": actor.siret or None,
        "rna": actor.rna or None,
        "nom": actor.name,
        "typologie": FAMILY_TYPOLOGY.get(actor.family),
        "site_web": actor.website or None,
        "presentation_resume": actor.summary or None,
        "presentation_detail": actor.description or None,
        "source": SOURCE,
        "date_maj": actor.updated_at.date().isoformat(),
        "lien_source": request.build_absolute_uri(actor.get_absolute_url()),
        "thematiques": _themes(s.slug for s in actor.sectors.all()),
    }
    record.update(dict.fromkeys(UNFILLED_STRUCTURE_FIELDS))
    return record


def service_record(action, request):
    """An action as a service; its thematiques, profils and zone are its coverage (own,
    else its programme's, else its actor's: ``actions/coverage.py``)."""
    sectors = [s.slug for s in action.effective_sectors.all()]
    territories = list(action.effective_territories.all())
    record = {
        "id": action.slug,
        "structure_id": action.programme.actor.slug,
        "source": SOURCE,
        "nom": action.title[:150],
        "presentation_resume": action.programme.summary or None,
        "presentation_detail": action.description or action.programme.description or None,
        "thematiques": _themes(sectors),
        "profils": [p.slug for p in action.effective_publics.all()],
        "date_creation": action.start.iso() if action.start.precision == Precision.DAY else None,
        "date_maj": action.updated_at.date().isoformat(),
        "lien_source": request.build_absolute_uri(action.get_absolute_url()),
        **_zone(territories),
    }
    record.update(dict.fromkeys(UNFILLED_SERVICE_FIELDS))
    return record


@require_GET
def structures(request):
    actors = (
        Organisation.objects.actors().published().real().order_by("name")
        .prefetch_related("sectors")
    )  # fmt: skip
    return JsonResponse(
        [structure_record(a, request) for a in actors], safe=False, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def services(request):
    actions = (
        Action.objects.published().real().for_list().with_coverage()
        .order_by("programme__actor__name", "programme__title", "order", "pk")
    )  # fmt: skip
    return JsonResponse(
        [service_record(a, request) for a in actions], safe=False, json_dumps_params={"ensure_ascii": False}
    )
