"""tools/readme_check.py reads the README's commands and rehearses the production runbook in
a folder of its own: it must find them all and never let one touch this machine's /etc, /var
or /srv (the check itself runs in .ci/run, as root)."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("readme_check", ROOT / "tools" / "readme_check.py")
readme_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(readme_check)


def production_commands():
    text = readme_check.README.read_text()
    start = next(i for i, line in enumerate(text.splitlines(), 1) if line == "## Production")
    return [command for number, _, command in readme_check.fenced_commands(text) if number > start]


def test_it_finds_the_two_commands_and_the_runbook():
    commands = [command for _, _, command in readme_check.fenced_commands(readme_check.README.read_text())]
    assert commands[0].startswith("make run") and commands[1].startswith("make test")
    runbook = production_commands()
    assert any(c.startswith("runuser -u annuaire -- deploy/manage check --deploy") for c in runbook)
    assert any("deploy/restore" in c for c in runbook) and any("deploy/backup" in c for c in runbook)


def test_the_rehearsal_never_touches_this_machine(tmp_path):
    rehearsal = readme_check.Rehearsal(tmp_path)
    for command in production_commands():
        action, _ = readme_check.classify(readme_check.without_comment(command))
        if action == "skip":
            continue
        rewritten = rehearsal.substitute(command)
        outside = re.findall(r"(?<![\w.-])/(?:etc|var|srv)/\S*", rewritten.replace(str(tmp_path), ""))
        assert not outside, f"{command!r} still names {outside}"
        assert "runuser -u annuaire" not in rewritten  # no such user on a CI machine
        # The machine's own role and database (the CI has an « annuaire » of its own) are never used.
        assert not re.search(r"CREATE ROLE annuaire |--owner annuaire |:5432/annuaire(?!_essai)", rewritten), rewritten


def test_a_skipped_command_always_says_why():
    for pattern, reason in readme_check.SKIPPED:
        assert re.compile(pattern) and len(reason) > 20
