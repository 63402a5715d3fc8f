"""Lighthouse scores of the public pages: one command, mobile and desktop.

    npm ci --prefix tools/lighthouse              # once: the pinned Lighthouse CLI
    .venv/bin/python benchmarks/lighthouse.py     # the three pages, mobile and desktop
    .venv/bin/python benchmarks/lighthouse.py --pages fiche --modes desktop --min 90
    .venv/bin/python benchmarks/lighthouse.py --url http://127.0.0.1:8000   # a site already running

It builds the static files (``collectstatic``, production settings), creates a throwaway
database ``annuaire_lighthouse`` (``migrate`` then ``load_directory``: the real content; on
the private PostgreSQL unless ``DATABASE_URL`` names a server), serves the site with gunicorn on a free port of 127.0.0.1 (``DEBUG`` off,
a random secret key, the local memory cache: ``REDIS_URL`` is unset), then runs the
Lighthouse CLI (``tools/lighthouse``, exact version pinned) with Debian's Chromium
(``/usr/bin/chromium``, or ``CHROME_PATH``) on the home page, the actor list and a
profile, in mobile (Lighthouse's default: simulated slow 4G and 4x CPU) and desktop
(``--preset=desktop``), one run at a time.

It prints the scores (0-100) of the four categories — performance, accessibility, best
practices, SEO — and, under each score below 100, the failing audits (id, title, score,
value, and the elements or addresses at fault; ``--all``: also the diagnostics of the
categories at 100), writes the reports (``*.report.json`` and
``*.report.html``) and ``summary.json`` under ``artifacts/lighthouse/``, and exits with 1
when a score is below ``--min`` (default 100): it can gate. Plain HTTP on 127.0.0.1 is
a secure context for Lighthouse: ``is-on-https`` passes and ``redirects-http`` is "not
applicable" there (production's HTTPS is checked by the settings tests, not here).
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # common.localdb, run as a script
PYTHON = sys.executable
ARTIFACTS = ROOT / "artifacts" / "lighthouse"
LIGHTHOUSE_DIR = ROOT / "tools" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)

PAGES = {
    # name: path
    "accueil": "/",
    "acteurs": "/acteurs/",
    "fiche": "/acteurs/coorace-basse-normandie/",
}
MODES = {
    # name: Lighthouse options
    "mobile": [],
    "desktop": ["--preset=desktop"],
}
CATEGORIES = {
    # Lighthouse id: column title
    "performance": "performance",
    "accessibility": "accessibilité",
    "best-practices": "bonnes pratiques",
    "seo": "SEO",
}
ITEMS_SHOWN = 15  # elements or addresses listed per failing audit (all are in the reports)


def fail(message):
    sys.exit(f"lighthouse.py : {message}")


def check_tools():
    if not LIGHTHOUSE.exists():
        fail(
            f"le Lighthouse du projet est absent ({LIGHTHOUSE.relative_to(ROOT)}). Installez-le avec :\n"
            "    npm ci --prefix tools/lighthouse\n"
            "(Node.js et npm sont nécessaires : apt-get install nodejs npm)"
        )
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        fail(
            f"Chromium est introuvable ({CHROMIUM}). Installez-le avec :\n"
            "    apt-get install chromium\n"
            "ou indiquez un autre navigateur avec CHROME_PATH=/chemin/vers/chrome."
        )


def version(command):
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return output.strip().splitlines()[-1] if output.strip() else None


# --- the site ------------------------------------------------------------------------------


def site_env(database_url, base_url=""):
    """Production-like settings: DEBUG off, a random key, no Redis (the memory cache)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    if base_url:
        env["DIRECTORY_SITE_URL"] = base_url
    return env


