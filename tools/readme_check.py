#!/usr/bin/env python3
"""The README, run (issue 22): every command of its fenced ``bash`` blocks, in order, so that
it can never drift from the code again.

    .venv/bin/python tools/readme_check.py          # run everything (CI: .ci/run)
    .venv/bin/python tools/readme_check.py --list   # what would be run, replaced or skipped

- **Locally**: ``make run`` as written (in the background, on a free ``PORT``), until the
  site answers; the staff commands while it serves, then a login with each account on the
  served site (the account is in the database ``make run`` serves) and a check that the
  site did not reload; the same on a PostgreSQL of one's own (``DATABASE_URL=…``).
- **The production runbook**, as root on this machine, in a rehearsal folder: the absolute
  paths of the runbook (``/etc/…``, ``/var/…``) live under it and ``/srv/annuaire`` is this
  checkout; the site's role and database are ``annuaire_essai``; the environment file is
  filled in as the README asks (a drawn key, the rehearsal's database, this machine's
  Redis). Then the checks that follow some steps: the systemd units verified, nginx's site
  file tested and **served** (gunicorn as its unit starts it, nginx with TLS in front:
  ``/sante/`` over HTTPS, the redirect from HTTP, another name refused, static files), and
  the backup restored into a new database owned by the role: ``migrate --check`` and the
  same number of rows in every table, the same files.
- **Named commands**: every ``manage.py`` command the README names in its text exists and
  knows the options written beside it; every script path it names exists.

A command it cannot run here is listed with the reason (packages, systemd as PID 1, a
public certificate); any other command runs, and one that fails fails the check. Needs, as
on the CI machine: root, PostgreSQL at 127.0.0.1:5432 (``runuser -u postgres``), Redis at
127.0.0.1:6379, nginx, openssl, curl, systemd-analyze.
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PY = ROOT / ".venv" / "bin" / "python"

# Commands that cannot run on a CI machine, and why.
SKIPPED = [
    (r"^make test\b", "la suite complète : la première étape de .ci/run la lance telle quelle"),
    (
        r"^DATABASE_URL=\S+ make test\b",
        "la même suite sur un PostgreSQL à soi : .ci/run la lance sur le PostgreSQL privé, puis les "
        "règles qui dépendent du serveur sur PostgreSQL 15",
    ),
    (r"^apt-get install ", "les paquets de la machine : .ci/run installe ceux qui lui manquent"),
    (r"^adduser ", "un utilisateur système : la répétition tourne sous l'utilisateur de la CI"),
    (r"^git (clone|pull) ", "la répétition se fait dans ce clone"),
    (
        r"^systemctl ",
        "pas de systemd en PID 1 sur une machine de CI : les unités sont vérifiées par systemd-analyze, "
        "gunicorn et nginx démarrés comme leurs unités le disent",
    ),
    (r"^certbot ", "un certificat public demande un nom public : un certificat autosigné au même chemin"),
]

ROLE = "annuaire_essai"  # the production rehearsal's role and database
PASSWORD = "essai-readme"
LOCAL_ROLE = "annuaire_local"  # « sur un PostgreSQL à vous »: the CI machine has the real « annuaire »


def local_substitute(command):
    command = command.replace("CREATE ROLE annuaire ", f"CREATE ROLE {LOCAL_ROLE} ")
    command = re.sub(r"--owner annuaire annuaire\b", f"--owner {LOCAL_ROLE} {LOCAL_ROLE}", command)
    return re.sub(r"postgres://annuaire:annuaire@127\.0\.0\.1:5432/annuaire\b",
                  f"postgres://{LOCAL_ROLE}:annuaire@127.0.0.1:5432/{LOCAL_ROLE}", command)  # fmt: skip


def drop_roles():
    for database in (f"{ROLE}_restauree", ROLE, LOCAL_ROLE):
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    for role in (ROLE, LOCAL_ROLE):
        psql(f"DROP ROLE IF EXISTS {role}")


def say(message):
    print(f"readme: {message}", flush=True)


def fail(message):
    sys.exit(f"readme: ÉCHEC — {message}")


# --- reading the README ------------------------------------------------------------------


def fenced_commands(text):
    """(line number, heading, command) of every line of the ```bash blocks."""
    commands, heading, fence = [], "", None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if fence is None:
            if stripped.startswith("```"):
                fence = stripped[3:].strip()
            elif line.startswith("#") or re.match(r"^\*\*[^*]+\*\*", line):
                heading = re.sub(r"[#*]", "", line).strip()[:60]
            continue
        if stripped.startswith("```"):
            fence = None
            continue
        if fence == "bash" and stripped and not stripped.startswith("#"):
            commands.append((number, heading, stripped))
    return commands


