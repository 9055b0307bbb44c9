"""Reads plancheck's CI reports with the tools their consumers use, and fails on disagreement.

Usage: check.py OUT_DIR. OUT_DIR holds, for each run NAME, NAME.status (the exit code),
NAME.md (Markdown job summary), NAME.xml (JUnit), NAME.json (JSON report) and, if the SARIF
log was validated, NAME.validation.sarif (sarif-multitool's findings on it, GitHub rule set).
"""

import json
import pathlib
import sys

from junitparser import Error, Failure, JUnitXml, Skipped
from markdown_it import MarkdownIt

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def check_markdown(name, text, report):
    """markdown-it (CommonMark + GFM tables, as GitHub renders): one table row per failing
    result, no raw HTML but the <details> sections and the <br> breaks plancheck writes."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    failing = [r for r in report["results"] if r["verdict"] in
               ("behind", "overdue", "unmet", "missing", "invalid")]
    shown = text.count("\n| ❌ |") + text.count("\n| ⚠️ |")
    if "另有" not in text:
        rows = sum(1 for t in tokens if t.type == "tr_open")
        # The header rows of the three tables, then one row per unit, task and failing result.
        check(shown == len(failing), f"{name}.md: {shown} failing rows, {len(failing)} failing results")
        check(rows >= shown, f"{name}.md: markdown-it sees {rows} rows, fewer than {shown}")
    for token in tokens:
        for child in token.children or []:
            if child.type == "html_inline":
                check(child.content in ("<br>",), f"{name}.md: raw HTML {child.content!r}")
        if token.type == "html_block":
            check(token.content.startswith(("<details>", "</details>")),
                  f"{name}.md: raw HTML block {token.content[:40]!r}")


def check_junit(name, path, status, report):
    """junitparser: a case is marked failed (failure or error) iff its finding fails the run,
    so the CI test view agrees with the exit code."""
    xml = JUnitXml.fromfile(str(path))
    failed = skipped = 0
    for suite in xml:
        for case in suite:
            kinds = {type(r) for r in case.result}
            failed += bool(kinds & {Failure, Error})
            skipped += Skipped in kinds
    check((failed > 0) == (status != 0),
          f"{name}.xml: {failed} failed cases while the run exited {status}")
    check(report["summary"]["exit_code"] == status,
          f"{name}.json: exit_code {report['summary']['exit_code']}, process exited {status}")


def check_sarif_validation(name, path):
    log = json.loads(path.read_text(encoding="utf-8"))
    errors = [r for run in log["runs"] for r in run.get("results", [])
              if r.get("level", "warning") == "error"]
    for r in errors[:10]:
        problems.append(f"{name}.sarif: {r['ruleId']}: {r['message'].get('text', r['message'])}")
    check(not errors, f"{name}.sarif: sarif-multitool reports {len(errors)} errors")


def main():
    out = pathlib.Path(sys.argv[1])
    runs = sorted(p.stem for p in out.glob("*.status"))
    check(runs, f"no runs in {out}")
    for name in runs:
        status = int((out / f"{name}.status").read_text())
        report = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        check_markdown(name, (out / f"{name}.md").read_text(encoding="utf-8"), report)
        check_junit(name, out / f"{name}.xml", status, report)
        validation = out / f"{name}.validation.sarif"
        if validation.exists():
            check_sarif_validation(name, validation)
        print(f"{name}: exit {status}, reports read by markdown-it-py, junitparser"
              + (", sarif-multitool" if validation.exists() else ""))
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)


main()