def manage(env, *args):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=True)
    if result.returncode:
        fail(f"manage.py {' '.join(args)} a échoué :\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result.stdout


def prepare_database():
    """A new database with the real content (load_directory), on the server of
    ``DATABASE_URL`` or the private PostgreSQL (``common/localdb.py``)."""
    from common import localdb

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    url = localdb.sibling("annuaire_lighthouse", fresh=True)
    env = site_env(url)
    manage(env, "migrate", "--no-input")
    manage(env, "load_directory")
    manage(env, "collectstatic", "--no-input")
    return url


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, port):
    log = open(ARTIFACTS / "gunicorn.log", "w")  # closed by stop_server
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "cress.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    process.log = log
    for _ in range(150):
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    fail("gunicorn ne répond pas :\n" + (ARTIFACTS / "gunicorn.log").read_text()[-3000:])


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    process.log.close()


def warm(base_url, paths, log=None):
    """Each page a few times, so that both workers have it in their page cache (as a busy
    production site would) and a missing page stops the run before Lighthouse starts."""
    for path in paths:
        for _ in range(4):
            try:
                with urllib.request.urlopen(base_url + path, timeout=120) as response:
                    response.read()
            except OSError as error:
                last = log.read_text().strip().splitlines()[-1:] if log else []
                fail(
                    f"{base_url}{path} ne répond pas correctement : {error}\n"
                    + (f"{last[0]}\n(trace complète : {log.relative_to(ROOT)})" if last else "")
                )


# --- Lighthouse ----------------------------------------------------------------------------


def lighthouse(url, mode, output, locale, attempts=3):
    """One Lighthouse run; returns the JSON report (a dict). A run that fails (Chromium's
    trace is sometimes incomplete on a busy machine: NO_NAVSTART) is tried again."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [
        str(LIGHTHOUSE), url, *MODES[mode],
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json", "--output=html", f"--output-path={output}",
        f"--locale={locale}", "--no-enable-error-reporting", "--quiet",
    ]  # fmt: skip
    report = Path(f"{output}.report.json")
    for attempt in range(1, attempts + 1):
        report.unlink(missing_ok=True)
        try:
            result = subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=True, timeout=300)
            error = f"code {result.returncode} :\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        except subprocess.TimeoutExpired:
            result, error = None, "pas de fin en 5 minutes"
        if result is not None and not result.returncode and report.exists():
            return json.loads(report.read_text())
        if attempt < attempts:
            print(f"  {url} ({mode}) : Lighthouse a échoué, nouvel essai ({error.strip().splitlines()[-1]})")
    fail(f"Lighthouse a échoué {attempts} fois sur {url} ({mode}), {error}")


def scores(report):
    return {
        category: None if report["categories"][category]["score"] is None
        else round(report["categories"][category]["score"] * 100)
        for category in CATEGORIES
    }  # fmt: skip


def short(text, length=220):
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def describe_node(node):
    parts = [node.get("selector"), short(node.get("snippet") or "", 160)]
    if node.get("nodeLabel"):
        parts.append(f"« {short(node['nodeLabel'], 80)} »")
    if node.get("explanation"):
        parts.append(short(node["explanation"], 320))
    return [part for part in parts if part]


def describe_item(item):
    """One line for one row of an audit's details: the element, the address, the reason."""
    parts = []
    if isinstance(item.get("node"), dict):
        parts += describe_node(item["node"])
    if isinstance(item.get("relatedNode"), dict):
        parts += ["élément lié :", *describe_node(item["relatedNode"])]
    for key in ("url", "source", "sourceLocation"):
        value = item.get(key)
        if isinstance(value, dict) and value.get("type") == "source-location":
            parts.append(f"{value.get('url')}:{value.get('line', 0) + 1}:{value.get('column', 0) + 1}")
        elif isinstance(value, dict) and value.get("type") == "url":
            parts.append(value.get("value"))
        elif isinstance(value, str) and value:
            parts.append(value)
    for key in ("description", "issueType", "directive", "severity", "label"):
        value = item.get(key)
        if isinstance(value, str) and value:
            parts.append(short(value))
        elif isinstance(value, dict) and value.get("formattedDefault"):
            parts.append(short(value["formattedDefault"]))
    for key in ("wastedBytes", "wastedMs", "totalBytes", "duration", "score"):
        if isinstance(item.get(key), int | float):
            parts.append(f"{key}={round(item[key], 3)}")
    sub = item.get("subItems")
    if isinstance(sub, dict):
        parts += [f"[{describe_item(subitem)}]" for subitem in sub.get("items", [])[:5]]
    return " | ".join(p for p in parts if p)