def named_commands(text):
    """The ``manage.py`` commands and the script paths the README names in its text."""
    outside = re.sub(r"```.*?```", "", text, flags=re.S)
    spans = re.findall(r"`([^`\n]+)`", outside)
    manage = [s for s in spans if re.match(r"^(\.venv/bin/python |python )?manage\.py \w", s)]
    paths = [s for s in spans if re.fullmatch(r"(benchmarks|tools|deploy|fixtures|\.ci)/[\w./@-]+", s)]
    return manage, paths


def without_comment(command):
    return re.split(r"\s+#\s", command, maxsplit=1)[0].strip()


# --- helpers ---------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command, env, cwd=ROOT, timeout=900):
    say(f"$ {command}")
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, timeout=timeout, check=False)
    if done.returncode:
        fail(f"la commande a échoué ({done.returncode}) : {command}")


def psql(sql, database="postgres"):
    done = subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-qtAX", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        fail(f"psql : {done.stderr.strip()}")
    return done.stdout.strip()


def wait_for(url, seconds=180, process=None, **headers):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            fail(f"le serveur s'est arrêté ({process.returncode}) avant de répondre à {url}")
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as answer:
                return answer.status
        except Exception as error:  # noqa: BLE001 - not up yet
            last = error
            time.sleep(0.5)
    fail(f"{url} ne répond pas après {seconds} s ({last})")


