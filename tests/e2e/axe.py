"""axe-core (npm, pinned in package-lock.json) run in Chromium, and the record of what it found."""

import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")

_audited = []


def audit(page, name):
    """axe's violations on the page as it is now, recorded for the summary."""
    assert AXE_SCRIPT.exists(), "axe-core is missing: run `npm ci` (make test does)"
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    violations = [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in json.loads(result)
    ]
    _audited.append((name, violations))
    return violations


def blocking(violations):
    return [violation for violation in violations if violation["impact"] in BLOCKING]


def summary_lines():
    if not _audited:
        return []
    by_impact = Counter()
    for _, violations in _audited:
        by_impact.update(violation["impact"] for violation in violations)
    lines = [
        f"{len(_audited)} pages audited; violations by impact: "
        + ", ".join(f"{impact} {by_impact[impact]}" for impact in IMPACTS)
    ]
    for name, violations in _audited:
        if violations:
            found = ", ".join(f"{v['id']} ({v['impact']})" for v in violations)
            lines.append(f"  {name}: {found}")
    return lines