def details_lines(details):
    if not isinstance(details, dict):
        return []
    if details.get("type") == "list":
        return [line for sub in details.get("items", []) for line in details_lines(sub)]
    items = details.get("items") or []
    if details.get("type") in ("checklist",):
        return [
            f"{key}: {value.get('label')} ({'ok' if value.get('value') else 'non'})"
            for key, value in items.items()
        ]
    lines = [describe_item(item) for item in items if isinstance(item, dict)]
    return [line for line in lines if line]


def failing_audits(report, category):
    """The audits of ``category`` that are not passed: those that lower the score (weight
    > 0) first, then the diagnostics that explain it (weight 0, performance mostly)."""
    audits = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        mode = audit.get("scoreDisplayMode")
        if mode in ("notApplicable", "manual", "informative") or audit.get("score") is None:
            if mode != "error":
                continue
        if audit.get("score") is not None and audit["score"] >= 1:
            continue
        if (
            mode == "metricSavings"
            and audit.get("score") is not None
            and audit["score"] >= 0.9
            and not ref["weight"]
        ):
            continue  # "passed" in the report: a small saving only
        lines = details_lines(audit.get("details"))
        audits.append(
            {
                "id": audit["id"],
                "title": audit.get("title"),
                "score": audit.get("score"),
                "weight": ref["weight"],
                "displayValue": audit.get("displayValue"),
                "error": audit.get("errorMessage"),
                "items": lines,
            }
        )
    audits.sort(key=lambda a: (not a["weight"], a["score"] if a["score"] is not None else -1))
    return audits


# --- the run -------------------------------------------------------------------------------


