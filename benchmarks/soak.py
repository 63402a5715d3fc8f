"""The soak (issue 23): many connections for a minute, through nginx, at 100,000 actors.

    .venv/bin/python benchmarks/soak.py                              # 100,000 actors, 64 × 60 s
    .venv/bin/python benchmarks/soak.py --size 10000 --duration 20

Serves the site as production does — gunicorn as ``deploy/systemd/annuaire-web.service``
starts it (4 workers, debug off, ``DJANGO_HTTPS=1``, one proxy), behind nginx with TLS as
``deploy/nginx/annuaire.conf`` configures it, a Redis of its own with a memory limit and
``allkeys-lru`` as the README's production section sets (``--redis-mb``, 64 by default, smaller
than the README's so that the bound shows) — on the benchmark's database of that size
(``benchmarks/run.py``), then for ``--duration`` seconds:

- ``--connections`` connections (wrk) over a mix of public pages: home, filtered lists, a
  thousand profiles, territories, search, the API; addresses with **unknown parameters** drawn
  at random at each request (cache busting); and **CSV downloads**;
- beside them, 2 connections on the home page alone: its p50/p95/p99 under that load;
- Redis's memory every second.

It prints and writes (``artifacts/bench/soak-<size>.json``): requests, server errors (5xx:
the goal is 0), answers throttled (429), the home page's latencies, Redis's peak memory and
evictions, and the number of cached pages. Needs wrk, nginx, openssl, redis-server.
"""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE), str(ROOT / "tools")]

import run as bench  # noqa: E402  (benchmarks/run.py: the databases, the server's environment)
from readme_check import live_nginx  # noqa: E402

WRK_SCRIPT = """
threads = {}
function setup(thread) table.insert(threads, thread) end
local paths = {}
server_errors, throttled = 0, 0
init = function(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
  counter = math.random(#paths)
  wrk.headers["Host"] = "annuaire.example.org"
end
request = function()
  counter = counter + 1
  local path = string.gsub(paths[(counter % #paths) + 1], "{r}", tostring(math.random(1, 2000000000)))
  return wrk.format("GET", path)
end
response = function(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
  if status == 429 then throttled = throttled + 1 end
end
done = function(summary, latency, requests)
  local errors, limited = 0, 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("server_errors")
    limited = limited + thread:get("throttled")
  end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.3f %.3f %.3f %.1f %d %d %d %d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, errors, limited, socket))
end
"""


def mix(profiles):
    """Weighted addresses; ``{r}`` becomes a random number at each request."""
    families = [
        (8, ["/"]),
        (14, ["/acteurs/", "/acteurs/?departement=14", "/acteurs/?departement=50&tri=nom", "/actions/",
              "/actions/?departement=61", "/acteurs/?commune=14000", "/acteurs/?commune=St-L%C3%B4"]),
        (14, [f"/acteurs/{slug}/" for slug in profiles[:1000]] or ["/acteurs/uraf/"]),
        (6, ["/territoires/", "/territoires/14/", "/territoires/14118/"]),
        (4, ["/recherche/?q=insertion", "/recherche/?q=jardins"]),
        (6, ["/api/v1/acteurs/", "/api/v1/actions/?departement=14"]),
        # Cache busting: an unknown parameter, a new value at every request.
        (14, ["/?utm_source={r}", "/acteurs/?x={r}", "/acteurs/?departement=14&fbclid={r}",
              "/api/v1/acteurs/?z={r}", "/territoires/14/?ref={r}"]),
        # The expensive answers: CSV downloads.
        (2, ["/acteurs/?format=csv", "/actions/?format=csv&departement=14"]),
    ]  # fmt: skip
    paths = []
    for weight, choices in families:
        paths += [choices[i % len(choices)] for i in range(weight * 40)]
    random.Random(4).shuffle(paths)
    return paths


def wrk(port, paths, duration, connections, threads=2):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script, \
            tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:  # fmt: skip
        script.write(WRK_SCRIPT)
        listing.write("\n".join(paths) + "\n")
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", script.name,
         f"https://127.0.0.1:{port}"],
        env={**os.environ, "BENCH_PATHS": listing.name}, capture_output=True, text=True, timeout=duration + 120,
        check=True,
    ).stdout  # fmt: skip
    values = re.search(r"^RESULT (.+)$", output, re.M).group(1).split()
    p50, p95, p99, rps = (float(v) for v in values[:4])
    requests, errors, throttled, socket_errors = (int(v) for v in values[4:])
    return {"p50_ms": p50, "p95_ms": p95, "p99_ms": p99, "rps": rps, "requests": requests,
            "server_errors": errors, "throttled_429": throttled, "socket_errors": socket_errors}  # fmt: skip


