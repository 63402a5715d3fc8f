"""The directory's benchmark: one command, at 1,000, 10,000 and 100,000 actors.

    .venv/bin/python benchmarks/run.py                       # the three sizes
    .venv/bin/python benchmarks/run.py --sizes 1000
    .venv/bin/python benchmarks/run.py --sizes 100000 --mix 60 --connections 64   # the load run

For each size it generates (or reuses) a database of that many synthetic actors
(``generate_demo_data``, seed 1: ``annuaire_bench_<size>``, on the server of
``DATABASE_URL``, else on the private PostgreSQL of ``common/localdb.py``), serves the site with
gunicorn (2 workers, production settings, ``DEBUG`` off, the shared Redis cache) on
127.0.0.1, then for each page type measures:

- **cold**: the time of a first request (nothing in the cache: what the first visitor
  after an edit would wait for, were it not for the page cache's stale answers);
- **under load**: 8 connections for ``--duration`` seconds with wrk (loopback only,
  bounded): median and 95th-percentile latency, requests per second, errors;
- **SQL queries** per request (one request in-process, caches off);

and, in the same run, two floors (a minimal Django view — ``/robots.txt``, no database —
and a static file through whitenoise), a CSV export streamed to 10,000 rows, and the
peak memory of each worker. It prints a table and writes JSON under
``artifacts/bench/`` (``--output`` to choose). Needs wrk (``apt-get install wrk``),
PostgreSQL and Redis on this machine. It is a measurement, not a test: no assertion.
"""

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # common.localdb, run as a script
PYTHON = sys.executable
ARTIFACTS = ROOT / "artifacts" / "bench"
REDIS_URL = "redis://127.0.0.1:6379/14"
PROFILE_SAMPLE = 200

PAGES = [
    # (page type, paths; "{profiles}" is replaced by a sample of actor profiles)
    ("accueil", ["/"]),
    ("acteurs", ["/acteurs/"]),
    ("acteurs : département et secteur", ["/acteurs/?departement=14&secteur=handicap"]),
    ("acteurs : mot-clé", ["/acteurs/?q=insertion"]),
    ("acteurs : commune", ["/acteurs/?commune=14118"]),
    ("fiche acteur", "{profiles}"),
    ("actions", ["/actions/"]),
    ("actions : département et secteur", ["/actions/?departement=14&secteur=handicap"]),
    ("recherche", ["/recherche/?q=insertion"]),
    ("département", ["/territoires/14/"]),
    ("commune", ["/territoires/14118/"]),
    ("API acteurs", ["/api/v1/acteurs/"]),
    ("carte", ["/acteurs/carte/"]),
    # The map's data, as the map asks for them: all of Basse-Normandie (bounded to 2,000
    # points), a town's area when zoomed in, and a filtered map.
    (
        "carte : GeoJSON, toute la région",
        ["/api/v1/acteurs/?format=geojson&bbox=-1.95000,48.40000,0.95000,49.80000"],
    ),
    (
        "carte : GeoJSON, agglomération de Caen",
        ["/api/v1/acteurs/?format=geojson&bbox=-0.45000,49.13000,-0.30000,49.23000"],
    ),
    (
        "carte : GeoJSON, département et secteur",
        [
            "/api/v1/acteurs/?format=geojson&departement=50&secteur=handicap&bbox=-1.95000,48.40000,0.95000,49.80000"
        ],
    ),
    ("plan du site (index)", ["/sitemap.xml"]),
    ("plan du site (page)", ["/sitemap-actions.xml"]),
    ("plancher : vue minimale", ["/robots.txt"]),
    ("plancher : fichier statique", "{static}"),
]

WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = math.random(#paths)
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT %.3f %.3f %.3f %.1f %d %d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), errors, summary.requests))
end
"""


def run(args, env=None, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, capture_output=True, **kwargs)


def manage(env, *args):
    return run([PYTHON, "manage.py", *args], env=env).stdout


def base_env(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        REDIS_URL=REDIS_URL,
        DJANGO_CACHE_PREFIX=f"bench-{secrets.token_hex(4)}",
        DIRECTORY_API_RATE="1000000/minute",  # every request comes from one address: measure the pages
    )
    return env


def prepare(size):
    """The database for ``size`` actors: created, migrated, loaded, completed."""
    import psycopg

    from common import localdb

    url = localdb.sibling(f"annuaire_bench_{size}")
    env = base_env(url)
    manage(env, "migrate", "--no-input")
    manage(env, "load_directory")
    count = int(run([PYTHON, "-c", COUNT_DEMO], env=env).stdout)
    generation = None
    if count < size:
        started = time.monotonic()
        manage(env, "generate_demo_data", "--actors", str(size - count))
        generation = round(time.monotonic() - started, 1)
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return url, generation


COUNT_DEMO = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cress.settings'); django.setup(); "
    "from actors.models import Organisation; print(Organisation.objects.actors().filter(is_demo=True).count())"
)

QUERIES = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cress.settings")
import django
django.setup()
from django.conf import settings
settings.DIRECTORY_PAGE_CACHE = False
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from actors.models import Organisation
client, result = Client(), {}
paths = json.loads(sys.argv[1])
profiles = list(Organisation.objects.actors().filter(is_demo=True).order_by("pk").values_list("slug", flat=True)[:5000])
for name, path in paths.items():
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST="127.0.0.1")
        if response.streaming:
            b"".join(response.streaming_content)
    result[name] = len(queries)
print(json.dumps({"queries": result, "profiles": profiles}))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, port):
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "cress.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn ne répond pas : " + process.stderr.read().decode()[-2000:])


def workers_peak_memory(process):
    """Peak resident memory (MB) of each gunicorn worker (VmHWM)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    peaks = []
    for pid in children.read_text().split():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(round(int(line.split()[1]) / 1024, 1))
    return peaks


def cold(port, path):
    """Milliseconds, status and size in bytes of one request."""
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=300) as response:
        size = len(response.read())
        status = response.status
    return round((time.monotonic() - started) * 1000, 1), status, size


