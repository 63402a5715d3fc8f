"""The directory's benchmark: one command, at 1,000, 10,000 and 100,000 actors.

    .venv/bin/python benchmarks/run.py                       # the three sizes
    .venv/bin/python benchmarks/run.py --sizes 1000
    .venv/bin/python benchmarks/run.py --sizes 100000 --mix 60 --connections 64   # the load run
    .venv/bin/python benchmarks/run.py --sizes 10000 100000 --cold --seed 1      # plus the long tail

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

Those pages are each one address, so after the first answer they come from the page cache.
``--cold`` adds, at each size, the **long tail** a crawler walks through the facets: a
second gunicorn on the same database with the page cache off, and for each family of pages
a list of different addresses drawn beforehand (``--seed``, 1 by default) that wrk's
``request()`` walks, each address once (bounded in count and in time):

- ``/acteurs/`` and ``/api/v1/acteurs/``: a few of département (14, 50, 61), secteur and
  public (slugs read from the database), famille, ``q`` among a few words, page 1–5, ``tri``;
- ``/actions/``: département, secteur, public, année, acteur (among a few slugs), ``q``, page;
- the three lists with ``?commune=<code INSEE>`` (communes of the database);
- a sample of actor profiles and of territory pages (départements, communes), and the home
  page (one address, recomputed at each request);

with the two floors measured again on that server. It prints a second table, « à froid »:
p50/p95/p99, requests per second, 404s (a page past the end of a small list) and errors per
family, and the median of 20 unloaded requests to addresses the load does not use (for the
home page and the floors, their one address). wrk times only the answers that arrive before
the end: where a family gets a handful of requests in ``--duration``, its p95 and p99 are
the slowest of that handful (the JSON keeps the counts; give it more seconds).

``DIRECTORY_PAGE_CACHE`` is a setting, not read from the environment: the cold server runs
with ``DJANGO_SETTINGS_MODULE`` set to a throw-away module (a temporary folder on
``PYTHONPATH``) that imports ``cress.settings`` and sets it to ``False``; no app code
changes. Every unloaded answer is checked to have no ``X-Cache`` header (the page cache's
mark). The counts and facets of a list, cached per filters (``common/listing.py``), are
left as in production: two pages or orders of one filtered list share them.
"""

import argparse
import http.client
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

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


# --- The long tail (--cold) -------------------------------------------------------------------

COLD_SETTINGS = '''"""The benchmark's cold server: the project's settings without the page cache."""

from cress.settings import *  # noqa: F403

DIRECTORY_PAGE_CACHE = False
'''
COLD_SETTINGS_MODULE = "bench_sans_cache_de_pages"
COLD_PROBES = 20  # unloaded requests per family, to addresses the load does not use
COLD_PATHS_PER_SECOND = 1000  # addresses drawn per family and second of load: more than 2 workers serve
QUERY_WORDS = ["insertion", "jardins", "mobilité", "culture", "alimentation", "recyclerie", "caen",
               "handicap", "numérique", "épicerie"]  # fmt: skip
SORTS = ["nom", "recent"]
ACTION_ACTORS = 12  # « acteur among a few slugs »

COLD_VOCABULARY = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cress.settings")
import django
django.setup()
from django.db.models import Min, Q
from actions.filters import years
from actions.models import Action
from actors.models import EssFamily, Organisation, Public, Sector
from territories.models import COMMUNE_KINDS, Territory, TerritoryKind
from territories.region import DEPARTEMENT_CODES
in_region = Q()
for code in DEPARTEMENT_CODES:
    in_region |= Q(code__startswith=code)