def measure(base_url, pages, modes, runs, locale):
    results = []
    for page in pages:
        for mode in modes:
            url = base_url + PAGES[page]
            reports = []
            for run in range(runs):
                name = f"{page}-{mode}" + (f"-{run + 1}" if runs > 1 else "")
                started = time.monotonic()
                report = lighthouse(url, mode, ARTIFACTS / name, locale)
                reports.append((name, report))
                print(
                    f"  {page} ({mode}) : {scores(report)} en {time.monotonic() - started:.0f} s", flush=True
                )
            # The run of median performance, as Lighthouse CI does.
            reports.sort(key=lambda r: r[1]["categories"]["performance"]["score"] or 0)
            name, report = reports[len(reports) // 2]
            row = {
                "page": page,
                "path": PAGES[page],
                "mode": mode,
                "scores": scores(report),
                "performance_runs": [scores(r)["performance"] for _, r in reports] if runs > 1 else None,
                "report": str((ARTIFACTS / f"{name}.report.html").relative_to(ROOT)),
                "runtime_error": (report.get("runtimeError") or {}).get("message"),
                "warnings": report.get("runWarnings") or [],
                "metrics": {
                    key: report["audits"][key].get("displayValue")
                    for key in (
                        "first-contentful-paint",
                        "largest-contentful-paint",
                        "total-blocking-time",
                        "cumulative-layout-shift",
                        "speed-index",
                        "server-response-time",
                    )
                    if key in report["audits"]
                },  # fmt: skip
                # Every category's audits not passed, even at 100 (diagnostics of weight 0).
                "failing": {category: failing_audits(report, category) for category in CATEGORIES},
            }
            results.append(row)
    return results


def print_table(results):
    header = ["page", "mode", *CATEGORIES.values()]
    rows = [
        [
            f"{r['page']} ({r['path']})",
            r["mode"],
            *("—" if s is None else str(s) for s in r["scores"].values()),
        ]
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    print()
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print()


def print_failures(results, everything=False):
    for r in results:
        shown = {
            category: audits
            for category, audits in r["failing"].items()
            if audits and (everything or r["scores"][category] is None or r["scores"][category] < 100)
        }
        if not shown and not r["runtime_error"]:
            continue
        print(f"## {r['page']} ({r['path']}), {r['mode']} — rapport : {r['report']}")
        if r["runtime_error"]:
            print(f"  ERREUR de Lighthouse : {r['runtime_error']}")
        for warning in r["warnings"]:
            print(f"  avertissement : {short(warning, 300)}")
        if "performance" in shown:
            print("  mesures : " + ", ".join(f"{k} {v}" for k, v in r["metrics"].items()))
        for category, audits in shown.items():
            print(f"  {CATEGORIES[category]} : {r['scores'][category]}")
            for audit in audits:
                score = "—" if audit["score"] is None else f"{audit['score']:.2f}".rstrip("0").rstrip(".")
                weight = f"poids {audit['weight']}" if audit["weight"] else "sans effet direct sur la note"
                value = f" — {audit['displayValue']}" if audit["displayValue"] else ""
                print(f"    - {audit['id']} (note {score}, {weight}) : {audit['title']}{value}")
                if audit["error"]:
                    print(f"        erreur : {short(audit['error'], 300)}")
                for line in audit["items"][:ITEMS_SHOWN]:
                    print(f"        · {line}")
                if len(audit["items"]) > ITEMS_SHOWN:
                    print(f"        · … et {len(audit['items']) - ITEMS_SHOWN} autres (voir le rapport)")
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min", type=int, default=100, help="note minimale de chaque catégorie (0-100)")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--modes", nargs="+", choices=list(MODES), default=list(MODES))
    parser.add_argument("--runs", type=int, default=1,
                        help="mesures par page et mode ; la médiane (en performance) est retenue")  # fmt: skip
    parser.add_argument("--locale", default="fr", help="langue des titres d'audits et des rapports (fr, en…)")
    parser.add_argument(
        "--url", help="mesurer ce site déjà lancé (ex. http://127.0.0.1:8000) au lieu d'en démarrer un"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="lister aussi les audits non réussis des catégories à 100 (diagnostics)",
    )
    options = parser.parse_args()
    check_tools()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    server = None
    if options.url:
        base_url = options.url.rstrip("/")
    else:
        print("Préparation : base jetable, fichiers statiques…", flush=True)
        database_url = prepare_database()
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = start_server(site_env(database_url, base_url), port)
    try:
        warm(base_url, [PAGES[p] for p in options.pages], None if options.url else ARTIFACTS / "gunicorn.log")
        print(f"Lighthouse sur {base_url} :", flush=True)
        results = measure(base_url, options.pages, options.modes, options.runs, options.locale)
    finally:
        if server:
            stop_server(server)
    below = [
        f"{r['page']} {r['mode']} {c} {s}"
        for r in results
        for c, s in r["scores"].items()
        if s is None or s < options.min
    ]
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "lighthouse": version([str(LIGHTHOUSE), "--version"]),
        "chromium": version([CHROMIUM, "--version"]),
        "base_url": base_url,
        "min": options.min,
        "duration_s": round(time.monotonic() - started),
        "below_min": below,
        "results": results,
    }
    (ARTIFACTS / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    print_table(results)
    print_failures(results, options.all)
    print(
        f"Rapports et résumé : {(ARTIFACTS / 'summary.json').relative_to(ROOT)} ; durée : {summary['duration_s']} s"
    )
    if below:
        print(f"ÉCHEC : {len(below)} note(s) sous {options.min} : " + ", ".join(below))
        return 1
    print(f"OK : toutes les notes sont au moins à {options.min}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