def load(port, paths, duration, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script, \
            tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:  # fmt: skip
        script.write(WRK_SCRIPT)
        listing.write("\n".join(paths) + "\n")
    try:
        output = run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", script.name,
             f"http://127.0.0.1:{port}"],
            env={**os.environ, "BENCH_PATHS": listing.name}, timeout=duration + 120,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
        os.unlink(listing.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    p50, p95, p99, rps, errors, requests = line.split()[1:]
    return {"p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99), "rps": float(rps),
            "errors": int(errors), "requests": int(requests)}  # fmt: skip


def csv_stream(port, rows=10_000):
    """Seconds to stream ``rows`` rows of the action list's CSV (or all it has)."""
    started = time.monotonic()
    count = 0
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/actions/?format=csv", timeout=600) as response:
        for _ in response:
            count += 1
            if count > rows:
                break
    return {"rows": count - 1, "seconds": round(time.monotonic() - started, 2)}


def static_path():
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def measure(size, duration, connections, pages=()):
    url, generation = prepare(size)
    env = base_env(url)
    manage(env, "collectstatic", "--no-input")
    plan = {}
    probe = json.loads(run([PYTHON, "-c", QUERIES, json.dumps({n: p[0] for n, p in PAGES if isinstance(p, list) and (not pages or n in pages)})],
                           env=env).stdout)  # fmt: skip
    profiles = probe["profiles"]
    random.Random(1).shuffle(profiles)
    for name, paths in PAGES:
        if pages and name not in pages and not name.startswith("plancher"):
            continue
        if paths == "{profiles}":
            paths = [f"/acteurs/{slug}/" for slug in profiles[:PROFILE_SAMPLE]] or ["/acteurs/uraf/"]
        elif paths == "{static}":
            paths = [static_path()]
        plan[name] = paths
    queries = probe["queries"]
    if "fiche acteur" in plan:
        queries["fiche acteur"] = json.loads(
            run(
                [PYTHON, "-c", QUERIES, json.dumps({"fiche acteur": plan["fiche acteur"][0]})], env=env
            ).stdout
        )["queries"]["fiche acteur"]
    port = free_port()
    server = start_server(env, port)
    rows = {}
    try:
        for name, paths in plan.items():
            first, status, length = cold(port, paths[0])
            rows[name] = {
                "cold_ms": first,
                "status": status,
                "bytes": length,
                "queries": queries.get(name),
                **load(port, paths, duration, connections),
            }
            print(f"  {name}: {rows[name]}", flush=True)
        csv = csv_stream(port)
        memory = workers_peak_memory(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"size": size, "generation_s": generation, "pages": rows, "csv": csv, "worker_peak_mb": memory}


MIX = [
    # (weight, paths): what visitors ask for, roughly
    (20, "{profiles}"), (8, ["/"]), (10, ["/acteurs/", "/acteurs/?departement=14", "/acteurs/?departement=50&secteur=handicap",
     "/acteurs/?q=insertion", "/acteurs/?commune=14118", "/acteurs/?famille=cooperative&page=3"]),
    (8, ["/actions/", "/actions/?departement=61", "/actions/?secteur=petite-enfance", "/actions/?annee=2010"]),
    (4, ["/recherche/?q=insertion", "/recherche/?q=jardins", "/recherche/?q=caen"]),
    (4, ["/territoires/", "/territoires/14/", "/territoires/14118/", "/territoires/50129/"]),
    (4, ["/api/v1/acteurs/", "/api/v1/actions/?departement=14", "/api/v1/acteurs/?q=mobilite"]),
    (2, ["/sitemap.xml", "/donnees/", "/partenaires/"]),
]  # fmt: skip


def mixed_load(size, duration, connections):
    """The load run: ``connections`` connections for ``duration`` seconds over a weighted
    mix of public pages (a thousand profiles among them)."""
    url, generation = prepare(size)
    env = base_env(url)
    manage(env, "collectstatic", "--no-input")
    profiles = json.loads(run([PYTHON, "-c", QUERIES, "{}"], env=env).stdout)["profiles"]
    random.Random(2).shuffle(profiles)
    paths = []
    for weight, choices in MIX:
        if choices == "{profiles}":
            choices = [f"/acteurs/{slug}/" for slug in profiles[:1000]] or ["/acteurs/uraf/"]
        paths += [choices[i % len(choices)] for i in range(weight * max(1, len(choices) // 4 + 1))]
    random.Random(3).shuffle(paths)
    port = free_port()
    server = start_server(env, port)
    try:
        result = load(port, paths, duration, connections)
        memory = workers_peak_memory(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "size": size,
        "duration_s": duration,
        "connections": connections,
        **result,
        "worker_peak_mb": memory,
    }


def table(result):
    floor = result["pages"]["plancher : vue minimale"]["rps"]
    lines = [
        f"### {result['size']:,} acteurs".replace(",", " "),
        "",
        "| page | 1re requête (ms) | taille (Ko) | médiane (ms) | p95 (ms) | req/s | % vue minimale | erreurs | requêtes SQL |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in result["pages"].items():
        lines.append(
            f"| {name} | {row['cold_ms']} | {row['bytes'] / 1000:.1f} | {row['p50_ms']} | {row['p95_ms']} | {row['rps']} | "
            f"{100 * row['rps'] / floor:.0f} % | {row['errors']} | {row['queries'] if row['queries'] is not None else '—'} |"
        )
    lines += [
        "",
        f"CSV : {result['csv']['rows']} lignes en {result['csv']['seconds']} s ; mémoire de pointe par worker : "
        f"{', '.join(f'{m} Mo' for m in result['worker_peak_mb'])}"
        + (f" ; génération des données : {result['generation_s']} s" if result["generation_s"] else ""),
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--duration", type=int, default=8, help="secondes de charge par type de page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--mix", type=int, metavar="SECONDES",
                        help="la course de charge : un mélange de pages publiques pendant ce temps")  # fmt: skip
    parser.add_argument("--output", type=Path)
    parser.add_argument("--pages", nargs="+", default=(), metavar="TYPE",
                        help="seulement ces types de page (les planchers sont toujours mesurés)")  # fmt: skip
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk est nécessaire : apt-get install wrk")
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "database": "PostgreSQL",
        "machine": machine,
        "runs": [],
    }
    for size in options.sizes:
        print(f"== {size} acteurs", flush=True)
        if options.mix:
            result = mixed_load(size, options.mix, options.connections)
            results["runs"].append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
            continue
        result = measure(size, options.duration, options.connections, options.pages)
        results["runs"].append(result)
        print(table(result), flush=True)
    output = options.output or ARTIFACTS / f"{time.strftime('%Y%m%d-%H%M')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"Résultats : {output}")


if __name__ == "__main__":
    main()