def redis_info(port):
    output = subprocess.run(["redis-cli", "-p", str(port), "info"], capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line and not line.startswith("#"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--redis-mb", type=int, default=64)
    parser.add_argument("--output", type=Path)
    options = parser.parse_args()

    url, _ = bench.prepare(options.size)
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    processes = []
    try:
        redis_port = bench.free_port()
        processes.append(subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--maxmemory", f"{options.redis_mb}mb", "--maxmemory-policy", "allkeys-lru"],
            stdout=subprocess.DEVNULL, start_new_session=True,
        ))  # fmt: skip
        env = {k: v for k, v in bench.base_env(url).items() if k != "DIRECTORY_API_RATE"}  # the real limits
        env.update(
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            DJANGO_HTTPS="1",
            DJANGO_PROXY_COUNT="1",
            DJANGO_ALLOWED_HOSTS="annuaire.example.org",
            DIRECTORY_SITE_URL="https://annuaire.example.org",
            DJANGO_MEDIA_ROOT=str(work / "media"),
        )
        bench.manage(env, "collectstatic", "--no-input")
        profiles = json.loads(bench.run([bench.PYTHON, "-c", bench.QUERIES, "{}"], env=env).stdout)["profiles"]
        unit = (ROOT / "deploy/systemd/annuaire-web.service").read_text()
        command = re.search(r"^ExecStart=(.+)$", unit, re.M).group(1).replace("/srv/annuaire", str(ROOT))
        gunicorn_port, http_port, https_port = (bench.free_port() for _ in range(3))
        command = command.replace("127.0.0.1:8000", f"127.0.0.1:{gunicorn_port}").replace(
            "--access-logfile -", "--access-logfile /dev/null")
        processes.append(subprocess.Popen(command.split(), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                          stderr=open(work / "gunicorn.log", "w"), start_new_session=True))  # noqa: SIM115 # fmt: skip
        tls = work / "tls"
        tls.mkdir()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=annuaire.example.org", "-keyout", tls / "privkey.pem", "-out", tls / "fullchain.pem"],
                       check=True, capture_output=True)  # fmt: skip
        site = (ROOT / "deploy/nginx/annuaire.conf").read_text().replace("/srv/annuaire", str(ROOT))
        site = site.replace("/etc/letsencrypt/live/annuaire.example.org", str(tls))
        site = site.replace("/var/lib/annuaire/media", str(work / "media"))
        main_conf = live_nginx(site, work / "nginx", gunicorn_port, http_port, https_port, only_site=True)
        processes.append(subprocess.Popen(["nginx", "-c", str(main_conf)], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, start_new_session=True))  # fmt: skip
        for _ in range(300):
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{gunicorn_port}/sante/",
                                                 headers={"Host": "annuaire.example.org", "X-Forwarded-Proto": "https"})  # fmt: skip
                urllib.request.urlopen(request, timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)

        peak, samples, stop = {"used_memory": 0}, [], threading.Event()

        def sample():
            while not stop.is_set():
                info = redis_info(redis_port)
                used = int(info.get("used_memory", 0))
                samples.append(used)
                peak["used_memory"] = max(peak["used_memory"], used)
                stop.wait(1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        results = {}

        def home():
            results["home"] = wrk(https_port, ["/"], options.duration, 2, threads=1)

        beside = threading.Thread(target=home)
        beside.start()
        results["mix"] = wrk(https_port, mix(profiles), options.duration, options.connections)
        beside.join()
        stop.set()
        sampler.join()
        info = redis_info(redis_port)
        keys = subprocess.run(["redis-cli", "-p", str(redis_port), "dbsize"], capture_output=True, text=True).stdout
        result = {
            "size": options.size,
            "duration_s": options.duration,
            "connections": options.connections,
            "mix": results["mix"],
            "home_beside": results["home"],
            "redis": {
                "maxmemory_mb": options.redis_mb,
                "peak_used_mb": round(peak["used_memory"] / 2**20, 1),
                "evicted_keys": int(info.get("evicted_keys", 0)),
                "keys_at_end": int(keys.strip() or 0),
            },
            "gunicorn_errors_logged": (work / "gunicorn.log").read_text().count("Traceback"),
        }
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    output = options.output or ROOT / "artifacts" / "bench" / f"soak-{options.size}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
