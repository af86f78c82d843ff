"""`make security`: the static scan fails on a high-severity finding, and the dependency audit
never calls a run that reached no vulnerability data clean."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BANDIT = Path(sys.executable).with_name("bandit")

_spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "scripts" / "audit_dependencies.py")
assert _spec and _spec.loader
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)


def _makefile_bandit_arguments() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if "bin/bandit" in line)
    return line.split("bandit", 1)[1].replace("$(BANDIT_PATHS)", "").replace("'", "").split()


def test_the_scan_as_make_runs_it_fails_on_a_high_severity_finding(tmp_path) -> None:
    arguments = _makefile_bandit_arguments()
    assert "--severity-level" in arguments and "high" in arguments
    (tmp_path / "unsafe.py").write_text(
        "import subprocess\n\n\ndef run(text):\n    subprocess.call(text, shell=True)\n"
    )
    found = subprocess.run([BANDIT, *arguments, str(tmp_path)], capture_output=True, text=True)  # noqa: S603
    assert found.returncode == 1
    assert "B602" in found.stdout
    (tmp_path / "unsafe.py").write_text("import subprocess\n\n\ndef run(name):\n    subprocess.call(['ls', name])\n")
    clean = subprocess.run([BANDIT, *arguments, str(tmp_path)], capture_output=True, text=True)  # noqa: S603
    assert clean.returncode == 0, clean.stdout


def test_the_projects_own_code_has_no_high_severity_finding() -> None:
    makefile = (ROOT / "Makefile").read_text()
    paths = re.search(r"^BANDIT_PATHS := (.+)$", makefile, re.MULTILINE)
    assert paths
    scan = subprocess.run(  # noqa: S603
        [BANDIT, *_makefile_bandit_arguments(), *paths.group(1).split()], cwd=ROOT, capture_output=True, text=True
    )
    assert scan.returncode == 0, scan.stdout


def test_a_report_with_vulnerabilities_fails_and_names_them(monkeypatch, capsys) -> None:
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.1", "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["5.2.2"]}]},
            {"name": "nh3", "version": "0.3.7", "vulns": []},
            {"name": "amqp", "skip_reason": "Dependency not found on PyPI and could not be audited: amqp (5.4.2)"},
        ]
    }
    monkeypatch.setattr(audit, "run_pip_audit", lambda executable: report)
    assert audit.main([]) == 1
    out = capsys.readouterr().out
    assert "2 of 3 packages audited, 1 skipped" in out
    assert "django 5.2.1: PYSEC-2026-1 (fixed in: 5.2.2)" in out


def test_a_run_that_reached_no_data_says_not_audited_never_clean(monkeypatch, capsys) -> None:
    report = {"dependencies": [{"name": "amqp", "skip_reason": "could not be audited: amqp (5.4.2)"}]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda executable: report)
    assert audit.main([]) == 0
    out = capsys.readouterr().out
    assert "NOT AUDITED" in out
    assert "No known vulnerabilities" not in out
    assert audit.main(["--require"]) == 2


def test_a_clean_audit_says_how_many_packages_it_covered(monkeypatch, capsys) -> None:
    report = {"dependencies": [{"name": "nh3", "version": "0.3.7", "vulns": []}]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda executable: report)
    assert audit.main([]) == 0
    assert "No known vulnerabilities in the 1 packages audited." in capsys.readouterr().out
