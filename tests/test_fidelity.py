"""The facts of the source document (CRESS Basse-Normandie, « Les acteurs de l'Economie
Sociale et Solidaire »), each asserted against the database after ``load_directory``.

Each entry: an id, then a function that returns a list of (actual, expected) pairs.
The last group asserts what must *not* be invented.
"""

from decimal import Decimal

import pytest

from actions.dates import Precision
from actions.models import Action, Event, KeyFigure, Partnership, Programme, Quote
from actors.models import Organisation, OrganisationKind, Status
from territories.models import Territory
from tests.seed import SIX_ACTORS


def org(slug):
    return Organisation.objects.get(slug=slug)


def prog(slug):
    return Programme.objects.get(slug=slug)


def act(slug):
    return Action.objects.get(slug=slug)


def terr(key):
    return Territory.objects.get(key=key)


def partners(obj, role=None):
    qs = obj.partnerships.select_related("organisation")
    if role:
        qs = qs.filter(role=role)
    return sorted(p.organisation.slug for p in qs)


def keys(qs):
    return sorted(t.key for t in qs.all())


def titles(qs):
    return sorted(a.title for a in qs)


def figure(label_part):
    return KeyFigure.objects.get(label__icontains=label_part)


EVENT = "journee-d-echanges-paris-29-novembre"
EXPERIMENT = "experimentation-passerelles-ai-asp"
HALTE = "halte-garderie-itinerante"

