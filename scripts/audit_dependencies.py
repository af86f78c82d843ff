"""Check the installed (pinned) dependencies for known vulnerabilities, and say honestly what was checked.

pip-audit prints "No known vulnerabilities found" and exits 0 even when it could reach no
vulnerability data at all (every package "could not be audited"). This wrapper reads its JSON
report instead and says how many packages were audited, how many were skipped and why, and
which known vulnerabilities were found. Exit status: 1 if any vulnerability was found; 2 if
nothing could be audited and ``--require`` was given; 0 otherwise (a run that could audit nothing
says NOT AUDITED in capitals, never "clean").

Usage: python scripts/audit_dependencies.py [--require] [--pip-audit PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def run_pip_audit(executable: str) -> dict:
    command = [executable, "--local", "--format", "json", "--progress-spinner", "off", "--timeout", "15"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)  # noqa: S603 - our own tool
    if not result.stdout.strip():
        raise SystemExit(f"pip-audit gave no report (exit {result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def summarise(report: dict) -> tuple[list[str], list[str], list[str]]:
    """(audited package names, skip reasons, vulnerability lines) from pip-audit's JSON report."""
    audited, skipped, vulnerable = [], [], []
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped.append(dependency["skip_reason"])
            continue
        audited.append(dependency["name"])
        for vulnerability in dependency.get("vulns", []):
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version yet"
            vulnerable.append(
                f"{dependency['name']} {dependency.get('version', '')}: {vulnerability['id']} (fixed in: {fixes})"
            )
    return audited, skipped, vulnerable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--require", action="store_true", help="fail when no package could be audited")
    parser.add_argument("--pip-audit", default=str(Path(sys.executable).with_name("pip-audit")))
    args = parser.parse_args(argv)
    audited, skipped, vulnerable = summarise(run_pip_audit(args.pip_audit))
    total = len(audited) + len(skipped)
    print(f"Dependency audit: {len(audited)} of {total} packages audited, {len(skipped)} skipped.")
    for reason in skipped[:5]:
        print(f"  skipped: {reason}")
    if len(skipped) > 5:
        print(f"  ... and {len(skipped) - 5} more skipped")
    if vulnerable:
        print("KNOWN VULNERABILITIES (see README, 'When a dependency has a known vulnerability'):")
        for line in vulnerable:
            print(f"  {line}")
        return 1
    if not audited:
        print("NOT AUDITED: the vulnerability data could not be reached from this machine. This is not a clean audit.")
        return 2 if args.require else 0
    print(f"No known vulnerabilities in the {len(audited)} packages audited.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
