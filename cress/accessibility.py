"""What the accessibility statement (/accessibilite/) reports and the browser suite checks:
one list, so the page cannot claim more than the tests verify (tests/e2e/)."""

# axe-core's rule sets: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_VERSION = "4.14.1"  # package.json pins the same (tests/e2e/test_accessibility.py compares)
WIDTHS = (1280, 375)  # desktop and phone; no horizontal scrolling is also checked at 320
STATEMENT_DATE = "26 novembre 2026"

# Every public page type (name: address in the real content).
AUDITED_PAGES = {
    "accueil": "/",
    "liste des acteurs": "/acteurs/",
    "acteurs filtrés": "/acteurs/?departement=14&secteur=petite-enfance",
    "votre commune": "/acteurs/?commune=Orbec",
    "code INSEE et code postal": "/acteurs/?commune=50100",
    "code postal de plusieurs communes": "/acteurs/?commune=14100",
    "commune abrégée": "/acteurs/?commune=St-L%C3%B4",
    "communes du même nom": "/acteurs/?commune=Saint-Pierre",
    "recherche : vouliez-vous dire": "/recherche/?q=Sant-Lo",
    "carte": "/acteurs/carte/?departement=14",
    "résultat vide": "/acteurs/?departement=61&famille=mutuelle",
    "filtre invalide": "/acteurs/?secteur=inconnu",
    "fiche acteur": "/acteurs/coorace-basse-normandie/",
    "fiche acteur (citations, chiffres)": "/acteurs/fondation-caisse-d-epargne/",
    "liste des actions": "/actions/",
    "actions filtrées": "/actions/?departement=14&annee=2008",
    "actions près de chez moi": "/actions/?commune=14371",
    "fiche action": "/actions/halte-garderie-itinerante/",
    "programmes": "/actions/programmes/",
    "fiche programme": "/actions/programmes/mutualite-secteur-d-actions-sociales/",
    "événements": "/actions/evenements/",
    "fiche événement": "/actions/evenements/journee-d-echanges-paris-29-novembre/",
    "partenaires": "/partenaires/",
    "partenaire": "/partenaires/caisse-d-allocations-familiales/",
    "partenaire sous un ancien nom": "/partenaires/drtefp/",
    "organismes d'aujourd'hui": "/partenaires/?aujourdhui=1",
    "territoires": "/territoires/",
    "département": "/territoires/14/",
    "commune historique": "/territoires/14371-deleguee/",
    "secteurs": "/secteurs/",
    "secteur": "/secteurs/personnes-agees/",
    "recherche": "/recherche/?q=halte+garderie",
    "recherche sans résultat": "/recherche/?q=xylophone",
    "données ouvertes": "/donnees/",
    "signaler une erreur": "/acteurs/uraf/signaler/",
    "référencer son organisation": "/referencer/",
    "merci": "/merci/",
    "me prévenir": "/suivre/?departement=14&secteur=insertion-par-l-activite-economique",
    "me prévenir : e-mail envoyé": "/suivre/envoye/",
    "lien de désabonnement non valide": "/suivre/desabonner/jeton-inconnu/",
    "lien de vérification expiré": "/verifier/jeton-inconnu/",
    "plan du site": "/plan-du-site/",
    "contact": "/contact/",
    "accessibilité": "/accessibilite/",
    "mentions légales": "/mentions-legales/",
    "page introuvable": "/acteurs/inconnu/",
    "intégrer l'annuaire": "/integrer/?commune=Lisieux&vue=carte",
    "intégrer l'annuaire : erreur": "/integrer/?commune=Saint-Pierre&nombre=0",
}

# The pages other sites frame (/integrer/): no header nor skip link (nothing to skip),
# checked the same way otherwise, and with no horizontal scrolling from 280 px.
EMBEDDED_PAGES = {
    "annuaire intégré : liste": "/integrer/liste/?departement=14&nombre=5",
    "annuaire intégré : liste d'une commune": "/integrer/liste/?commune=14366&nombre=5",
    "annuaire intégré : carte": "/integrer/carte/?departement=14&nombre=5",
    "annuaire intégré : critère illisible": "/integrer/liste/?secteur=inconnu",
}
EMBEDDED_WIDTHS = (1280, 375, 280)

# The lists whose result count and first result must show on a phone's first screen.
LISTS = {
    "acteurs": "/acteurs/",
    "acteurs d'un département": "/acteurs/?departement=14",
    "actions": "/actions/",
    "recherche": "/recherche/?q=halte+garderie",
    "recherche vide": "/recherche/?q=xylophone",
    "département": "/territoires/14/",
    "commune": "/territoires/14118/",
}
