"The CI rule: with ACESTEP_NB_NO_SKIP=1 a skip fails the run; without it, a skip is only reported"
from pathlib import Path
import pytest

pytest_plugins = ["pytester"]
CONFTEST = (Path(__file__).parent / "conftest.py").read_text()
SKIPPING = """
import pytest
def test_needs_reference(): pytest.skip("reference cases not found")
def test_fine(): pass
"""

def run(pytester, monkeypatch, no_skip:str):
    monkeypatch.setenv("ACESTEP_NB_NO_SKIP", no_skip)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_example=SKIPPING)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider")

def test_skip_fails_on_ci(pytester, monkeypatch):
    res = run(pytester, monkeypatch, "1")
    res.assert_outcomes(passed=1, failed=1)
    res.stdout.fnmatch_lines(["*ACESTEP_NB_NO_SKIP=1 forbids skipping*reference cases not found*"])
    assert res.ret != 0

def test_module_skip_fails_on_ci(pytester, monkeypatch):
    monkeypatch.setenv("ACESTEP_NB_NO_SKIP", "1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_mod="import pytest\npytest.importorskip('no_such_module_xyz')\ndef test_x(): pass\n")
    res = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    res.stdout.fnmatch_lines(["*skip(s) got through*"])
    assert res.ret != 0

def test_skip_is_reported_elsewhere(pytester, monkeypatch):
    res = run(pytester, monkeypatch, "")
    res.assert_outcomes(passed=1, skipped=1)
    assert res.ret == 0