communes = Territory.objects.filter(in_region, kind__in=COMMUNE_KINDS).order_by("key")
published = Organisation.objects.actors().published().order_by("pk")
first = Action.objects.published().aggregate(first=Min("first_year"))["first"] or 0
print(json.dumps({
    "departements": DEPARTEMENT_CODES,
    "secteurs": list(Sector.objects.order_by("slug").values_list("slug", flat=True)),
    "publics": list(Public.objects.order_by("slug").values_list("slug", flat=True)),
    "familles": [value for value, _ in EssFamily.choices],
    "annees": [value for value, _ in years() if int(value) >= first],
    "acteurs_actions": list(published.filter(pk__in=Action.objects.published().values("actor"))
                            .values_list("slug", flat=True)),
    "communes": sorted(set(communes.values_list("code", flat=True))),
    "territoires": list(Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, code__in=DEPARTEMENT_CODES)
                        .order_by("key").values_list("key", flat=True))
                   + list(communes.values_list("key", flat=True)),
    "profils": list(published.values_list("slug", flat=True)),
}))
"""

# Lua for wrk: each thread takes every n-th address of the list (none twice), counts the
# answers by status, and stops when its share is spent (then the rate is a lower bound);
# with BENCH_WRAP=1 (one address: the home page, the floors) every thread repeats the list.
COLD_WRK_SCRIPT = """
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end
function init(args)
  paths = {}
  local index, count = 0, tonumber(os.getenv("BENCH_THREADS"))
  wrap = os.getenv("BENCH_WRAP") == "1"
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if wrap or index % count == id then paths[#paths + 1] = line end
    index = index + 1
  end
  sent, notfound, failures, redirects, exhausted = 0, 0, 0, 0, 0
end
function request()
  sent = sent + 1
  if sent > #paths and not wrap then
    exhausted = 1
    wrk.thread:stop()
  end
  return wrk.format("GET", paths[((sent - 1) % #paths) + 1])
end
function response(status, headers, body)
  if status == 404 then notfound = notfound + 1
  elseif status >= 400 then failures = failures + 1
  elseif status >= 300 then redirects = redirects + 1 end
end
function done(summary, latency, requests)
  local notfound, failures, redirects, exhausted = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    notfound = notfound + thread:get("notfound")
    failures = failures + thread:get("failures")
    redirects = redirects + thread:get("redirects")
    exhausted = exhausted + thread:get("exhausted")
  end
  local sockets = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.3f %.3f %.3f %.1f %d %d %d %d %d %d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, sockets, notfound, failures, redirects,
    exhausted))
end
"""


def unique(generate, rng, count):
    """``count`` different addresses from ``generate(rng)`` (fewer if it has not that many)."""
    seen = {}
    for _ in range(50 * count):
        seen.setdefault(generate(rng), None)
        if len(seen) == count:
            break
    return list(seen)


def filtered(rng, path, choices, pages=5, sorts=()):
    """An address of ``path`` as a crawler following the facets' links reaches it: a few of
    the filters of ``choices`` ({parameter: values}), sometimes an order, a page of 1 to
    ``pages`` (past the end of a small list: a 404, counted apart)."""
    count = rng.choices(range(5), weights=[1, 4, 4, 2, 1])[0]
    names = sorted(rng.sample(list(choices), min(count, len(choices))), key=list(choices).index)
    params = [(name, rng.choice(choices[name])) for name in names]
    if sorts and rng.random() < 0.3:
        params.append(("tri", rng.choice(sorts)))
    if rng.random() < 0.5:  # half the time a further page: fewer lists have the later ones
        params.append(("page", rng.randint(2, pages)))
    return path + ("?" + urlencode(params) if params else "")


def cold_families(vocabulary, seed, count):
    """{family: addresses}: ``count`` + ``COLD_PROBES`` different addresses per family (the
    home page and the floors: one address, which wrk repeats)."""
    vocabulary = {name: values or [""] for name, values in vocabulary.items()}
    actions_actors = random.Random(f"{seed}:acteurs").sample(
        vocabulary["acteurs_actions"], min(ACTION_ACTORS, len(vocabulary["acteurs_actions"]))
    )
    actor_filters = {name: vocabulary[key] for name, key in [
        ("departement", "departements"), ("secteur", "secteurs"), ("public", "publics"), ("famille", "familles"),
    ]} | {"q": QUERY_WORDS}  # fmt: skip
    action_filters = {
        "departement": vocabulary["departements"], "secteur": vocabulary["secteurs"],
        "public": vocabulary["publics"], "annee": vocabulary["annees"], "acteur": actions_actors, "q": QUERY_WORDS,
    }  # fmt: skip

    def commune_list(rng):
        params = [("commune", rng.choice(vocabulary["communes"]))]
        if rng.random() < 0.3:
            params.append(("secteur", rng.choice(vocabulary["secteurs"])))
        page = rng.randint(1, 3)
        if page > 1:
            params.append(("page", page))
        return rng.choice(["/acteurs/", "/actions/", "/api/v1/acteurs/"]) + "?" + urlencode(params)

    generators = {
        "acteurs : filtres au hasard": lambda rng: filtered(rng, "/acteurs/", actor_filters, sorts=SORTS),
        "actions : filtres au hasard": lambda rng: filtered(rng, "/actions/", action_filters),
        "API acteurs : filtres au hasard": lambda rng: filtered(
            rng, "/api/v1/acteurs/", actor_filters, sorts=SORTS
        ),
        "listes par commune (acteurs, actions, API)": commune_list,
    }
    total = count + COLD_PROBES
    families = {"accueil (une adresse)": ["/"]}
    for name, generate in generators.items():
        families[name] = unique(generate, random.Random(f"{seed}:{name}"), total)
    for name, key, path in [("fiche acteur (échantillon)", "profils", "/acteurs/{}/"),
                            ("territoires : départements, communes", "territoires", "/territoires/{}/")]:  # fmt: skip
        values = [value for value in vocabulary[key] if value]
        families[name] = [path.format(value) for value in random.Random(f"{seed}:{name}").sample(
            values, min(total, len(values)))]  # fmt: skip
    families["plancher : vue minimale"] = ["/robots.txt"]
    families["plancher : fichier statique"] = [static_path()]
    return families


def unloaded(port, paths):
    """One request after the other, no load: median time, median size, statuses; fails if
    an answer comes from the page cache (its ``X-Cache`` header)."""
    times, sizes, statuses = [], [], Counter()
    for path in paths:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            started = time.monotonic()
            connection.request("GET", path)
            response = connection.getresponse()
            sizes.append(len(response.read()))
            times.append((time.monotonic() - started) * 1000)
            statuses[str(response.status)] += 1
            if response.getheader("X-Cache"):
                raise RuntimeError(f"{path} vient du cache de pages ({response.getheader('X-Cache')}) : "
                                   "la mesure à froid serait fausse")  # fmt: skip
        finally:
            connection.close()
    return {"unloaded_ms": round(statistics.median(times), 1), "bytes": int(statistics.median(sizes)),
            "unloaded_statuses": dict(statuses)}  # fmt: skip


def cold_load(port, paths, duration, connections, threads=2):
    """wrk over ``paths``, each once (or, when they are one address, that one repeated)."""
    wrap = len(set(paths)) == 1
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script, \
            tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:  # fmt: skip
        script.write(COLD_WRK_SCRIPT)
        listing.write("\n".join(paths[:1] if wrap else paths) + "\n")
    try:
        output = run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", script.name,
             f"http://127.0.0.1:{port}"],
            env={**os.environ, "BENCH_PATHS": listing.name, "BENCH_THREADS": str(threads),
                 "BENCH_WRAP": "1" if wrap else "0"},
            timeout=duration + 120,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
        os.unlink(listing.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    p50, p95, p99, rps, requests, sockets, not_found, failures, redirects, exhausted = line.split()[1:]
    return {"p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99), "rps": float(rps),
            "requests": int(requests), "not_found": int(not_found), "redirects": int(redirects),
            "errors": int(sockets) + int(failures), "socket_errors": int(sockets),
            "list_exhausted": int(exhausted) > 0}  # fmt: skip


def measure_cold(url, duration, connections, seed, pages=()):
    """The long tail: each family of pages over different addresses, page cache off."""
    env = base_env(url)
    vocabulary = json.loads(run([PYTHON, "-c", COLD_VOCABULARY], env=env).stdout)
    families = cold_families(vocabulary, seed, COLD_PATHS_PER_SECOND * duration)
    families = {name: paths for name, paths in families.items()
                if not pages or name in pages or name.startswith("plancher")}  # fmt: skip
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, f"{COLD_SETTINGS_MODULE}.py").write_text(COLD_SETTINGS)
        env.update(
            DJANGO_SETTINGS_MODULE=COLD_SETTINGS_MODULE,
            PYTHONPATH=os.pathsep.join(filter(None, [folder, env.get("PYTHONPATH")])),
        )
        port = free_port()
        server = start_server(env, port)
        try:
            for _ in range(4):
                cold(port, "/robots.txt")  # both workers up before the first family
            for name, paths in families.items():
                if len(set(paths)) > 1:
                    probes, paths = paths[-COLD_PROBES:], paths[:-COLD_PROBES]
                else:
                    probes = paths * COLD_PROBES  # the one address, again and again
                rows[name] = {
                    "addresses": len(paths),
                    "distinct": len(set(paths)),
                    **unloaded(port, probes),
                    **cold_load(port, paths, duration, connections),
                }
                print(f"  à froid, {name}: {rows[name]}", flush=True)
            memory = workers_peak_memory(server)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return {
        "seed": seed,
        "page_cache": f"contourné : DIRECTORY_PAGE_CACHE = False ({COLD_SETTINGS_MODULE}, qui importe cress.settings)",
        "pages": rows,
        "worker_peak_mb": memory,
    }


def measure(size, duration, connections, pages=(), cold_seed=None):
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
    result = {"size": size, "generation_s": generation, "pages": rows, "csv": csv, "worker_peak_mb": memory}
    if cold_seed is not None:
        result["cold"] = measure_cold(url, duration, connections, cold_seed, pages)
    return result


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
        *(
            ["#### en cache : une adresse par type de page, cache de pages actif", ""]
            if "cold" in result
            else []
        ),
        "| page | 1re requête (ms) | taille (Ko) | médiane (ms) | p95 (ms) | p99 (ms) | req/s | % vue minimale | erreurs "
        "| requêtes SQL |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in result["pages"].items():
        lines.append(
            f"| {name} | {row['cold_ms']} | {row['bytes'] / 1000:.1f} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
            f"| {row['rps']} | {100 * row['rps'] / floor:.0f} % | {row['errors']} "
            f"| {row['queries'] if row['queries'] is not None else '—'} |"
        )
    lines += [
        "",
        f"CSV : {result['csv']['rows']} lignes en {result['csv']['seconds']} s ; mémoire de pointe par worker : "
        f"{', '.join(f'{m} Mo' for m in result['worker_peak_mb'])}"
        + (f" ; génération des données : {result['generation_s']} s" if result["generation_s"] else ""),
        "",
    ]
    if "cold" in result:
        lines += cold_table(result["cold"])
    return "\n".join(lines)


def cold_table(cold):
    floor = cold["pages"].get("plancher : vue minimale", {}).get("rps")
    lines = [
        f"#### à froid (--cold, graine {cold['seed']}) : chaque requête une adresse différente tirée d'avance, "
        "cache de pages contourné",
        "",
        "| famille de pages | requêtes (adresses distinctes) | sans charge, médiane de 20 (ms) | taille médiane (Ko) "
        "| médiane (ms) | p95 (ms) | p99 (ms) | req/s | % vue minimale | 404 | erreurs |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in cold["pages"].items():
        share = (
            "—" if not floor else f"{100 * row['rps'] / floor:.{0 if row['rps'] >= floor / 100 else 1}f} %"
        )
        rate = f"≥ {row['rps']}" if row["list_exhausted"] else row["rps"]
        count = f"{row['requests']:,} ({row['distinct']:,})".replace(",", " ")
        lines.append(
            f"| {name} | {count} | {row['unloaded_ms']} | {row['bytes'] / 1000:.1f} | {row['p50_ms']} | {row['p95_ms']} "
            f"| {row['p99_ms']} | {rate} | {share} | {row['not_found']} | {row['errors']} |"
        )
    lines += [
        "",
        "Mémoire de pointe par worker (à froid) : "
        + ", ".join(f"{m} Mo" for m in cold["worker_peak_mb"])
        + " ; « ≥ » : liste d'adresses épuisée avant la fin, débit minoré.",
        "",
    ]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--duration", type=int, default=8, help="secondes de charge par type de page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--mix", type=int, metavar="SECONDES",
                        help="la course de charge : un mélange de pages publiques pendant ce temps")  # fmt: skip
    parser.add_argument("--cold", action="store_true",
                        help="ajoute la longue traîne : chaque requête une adresse différente, cache de pages "
                             "contourné (tableau « à froid »)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, help="graine des adresses tirées par --cold")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--pages", nargs="+", default=(), metavar="TYPE",
                        help="seulement ces types de page (les planchers sont toujours mesurés)")  # fmt: skip
    options = parser.parse_args()
    if options.cold and options.mix:
        parser.error("--cold mesure les types de page, --mix la course de charge : l'un ou l'autre")
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
        result = measure(size, options.duration, options.connections, options.pages,
                         options.seed if options.cold else None)  # fmt: skip
        results["runs"].append(result)
        print(table(result), flush=True)
    output = options.output or ARTIFACTS / f"{time.strftime('%Y%m%d-%H%M')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"Résultats : {output}")


if __name__ == "__main__":
    main()