FACTS = [
    # --- the six actors: names, acronyms, families, networks, territories
    (
        "six actors, all published",
        lambda: [
            (
                sorted(Organisation.objects.actors().published().values_list("slug", flat=True)),
                SIX_ACTORS,
            )
        ],
    ),
    (
        "COORACE Basse-Normandie",
        lambda: [
            (org("coorace-basse-normandie").name, "COORACE Basse-Normandie"),
            (org("coorace-basse-normandie").acronym, "COORACE"),
        ],
    ),
    (
        "COORACE's national federation",
        lambda: [(org("coorace-basse-normandie").parent.name, "Fédération COORACE")],
    ),
    (
        "URIOPSS full name",
        lambda: [
            (
                org("uriopss").name,
                "Union Régionale Interfédérale des Oeuvres et Organismes Privés Sanitaires et Sociaux",
            )
        ],
    ),
    ("URIOPSS acronym", lambda: [(org("uriopss").acronym, "URIOPSS")]),
    (
        "URSCOP name and acronym",
        lambda: [(org("urscop").name, "Union Régionale des SCOP"), (org("urscop").acronym, "URSCOP")],
    ),
    ("URSCOP Ouest", lambda: [(org("urscop").alternate_name, "URSCOP Ouest")]),
    (
        "URSCOP's confederation",
        lambda: [
            (org("urscop").parent.name, "Confédération Générale des SCOP"),
            (org("cgscop").acronym, "CGSCOP"),
        ],
    ),
    (
        "URSCOP Ouest covers three regions",
        lambda: [
            (
                sorted(t.name for t in org("urscop").territories.all()),
                ["Basse-Normandie", "Bretagne", "Pays de la Loire"],
            )
        ],
    ),
    (
        "URAF name",
        lambda: [
            (org("uraf").name, "Union Régionale des Associations Familiales"),
            (org("uraf").acronym, "URAF"),
        ],
    ),
    (
        "Fondation Caisse d'Epargne",
        lambda: [
            (org("fondation-caisse-d-epargne").name, "Fondation Caisse d'Epargne"),
            (org("fondation-caisse-d-epargne").family, "fondation"),
        ],
    ),
    (
        "Mutualité Française du Calvados",
        lambda: [
            (org("mutualite-francaise-du-calvados").name, "Mutualité Française du Calvados"),
            (org("mutualite-francaise-du-calvados").family, "mutuelle"),
        ],
    ),
    (
        "Mutualité covers Calvados",
        lambda: [(keys(org("mutualite-francaise-du-calvados").territories), ["14"])],
    ),
    ("URSCOP is cooperative", lambda: [(org("urscop").family, "cooperative")]),
    (
        "URAF and URIOPSS are associations",
        lambda: [(org("uraf").family, "association"), (org("uriopss").family, "association")],
    ),
    # --- COORACE
    (
        "national framework agreement signed 17 janvier 2006 by the State",
        lambda: [
            (
                Partnership.objects.get(
                    programme=prog("coorace-programme-d-actions"), organisation=org("etat")
                ).role,
                "signataire",
            ),
            (
                Partnership.objects.get(
                    programme=prog("coorace-programme-d-actions"), organisation=org("etat")
                ).start.format_fr(),
                "17 janvier 2006",
            ),
            (
                Partnership.objects.get(
                    programme=prog("coorace-programme-d-actions"), organisation=org("etat")
                ).start.precision,
                Precision.DAY,
            ),
        ],
    ),
    (
        "the federation signs too",
        lambda: [
            (
                Partnership.objects.get(
                    programme=prog("coorace-programme-d-actions"), organisation=org("federation-coorace")
                ).role,
                "signataire",
            )
        ],
    ),
    (
        "agreement's two plans",
        lambda: [
            ("plan de cohésion sociale" in prog("coorace-programme-d-actions").description, True),
            (
                "plan de développement des services à la personne"
                in prog("coorace-programme-d-actions").description,
                True,
            ),
        ],
    ),
    (
        "three flagship actions",
        lambda: [(prog("coorace-programme-d-actions").actions.filter(is_flagship=True).count(), 3)],
    ),
    (
        "flagship 1: référencement auprès des enseignes",
        lambda: [
            (
                act("referencement-des-associations-intermediaires").title,
                "Accompagnement des associations intermédiaires dans leur référencement auprès des enseignes",
            )
        ],
    ),
    (
        "flagship 1 has two sub-items",
        lambda: [
            (
                titles(act("referencement-des-associations-intermediaires").sub_actions.all()),
                [
                    "Accompagnement dans la formalisation du dossier d'agrément et dans la démarche qualité Cèdre",
                    "Appui technique et méthodologique dans l'élaboration du cahier des charges",
                ],
            )
        ],
    ),
    (
        "flagship 2: Proxim'services",
        lambda: [("Proxim'services" in act("creation-de-structures-proxim-services").title, True)],
    ),
    (
        "flagship 3: SIAE and services à la personne",
        lambda: [("(SIAE)" in act("partenariats-siae-et-services-a-la-personne").title, True)],
    ),
    (
        "experiment since 14 décembre, no year",
        lambda: [
            (act(EXPERIMENT).start_year, None),
            (act(EXPERIMENT).start_month, 12),
            (act(EXPERIMENT).start_day, 14),
            (act(EXPERIMENT).period_display, "depuis le 14 décembre"),
            (act(EXPERIMENT).start.precision, Precision.DAY_MONTH),
        ],
    ),
    (
        "experiment with the three DDTEFP",
        lambda: [
            (partners(act(EXPERIMENT), "partenaire"), ["ddtefp-calvados", "ddtefp-manche", "ddtefp-orne"])
        ],
    ),
    (
        "DDTEFP are public bodies of 14, 50, 61",
        lambda: [
            (org("ddtefp-calvados").kind, OrganisationKind.PUBLIC_BODY),
            (keys(org("ddtefp-manche").territories), ["50"]),
            (keys(org("ddtefp-orne").territories), ["61"]),
        ],
    ),
    (
        "experiment's public",
        lambda: [
            (
                list(act(EXPERIMENT).publics.values_list("slug", flat=True)),
                ["demandeurs-d-emploi-en-insertion"],
            )
        ],
    ),
    (
        "experiment's goal",
        lambda: [
            ("pérennisation des emplois" in act(EXPERIMENT).description, True),
            ("contrats aidés" in act(EXPERIMENT).description, True),
        ],
    ),
    (
        "ASP explained in context",
        lambda: [
            ("associations de services aux personnes" in act(EXPERIMENT).editorial_note, True),
            ("passage en ASP" in act(EXPERIMENT).source_text, True),
        ],
    ),
    # --- URIOPSS
    (
        "URIOPSS plan for 2008",
        lambda: [
            (prog("uriopss-plan-d-action-2008").start_year, 2008),
            (prog("uriopss-plan-d-action-2008").start.precision, Precision.YEAR),
            (prog("uriopss-plan-d-action-2008").period_display, "2008"),
        ],
    ),
    ("URIOPSS with the DRTEFP", lambda: [(partners(prog("uriopss-plan-d-action-2008")), ["drtefp"])]),
    (
        "continuation of 2007",
        lambda: [
            (
                "dans le prolongement de l'action menée en 2007"
                in prog("uriopss-plan-d-action-2008").description,
                True,
            )
        ],
    ),
    (
        "URIOPSS: associations de l'aide à domicile",
        lambda: [
            (
                "aide-a-domicile"
                in prog("uriopss-plan-d-action-2008").sectors.values_list("slug", flat=True),
                True,
            ),
            (
                list(prog("uriopss-plan-d-action-2008").publics.values_list("slug", flat=True)),
                ["associations-du-secteur"],
            ),
        ],
    ),
    ("URIOPSS' three actions", lambda: [(prog("uriopss-plan-d-action-2008").actions.count(), 3)]),
    (
        "monthly legal watch",
        lambda: [
            (
                act("veille-juridique-mensuelle").title,
                "Diffusion mensuelle d'une veille juridique et d'un bulletin d'informations",
            )
        ],
    ),
    (
        "advice",
        lambda: [
            ("Appui-conseil auprès des associations" in act("appui-conseil-aux-associations").title, True)
        ],
    ),
    (
        "meetings",
        lambda: [("rencontres, séminaires" in act("rencontres-seminaires-groupes-de-reflexion").title, True)],
    ),
    (
        "législatif context",
        lambda: [
            ("évolution du contexte législatif" in prog("uriopss-plan-d-action-2008").description, True)
        ],
    ),
    # --- URSCOP
    (
        "convention cadre CGSCOP–ANSP",
        lambda: [(partners(prog("convention-cadre-cgscop-ansp"), "signataire"), ["ansp", "cgscop"])],
    ),
    (
        "exchange day on 29 novembre, no year",
        lambda: [
            (Event.objects.get(slug=EVENT).start_year, None),
            (Event.objects.get(slug=EVENT).period_display, "29 novembre"),
            (Event.objects.get(slug=EVENT).start.precision, Precision.DAY_MONTH),
        ],
    ),
    ("exchange day in Paris", lambda: [(Event.objects.get(slug=EVENT).place.name, "Paris")]),
    (
        "exchange day's theme",
        lambda: [
            (
                Event.objects.get(slug=EVENT).theme,
                "De l'émergence des projets à la structuration du développement",
            )
        ],
    ),
    (
        "CGSCOP helped organise it",
        lambda: [(list(Event.objects.get(slug=EVENT).organisers.values_list("slug", flat=True)), ["cgscop"])],
    ),
    (
        "all networks of services à la personne present",
        lambda: [
            (
                "tous les réseaux concernés par la professionnalisation des services à la personne"
                in Event.objects.get(slug=EVENT).description,
                True,
            )
        ],
    ),
    (
        "Laurent Hénart, Président de l'ANSP",
        lambda: [
            (Quote.objects.get(person_name="Laurent Hénart").person_role, "Président de l'ANSP"),
            (Quote.objects.get(person_name="Laurent Hénart").person_organisation.acronym, "ANSP"),
        ],
    ),
    (
        "Hénart's words",
        lambda: [
            (
                Quote.objects.get(person_name="Laurent Hénart").text,
                "une vraie réponse à l'angoisse et au malaise face aux incertitudes de la mondialisation et de l'économie de marché",
            )
        ],
    ),
    ("URSCOP strategy: three lines", lambda: [(prog("urscop-strategie-cooperations").actions.count(), 3)]),
    (
        "new trades not covered",
        lambda: [
            ("non couverts par les structures existantes" in act("niches-nouveaux-metiers").title, True)
        ],
    ),
    (
        "SCOP et/ou SCIC",
        lambda: [("SCOP et/ou SCIC" in prog("urscop-strategie-cooperations").description, True)],
    ),
    (
        "territorial attachment",
        lambda: [("citoyenneté économique" in prog("urscop-strategie-cooperations").description, True)],
    ),
    # --- URAF
    (
        "URAF survey launched décembre 2006",
        lambda: [
            (prog("uraf-enquete-perte-d-autonomie").period_display, "décembre 2006"),
            (prog("uraf-enquete-perte-d-autonomie").start.precision, Precision.MONTH),
        ],
    ),
    (
        "survey on the three départements",
        lambda: [(keys(prog("uraf-enquete-perte-d-autonomie").territories), ["14", "50", "61"])],
    ),
    (
        "results to the collectivités territoriales in 2007",
        lambda: [
            (
                partners(prog("uraf-enquete-perte-d-autonomie"), "destinataire"),
                ["collectivites-territoriales"],
            ),
            (
                Partnership.objects.get(programme__slug="uraf-enquete-perte-d-autonomie").period_display,
                "2007",
            ),
        ],
    ),
    (
        "survey about elderly people losing autonomy",
        lambda: [
            (
                "personnes-agees-en-perte-d-autonomie"
                in prog("uraf-enquete-perte-d-autonomie").publics.values_list("slug", flat=True),
                True,
            )
        ],
    ),
    (
        "families' needs",
        lambda: [("besoins des familles" in prog("uraf-enquete-perte-d-autonomie").description, True)],
    ),
    # --- Fondation Caisse d'Epargne
    (
        "Michel Marchand quoted twice",
        lambda: [(Quote.objects.filter(person_name="Michel Marchand").count(), 2)],
    ),
    (
        "coup de pouce aux nouveaux projets",
        lambda: [
            (
                Quote.objects.filter(
                    person_name="Michel Marchand", text__contains="coup de pouce aux nouveaux projets"
                ).count(),
                1,
            )
        ],
    ),
    (
        "aidants naturels",
        lambda: [
            (
                Quote.objects.filter(
                    person_name="Michel Marchand", text__contains="aidants naturels"
                ).count(),
                1,
            )
        ],
    ),
    ("call for projects 2006", lambda: [(prog("fondation-appel-a-projets-2006").period_display, "2006")]),
    (
        "650 letters",
        lambda: [
            (figure("reçus suite à l'appel").value, Decimal("650")),
            (figure("reçus suite à l'appel").display_value, "pas moins de 650 courriers"),
        ],
    ),
    ("36 presented to the committee", lambda: [(figure("comité").value, Decimal("36"))]),
    (
        "about twelve selected",
        lambda: [
            (figure("projets retenus").value, Decimal("12")),
            (figure("projets retenus").display_value, "une douzaine"),
        ],
    ),
    (
        "day care and psychologists",
        lambda: [
            (
                titles(prog("fondation-appel-a-projets-2006").actions.all()),
                [
                    "Accueils de jour de personnes en perte d'autonomie (projets retenus)",
                    "Psychologues à domicile pour les accompagnants (projets retenus)",
                ],
            )
        ],
    ),
    (
        "more than 900 000 € a year",
        lambda: [
            (figure("économie locale").value, Decimal("900000")),
            (figure("économie locale").qualifier, "plus de"),
            (figure("économie locale").frequency, "par an"),
        ],
    ),
    (
        "since the 1999 reform",
        lambda: [(prog("fondation-economie-locale-et-sociale").period_display, "depuis 1999")],
    ),
    (
        "40 % for elderly people",
        lambda: [(figure("personnes âgées").value, Decimal("40")), (figure("personnes âgées").unit, "%")],
    ),
    (
        "fight against exclusion",
        lambda: [
            ("lutte contre l'exclusion" in prog("fondation-economie-locale-et-sociale").description, True)
        ],
    ),
    # --- Mutualité Française du Calvados
    (
        "social-action sector since 2001",
        lambda: [
            (prog("mutualite-secteur-d-actions-sociales").period_display, "depuis 2001"),
            (prog("mutualite-secteur-d-actions-sociales").since, True),
        ],
    ),
    ("three poles", lambda: [(prog("mutualite-secteur-d-actions-sociales").actions.top_level().count(), 3)]),
    (
        "EHPAD, source wording kept",
        lambda: [
            (act("gestion-d-un-ehpad").title, "Gestion d'un établissement EHPAD"),
            ("EPHAD" in act("gestion-d-un-ehpad").source_text, True),
            ("EHPAD" in act("gestion-d-un-ehpad").editorial_note, True),
        ],
    ),
    (
        "Alzheimer unit and residence",
        lambda: [
            (
                titles(act("pole-personnes-agees").sub_actions.all()),
                [
                    "Gestion d'un foyer de résidence",
                    "Gestion d'un établissement EHPAD",
                    "Gestion d'une unité de vie Alzheimer",
                ],
            )
        ],
    ),
    (
        "elderly pole's partners",
        lambda: [
            (
                partners(act("pole-personnes-agees"), "partenaire"),
                ["caisse-d-allocations-familiales", "conseil-general-du-calvados"],
            )
        ],
    ),
    (
        "CAT, today an ESAT",
        lambda: [
            ("CAT" in act("creation-d-un-cat").title, True),
            ("ESAT" in act("creation-d-un-cat").editorial_note, True),
        ],
    ),
    (
        "itinerant day-care in five communes",
        lambda: [
            (
                sorted(t.name for t in act(HALTE).territories.all()),
                ["Frénouville", "Hubert-Folie", "Livarot", "Orbec", "Saint-Pierre-sur-Dives"],
            )
        ],
    ),
    ("mairies provide the room", lambda: [(partners(act(HALTE), "locaux"), ["mairies-halte-garderie"])]),
    (
        "three co-funders",
        lambda: [
            (
                partners(act(HALTE), "cofinanceur"),
                ["caisse-d-allocations-familiales", "collectivites-locales", "conseil-general-du-calvados"],
            )
        ],
    ),
    # --- territories: historic and current
    (
        "Hubert-Folie is déléguée of Castine-en-Plaine",
        lambda: [
            (terr("14339-deleguee").current.name, "Castine-en-Plaine"),
            (terr("14339-deleguee").current.code, "14538"),
        ],
    ),
    ("Livarot → Livarot-Pays-d'Auge", lambda: [(terr("14371-deleguee").current.name, "Livarot-Pays-d'Auge")]),
    (
        "Saint-Pierre-sur-Dives → Saint-Pierre-en-Auge",
        lambda: [(terr("14654-deleguee").current.name, "Saint-Pierre-en-Auge")],
    ),
    (
        "Frénouville and Orbec are current communes",
        lambda: [
            (terr("14287").name, "Frénouville"),
            (terr("14287").is_current, True),
            (terr("14478").name, "Orbec"),
            (terr("14478").is_current, True),
        ],
    ),
    (
        "Basse-Normandie merged into Normandie",
        lambda: [(terr("region-25").current.name, "Normandie"), (terr("region-25").is_current, False)],
    ),
    # --- what must not be invented
    (
        "no job title for Michel Marchand",
        lambda: [
            (
                set(
                    Quote.objects.filter(person_name="Michel Marchand").values_list("person_role", flat=True)
                ),
                {""},
            )
        ],
    ),
    (
        "no year for 14 décembre (action and partnerships)",
        lambda: [
            (
                set(Partnership.objects.filter(action__slug=EXPERIMENT).values_list("start_year", flat=True)),
                {None},
            )
        ],
    ),
    (
        "no invented identifiers or websites",
        lambda: [(Organisation.objects.exclude(siren="", siret="", rna="", website="").count(), 0)],
    ),
    (
        "every organisation cites the source",
        lambda: [
            (Organisation.objects.filter(source="").count(), 0),
            (Organisation.objects.filter(status=Status.PUBLISHED).count(), Organisation.objects.count()),
        ],
    ),
]


@pytest.mark.parametrize("fact", FACTS, ids=[fact[0] for fact in FACTS])
def test_source_fact(directory, fact):
    _, pairs = fact
    for actual, expected in pairs():
        assert actual == expected