def start(command, env, log):
    say(f"$ {command}   (en arrière-plan, journal {log})")
    return subprocess.Popen(
        ["bash", "-c", command],
        cwd=ROOT,
        env=env,
        stdout=open(log, "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def local_env():
    """This machine's environment without the project's variables: a new user's shell."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "DIRECTORY_", "JOBS_", "ANNUAIRE_"))
    }


def login(base, username, password):
    """Logs in on the served admin; True when the admin's index is reached."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/admin/login/", timeout=20).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(f"{base}/admin/login/", data=data, headers={"Referer": f"{base}/admin/login/"})
    answer = opener.open(request, timeout=20)
    return answer.geturl().rstrip("/").endswith("/admin") and "logout" in answer.read().decode()


def live_nginx(site, folder, upstream_port, http_port, https_port, only_site=False):
    """deploy/nginx/annuaire.conf (paths already those of this machine) made runnable by a
    user on free ports: the same server blocks, ports moved, IPv6 listens dropped (not on
    every CI machine). ``only_site``: the site answers any name (a load generator connects
    to 127.0.0.1 and sends ``Host`` itself). Returns the main configuration's path."""
    site = re.sub(r"^\s*listen \[::\].*$", "", site, flags=re.M)
    if only_site:
        site = re.sub(r"server \{[^{}]*ssl_reject_handshake on;[^{}]*\}", "", site, count=1)
        site = site.replace("listen 443 ssl http2;", "listen 443 ssl http2 default_server;")
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
    site = re.sub(r"listen 443\b", f"listen {https_port}", site)
    site = re.sub(r"listen 80\b", f"listen {http_port}", site)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;\n"
        f"  include {folder}/site.conf;\n}}\n"
    )
    return main


# --- the local part --------------------------------------------------------------------------


class Local:
    def __init__(self, work):
        self.work = work
        self.server = None
        self.port = None
        self.password = "essai-readme-" + os.urandom(6).hex()
        self.env = {**local_env(), "PYTHONUNBUFFERED": "1"}

    def make_run(self, command):
        database = re.match(r"^DATABASE_URL=(\S+) ", command)
        self.stop()
        self.port = free_port()
        env = {**self.env, "PORT": str(self.port)}
        self.log = self.work / f"make-run-{self.port}.log"
        self.server = start(command, env, self.log)
        wait_for(f"http://127.0.0.1:{self.port}/", process=self.server)
        say(f"le site répond sur le port {self.port}" + (" (base de DATABASE_URL)" if database else ""))

    def staff(self, command):
        if self.server is None:
            fail(f"« {command} » : make run devait servir le site")
        env = {**self.env, "DJANGO_STAFF_PASSWORD": self.password}
        run(command, env)
        username = re.search(r"(?:IDENTIFIANT=|create_staff )(\w+)", command).group(1)
        if not login(f"http://127.0.0.1:{self.port}", username, self.password):
            fail(f"le compte « {username} » ne se connecte pas au site que make run sert : pas la même base ?")
        starts = self.log.read_text().count("Starting development server")
        if starts != 1:
            fail(f"le site de make run a redémarré pendant « {command} » ({starts} démarrages)")
        say(f"« {username} » se connecte au site servi ; le site n'a pas redémarré")

    def stop(self):
        if self.server is not None:
            stop(self.server)
            self.server = None


# --- the production rehearsal ----------------------------------------------------------------


class Rehearsal:
    def __init__(self, work):
        self.work = work / "production"
        self.work.mkdir()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "ANNUAIRE_ENV": str(self.work / "etc/annuaire/env"),
        }
        self.stamp = None
        self.processes = []

    def substitute(self, text):
        text = text.replace("/srv/annuaire", str(ROOT))
        text = re.sub(r"(?<![\w.])/(etc|var)/", lambda m: f"{self.work}/{m.group(1)}/", text)
        text = text.replace("runuser -u annuaire -- ", "")
        text = re.sub(r" -o (root|annuaire) -g annuaire", "", text)
        text = text.replace("MOT_DE_PASSE_DE_LA_BASE", PASSWORD)
        text = text.replace("CREATE ROLE annuaire ", f"CREATE ROLE {ROLE} ")
        text = text.replace("--owner annuaire annuaire_restauree", f"--owner {ROLE} {ROLE}_restauree")
        text = re.sub(r"--owner annuaire annuaire\b", f"--owner {ROLE} {ROLE}", text)
        text = text.replace(":5432/annuaire_restauree", f":5432/{ROLE}_restauree")
        text = text.replace("postgres://annuaire:", f"postgres://{ROLE}:")
        text = re.sub(r":5432/annuaire\b", f":5432/{ROLE}", text)
        if self.stamp:
            text = text.replace("AAAA-MM-JJ-HHMMSS", self.stamp)
        return text

    def prepare(self):
        drop_roles()
        for folder in ("etc/systemd/system", "etc/redis", "etc/nginx/sites-available", "etc/nginx/sites-enabled", "var/www/html"):
            (self.work / folder).mkdir(parents=True, exist_ok=True)
        (self.work / "etc/redis/redis.conf").write_text("# la configuration de Debian\n")
        (self.work / "etc/nginx/sites-enabled/default").write_text("# le site par défaut de Debian\n")

    def fill_environment(self, path):
        """« remplacez chaque valeur d'exemple »: what the IT person does after `install`."""
        text = path.read_text()
        values = {
            "DATABASE_URL": f"postgres://{ROLE}:{PASSWORD}@127.0.0.1:5432/{ROLE}",
            "DJANGO_SECRET_KEY": os.urandom(40).hex(),
            "REDIS_URL": "redis://127.0.0.1:6379/9",
            "DJANGO_EMAIL_PASSWORD": os.urandom(8).hex(),
            "DJANGO_EMAIL_HOST": "127.0.0.1",
        }
        for name, value in values.items():
            text, count = re.subn(rf"^{name}=.*$", f"{name}={value}", text, flags=re.M)
            if not count:
                fail(f"deploy/env.example n'a pas {name}")
        path.write_text(self.substitute(text))
        say(f"environnement rempli comme le README le demande : {', '.join(values)}")

    def environment(self):
        """The site's environment, as deploy/env.sh reads it."""
        done = subprocess.run(
            ["bash", "-c", 'set -a; . "$ANNUAIRE_ENV"; env -0'], env=self.env, capture_output=True, check=True
        )
        return dict(item.split("=", 1) for item in done.stdout.decode().split("\0") if "=" in item)

    def self_signed(self):
        folder = self.work / "etc/letsencrypt/live/annuaire.example.org"
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
             "/CN=annuaire.example.org", "-keyout", folder / "privkey.pem", "-out", folder / "fullchain.pem"],
            check=True, capture_output=True,
        )  # fmt: skip

    def rewrite_copies(self, folder):
        for path in Path(folder).iterdir():
            if path.is_file():
                path.write_text(self.substitute(path.read_text()))

    def redis_conf(self, command):
        """The two lines appended to redis.conf: a Redis of its own reads them."""
        lines = re.search(r"printf '([^']*)'", command).group(1).encode().decode("unicode_escape")
        port = free_port()
        conf = self.work / "redis-essai.conf"
        conf.write_text(lines + f"port {port}\nbind 127.0.0.1\nsave \"\"\nappendonly no\ndaemonize no\n")
        server = subprocess.Popen(["redis-server", str(conf)], stdout=subprocess.DEVNULL)
        try:
            for _ in range(100):
                done = subprocess.run(
                    ["redis-cli", "-p", str(port), "config", "get", "maxmemory-policy"], capture_output=True, text=True
                )
                if done.returncode == 0 and "allkeys-lru" in done.stdout:
                    break
                time.sleep(0.1)
            else:
                fail("Redis ne lit pas maxmemory-policy allkeys-lru des lignes du README")
            memory = subprocess.run(
                ["redis-cli", "-p", str(port), "config", "get", "maxmemory"], capture_output=True, text=True
            ).stdout.split()
            if memory[-1] in {"", "0"}:
                fail("Redis ne lit pas la limite de mémoire du README")
        finally:
            server.terminate()
            server.wait()
        say(f"un Redis lancé avec ces lignes a maxmemory {memory[-1]} octets, allkeys-lru")

    def nginx_test(self):
        main = self.work / "etc/nginx/nginx.conf"
        main.write_text(
            f"pid {self.work}/nginx.pid;\nerror_log {self.work}/nginx-error.log;\nevents {{}}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
            f"  include {self.work}/etc/nginx/sites-enabled/*;\n}}\n"
        )
        run(f"nginx -t -q -c {main}", self.env)
        say("nginx -t : le site nginx du README est valide")

    def serve(self):
        """gunicorn as annuaire-web.service starts it, nginx as the README installs it, and
        requests through TLS."""
        unit = (self.work / "etc/systemd/system/annuaire-web.service").read_text()
        command = re.search(r"^ExecStart=(.+)$", unit, re.M).group(1)
        gunicorn_port, http_port, https_port = free_port(), free_port(), free_port()
        command = command.replace("127.0.0.1:8000", f"127.0.0.1:{gunicorn_port}").replace("--workers 4", "--workers 2")
        env = {**self.env, **self.environment()}
        self.processes.append(start(command, env, self.work / "gunicorn.log"))
        site = (self.work / "etc/nginx/sites-enabled/annuaire").read_text()
        live = live_nginx(site, self.work / "nginx-live", gunicorn_port, http_port, https_port)
        self.processes.append(start(f"nginx -c {live}", self.env, live.parent / "nginx.log"))
        wait_for(f"http://127.0.0.1:{gunicorn_port}/sante/", process=self.processes[0],
                 Host="annuaire.example.org", **{"X-Forwarded-Proto": "https"})  # fmt: skip

        def curl(url, *options):
            name = "evil.example" if "evil.example" in url else "annuaire.example.org"
            port = https_port if url.startswith("https") else http_port
            done = subprocess.run(
                ["curl", "-ksS", "-o", "/dev/null", "-D", "-", "--max-time", "20",
                 "--resolve", f"{name}:{port}:127.0.0.1", url.replace("PORT", str(port)), *options],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            return done

        def status(done):
            first = done.stdout.splitlines()[0] if done.stdout else ""
            return int(first.split()[1]) if first.startswith("HTTP/") else done.stderr.strip()

        sante = curl("https://annuaire.example.org:PORT/sante/")
        if status(sante) != 200:
            fail(f"/sante/ à travers nginx : {sante.stdout or sante.stderr}")
        home = curl("https://annuaire.example.org:PORT/")
        if status(home) != 200 or "strict-transport-security" not in home.stdout.lower():
            fail(f"l'accueil à travers nginx (200 et HSTS attendus) : {home.stdout}")
        plain = curl("http://annuaire.example.org:PORT/acteurs/")
        if status(plain) != 301 or "location: https://annuaire.example.org/acteurs/" not in plain.stdout.lower():
            fail(f"HTTP doit rediriger vers HTTPS : {plain.stdout}")
        css = re.search(r'href="(/static/[^"]+\.css)"', urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{gunicorn_port}/", headers={"Host": "annuaire.example.org", "X-Forwarded-Proto": "https"}),
            timeout=20).read().decode()).group(1)  # fmt: skip
        static = curl(f"https://annuaire.example.org:PORT{css}")
        if status(static) != 200 or "immutable" not in static.stdout:
            fail(f"{css} servi par nginx : {static.stdout}")
        manifest = curl("https://annuaire.example.org:PORT/static/staticfiles.json")
        if status(manifest) != 404:
            fail("/static/staticfiles.json ne doit pas être public")
        other = curl("https://evil.example:PORT/")
        if other.returncode == 0:
            fail("un autre nom que celui du site doit être refusé par nginx")
        say("nginx + gunicorn : /sante/ et l'accueil en HTTPS (HSTS), HTTP redirigé, statiques servis "
            "par nginx (immutable), manifeste caché, un autre nom refusé")  # fmt: skip
        for process in reversed(self.processes):
            stop(process)
        self.processes.clear()

    def seed_media(self):
        media = self.work / "var/lib/annuaire/media/logos"
        media.mkdir(parents=True, exist_ok=True)
        (media / "essai-readme.webp").write_bytes(os.urandom(2048))

    def after_backup(self):
        dumps = sorted((self.work / "var/backups/annuaire").glob("annuaire-*.dump"))
        if not dumps:
            fail("deploy/backup n'a rien écrit")
        self.stamp = dumps[-1].name.removeprefix("annuaire-").removesuffix(".dump")

    def compare_restored(self):
        import psycopg

        def counts(database):
            url = f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:5432/{database}"
            with psycopg.connect(url) as connection:
                tables = [row[0] for row in connection.execute(
                    "select tablename from pg_tables where schemaname = 'public' order by 1")]  # fmt: skip
                return {t: connection.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}

        before, after = counts(ROLE), counts(f"{ROLE}_restauree")
        if before != after:
            differ = {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}
            fail(f"la base restaurée diffère (table : avant, après) : {differ}")
        source, restored = self.work / "var/lib/annuaire/media", self.work / "var/lib/annuaire/media-restaurees"

        def files(folder):
            return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

        if not files(source) or files(source) != files(restored):
            fail("les fichiers restaurés diffèrent des fichiers sauvegardés")
        rows = sum(before.values())
        say(f"restauration : {len(before)} tables, {rows} lignes, les mêmes ; {len(files(source))} fichier(s), les mêmes")

    def cleanup(self):
        for process in self.processes:
            stop(process)


