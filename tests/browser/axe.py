import pytest
from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
BLOCKING = ("serious", "critical")


def assert_accessible(page, context=None):
    """Fail the test on any axe violation of impact serious or critical on the current page."""
    results = _axe.run(page, context=context)  # context: a CSS selector string, e.g. "main"
    bad = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    if not bad:
        return
    lines = [f"{len(bad)} serious/critical axe violation(s) on {page.url}:"]
    for v in bad:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}  {v['helpUrl']}")
        for node in v["nodes"][:5]:
            target = " ".join(map(str, node["target"]))
            lines.append(f"    at {target}: {node['html'][:120]}")
    pytest.fail("\n".join(lines), pytrace=False)
