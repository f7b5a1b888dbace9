"""The panels in a real browser (slow; needs Chromium, npm and the `browser` extra): see tests/browser/check_panels.py.

Run with  ACESTEP_NB_TEST_FLAGS=slow pytest -q -p no:cacheprovider tests/test_browser.py
"""
import os, sys
from pathlib import Path
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "browser"))
import check_panels   # noqa: E402

pytestmark = pytest.mark.slow   # deselected unless ACESTEP_NB_TEST_FLAGS=slow (tests/conftest.py)

def test_studio_tutorial_renders_in_chromium_without_javascript_errors(tmp_path):
    if missing := check_panels.missing_prerequisites(): pytest.skip("needs " + "; ".join(missing))
    report = check_panels.check(HERE.parent / "tutorials" / "04_studio.ipynb", tmp_path)
    drawn = report["drawn"]
    assert {"Generate", "Stop", "repaint selection"} <= set(drawn["buttons"])
    assert drawn["audio"] >= 2 and drawn["images"] >= 3
    assert not [c for c in report["console"] if c.startswith("error")] and not report["page_errors"]
    assert Path(report["screenshot"]).stat().st_size > 10_000