HELPS = {}


def help_of(name):
    """``manage.py <name> --help`` (wide), once per command for both checks below; None
    when the command does not exist (its error in ``HELPS[name + ":erreur"]``)."""
    if name not in HELPS:
        env = {**local_env(), "DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
               "COLUMNS": "200"}  # fmt: skip
        done = subprocess.run([str(PY), "manage.py", name, "--help"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        HELPS[name] = done.stdout if done.returncode == 0 else None
        HELPS[name + ":erreur"] = done.stderr.strip()[-300:]
    return HELPS[name]


# --- the named commands ------------------------------------------------------------------------


def check_named(text):
    manage, paths = named_commands(text)
    for path in paths:
        if not (ROOT / path.split()[0]).exists():
            fail(f"le README nomme {path}, qui n'existe pas")
    names = set()
    for span in manage:
        words = shlex.split(re.sub(r"^.*?manage\.py ", "", span).replace("…", ""))
        name = words[0]
        names.add(name)
        output = help_of(name)
        if output is None:
            fail(f"le README nomme « manage.py {name} », qui n'existe pas : {HELPS[name + ':erreur']}")
        for option in (w.split("=")[0] for w in words[1:] if w.startswith("--")):
            if option not in output:
                fail(f"le README écrit « {span} » : {name} n'a pas l'option {option}")
    say(f"{len(names)} commandes de gestion nommées dans le texte existent avec leurs options ; {len(paths)} chemins existent")


GENERIC_OPTIONS = {"--help", "--version", "--settings", "--pythonpath", "--traceback", "--no-color",
                   "--force-color", "--skip-checks", "--verbosity"}  # fmt: skip
INTERNAL_TARGETS = {"port-free", "install", "install-test"}  # steps of the others
INTERNAL_VARIABLES = {"DIRECTORY_LOCAL_ENV"}  # set by manage.py itself (common/localenv.py)


def check_documented(text):
    """Every command of the project, with each of its options, has its row in « Toutes les
    commandes »; every target of the Makefile is named."""
    names = sorted(p.stem for p in ROOT.glob("*/management/commands/*.py") if p.stem != "__init__")
    for name in names:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{name}`")), None)
        if row is None:
            fail(f"la commande « {name} » n'a pas sa ligne dans « Toutes les commandes » du README")
        output = help_of(name)
        if output is None:
            fail(f"« manage.py {name} --help » échoue : {HELPS[name + ':erreur']}")
        sections = output.split("\n\n")
        options = set(re.findall(r"^  (--[a-z][\w-]*)", output, re.M)) - GENERIC_OPTIONS
        positional = next((part for part in sections if part.startswith("positional arguments:")), "")
        options |= set(re.findall(r"^  (\w+)\b", positional, re.M))
        missing = sorted(option for option in options if f"`{option}`" not in row)
        if missing:
            fail(f"la ligne de « {name} » dans « Toutes les commandes » ne dit rien de {', '.join(missing)}")
    settings = (ROOT / "cress" / "settings.py").read_text()
    variables = set(re.findall(r'(?:environ\.get|env_\w+)\(\s*"([A-Z][A-Z0-9_]+)"', settings)) - INTERNAL_VARIABLES
    table = text[text.index("## Configuration"):]
    table = table[: table.index("\n## ", 3)]
    undocumented = sorted(name for name in variables if f"`{name}`" not in table)
    if undocumented:
        fail(f"variables lues par cress/settings.py absentes de la table « Configuration » : {', '.join(undocumented)}")
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()) - INTERNAL_TARGETS
    for target in sorted(targets):
        if f"`make {target}" not in text:
            fail(f"la cible « make {target} » du Makefile n'est pas dans le README")
    say(f"{len(names)} commandes du projet et leurs options, {len(targets)} cibles du Makefile, "
        f"{len(variables)} variables d'environnement : toutes dans le README")


# --- main --------------------------------------------------------------------------------------


def classify(command):
    for pattern, reason in SKIPPED:
        if re.search(pattern, command):
            return "skip", reason
    return "run", ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="montrer, sans rien lancer")
    options = parser.parse_args()
    text = README.read_text()
    commands = fenced_commands(text)
    production_from = next(i for i, line in enumerate(text.splitlines(), 1) if line == "## Production")
    if options.list:
        for number, heading, command in commands:
            action, reason = classify(without_comment(command))
            print(f"{number:4} [{heading}] {'SAUTÉE' if action == 'skip' else 'lancée'} : {command}"
                  + (f"\n       ({reason})" if reason else ""))  # fmt: skip
        return
    if os.geteuid() != 0:
        fail("à lancer en root (les commandes de production du README le sont)")
    for tool in ("nginx", "openssl", "curl", "systemd-analyze", "runuser", "redis-server", "pg_dump", "pg_restore"):
        if not shutil.which(tool):
            fail(f"{tool} manque sur cette machine")
    local_file = ROOT / "local.env"
    kept = local_file.read_bytes() if local_file.exists() else None
    work = Path(tempfile.mkdtemp(prefix="readme-check-"))
    local, rehearsal = Local(work), Rehearsal(work)
    skipped = ran = 0
    started = time.monotonic()
    try:
        check_named(text)
        check_documented(text)
        rehearsal.prepare()
        for number, heading, raw in commands:
            command = without_comment(raw)
            action, reason = classify(command)
            command = rehearsal.substitute(command) if number > production_from else local_substitute(command)
            if re.match(r"^(DATABASE_URL=\S+ )?make run\b", command):
                local.make_run(command)
                ran += 1
                continue
            if re.match(r"^(make staff|\.venv/bin/python manage\.py create_staff) ", command):
                local.staff(command)
                ran += 1
                continue
            if command.startswith("certbot "):
                rehearsal.self_signed()
            if command.startswith("printf ") and "redis.conf" in command:
                rehearsal.redis_conf(command)  # then `systemctl restart`: no systemd here
                ran += 1
                continue
            if command.startswith("nginx -t"):
                rehearsal.nginx_test()
                rehearsal.serve()
                ran += 1
                continue
            if action == "skip":
                say(f"sautée (ligne {number}, « {heading} ») : {raw}\n        raison : {reason}")
                skipped += 1
                continue
            local.stop()  # the production part runs on its own
            if "deploy/backup" in command:
                rehearsal.seed_media()
            if command.startswith("systemd-analyze verify"):
                rehearsal.rewrite_copies(rehearsal.work / "etc/systemd/system")
            run(command, rehearsal.env if number > production_from else local.env)
            ran += 1
            if re.search(r"deploy/env\.example \S+/etc/annuaire/env$", command):
                rehearsal.fill_environment(rehearsal.work / "etc/annuaire/env")
            if command.startswith("cp deploy/nginx/"):
                rehearsal.rewrite_copies(rehearsal.work / "etc/nginx/sites-available")
            if "deploy/backup" in command:
                rehearsal.after_backup()
            if "deploy/restore" in command:
                rehearsal.compare_restored()
    finally:
        local.stop()
        rehearsal.cleanup()
        drop_roles()
        if kept is None:
            local_file.unlink(missing_ok=True)
        else:
            local_file.write_bytes(kept)
        shutil.rmtree(work, ignore_errors=True)
    say(f"README : {ran} commandes lancées, {skipped} sautées (raisons ci-dessus), en {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
