# Sourced by deploy/manage, deploy/backup and deploy/restore: the site's environment
# (ANNUAIRE_ENV, default /etc/annuaire/env), where a variable given on the command line wins
# (`env DATABASE_URL=… deploy/restore …` restores into another database). Under systemd the
# unit's EnvironmentFile has already set everything; the file is then read again, harmlessly.
env_file=${ANNUAIRE_ENV:-/etc/annuaire/env}
if [ -r "$env_file" ]; then
    given=$(export -p)
    set -a
    . "$env_file"
    set +a
    eval "$given"
elif [ -z "${DATABASE_URL:-}" ]; then
    echo "Environnement du site illisible : $env_file (copiez deploy/env.example, voir le README)" >&2
    exit 1
fi
