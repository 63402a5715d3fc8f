"""The 10,000-organisation import, measured (issue 13): a file of new organisations over
the real communes, sectors and publics, imported with a dry run then for real, through
``imports.service.run_import`` (the admin's and the command's code path).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/import_10k.py [--rows 10000]

Prints the seconds of each run (simulation, import, then a re-import of the same file
with one column changed on every row) and the peak memory (RSS), and writes them as JSON to
artifacts/bench/import-10k.json. The organisations it creates are deleted at the end
(they carry the source « benchmark import »)."""

import argparse
import csv
import io
import json
import os
import random
import resource
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cress.settings")
from common import localdb, localenv  # noqa: E402

localenv.load(only={"DATABASE_URL"})  # after `make run`: the database it served (local.env)
# A measurement signs nothing: a throw-away key (settings refuse none with debug off).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

localdb.ensure()  # without DATABASE_URL: the private PostgreSQL, as manage.py does

import django  # noqa: E402

django.setup()

from actors.models import Organisation, Public, Sector, Territory  # noqa: E402
from imports.service import run_import  # noqa: E402

SOURCE = "benchmark import"


def luhn(digits):
    total = 0
    for i, d in enumerate(reversed(digits + "0")):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return digits + str((10 - total % 10) % 10)


def build(rows, seed=13):
    rng = random.Random(seed)
    communes = list(Territory.objects.filter(kind="commune", current__isnull=True).values_list("code", flat=True))
    sectors = list(Sector.objects.values_list("name", flat=True))
    publics = list(Public.objects.values_list("name", flat=True))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["nom", "SIREN", "SIRET", "famille de l'ESS", "commune", "code postal", "secteurs", "publics",
                     "présentation courte", "source"])  # fmt: skip
    # Names as directories hold them: a form, a theme, a place (real communes), so that
    # their letters vary as real names do — and a few close names happen, as in life.
    forms = ["Association", "Coopérative", "Mutuelle", "Fondation", "Collectif", "Union", "Atelier", "Maison",
             "Comité", "Amicale", "Fédération", "Société coopérative", "Régie de quartier", "Groupement",
             "Centre social", "Foyer", "Entreprise d'insertion", "Club", "Réseau", "Cercle"]  # fmt: skip
    themes = ["des familles", "d'aide à domicile", "de la petite enfance", "des jardins partagés", "du vélo",
              "d'insertion par le travail", "des aînés", "pour l'emploi", "des parents d'élèves", "du logement",
              "de l'épicerie solidaire", "culturelle", "sportive", "de la ressourcerie", "des aidants",
              "du commerce équitable", "de l'habitat", "de prévention", "des loisirs", "de la santé",
              "du bocage", "des artisans", "de solidarité", "d'éducation populaire", "de la mer", "du littoral",
              "des bénévoles", "de l'accueil de jour", "de la musique", "du patrimoine"]  # fmt: skip
    places = list(Territory.objects.filter(kind="commune").values_list("name", flat=True))

    for n in range(rows):
        siren = luhn(f"9{n:07d}")
        writer.writerow([
            f"{rng.choice(forms)} {rng.choice(themes)} de {rng.choice(places)}", siren, luhn(siren + "0001"),
            rng.choice(["Association", "Coopérative (SCOP, SCIC…)", "Fondation"]), rng.choice(communes), "",
            " | ".join(rng.sample(sectors, 2)), rng.choice(publics),
            "Organisation créée pour mesurer l'import.", SOURCE,
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


def measure(content, dry_run):
    start = time.perf_counter()
    report = run_import("benchmark-10k.csv", content, dry_run=dry_run)
    seconds = time.perf_counter() - start
    assert not report.has_errors, report.as_text()[:2000]
    return round(seconds, 1), report.total("created")


def cleanup():
    """Removes what a run created (and what an interrupted run left)."""
    from common.changes import content_changes
    from imports.models import DuplicatePair

    created = Organisation.objects.filter(source=SOURCE)
    with content_changes(reason="Nettoyage de la mesure d'import"):
        DuplicatePair.objects.filter(first__source=SOURCE).delete()
        DuplicatePair.objects.filter(second__source=SOURCE).delete()
        Organisation.history.filter(source=SOURCE).delete()
        for through in (Organisation.territories.through, Organisation.sectors.through, Organisation.publics.through):
            through.objects.filter(organisation__source=SOURCE).delete()
        created.delete()
        Organisation.history.filter(source=SOURCE).delete()  # the deletion records too


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--no-duplicate-check", action="store_true")
    args = parser.parse_args()
    cleanup()
    content = build(args.rows)
    figures = {"rows": args.rows, "bytes": len(content), "database": f"PostgreSQL {django.db.connection.pg_version}",
               "organisations_before": Organisation.objects.count()}  # fmt: skip
    figures["dry_run_s"], _ = measure(content, True)
    print("dry run:", figures["dry_run_s"], "s", flush=True)
    figures["import_s"], figures["created"] = measure(content, False)
    print("import:", figures["import_s"], "s,", figures["created"], "created", flush=True)
    changed = content.replace("Organisation créée pour mesurer l'import.".encode(), "Présentation revue.".encode())
    start = time.perf_counter()
    report = run_import("benchmark-10k.csv", changed, dry_run=False)
    figures["update_s"] = round(time.perf_counter() - start, 1)
    figures["updated"] = report.total("updated")
    print("the same organisations, one column changed:", figures["update_s"], "s,", figures["updated"], "updated")
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print("peak RSS:", figures["peak_rss_mb"], "MB")
    cleanup()
    out = ROOT / "artifacts" / "bench" / "import-10k.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
