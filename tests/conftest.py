"""With `ACESTEP_NB_NO_SKIP=1` (set by `.ci/run`) a skipped test is a failed test.

A check whose prerequisite is missing (reference cases, an audio codec, diffusers) says so with `pytest.skip(reason)`
or, in notebooks, `acestep_nb.core.skip_unless` (which raises under this variable). On CI nothing may be skipped:
each skip is reported as a failure naming its reason, and the run exits non-zero if any skip got through
(e.g. a whole module skipped at collection)."""
import os, pytest

def _no_skip() -> bool: return os.environ.get("ACESTEP_NB_NO_SKIP") == "1"

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    rep = (yield).get_result()
    if _no_skip() and rep.skipped and not hasattr(rep, "wasxfail"):
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.outcome = "failed"
        rep.longrepr = f"skipped, but ACESTEP_NB_NO_SKIP=1 forbids skipping: {reason}"

def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if _no_skip() and skipped:
        terminalreporter.write_line(f"ACESTEP_NB_NO_SKIP=1: {len(skipped)} skip(s) got through; failing the run", red=True)
        for rep in skipped: terminalreporter.write_line(f"  {rep.nodeid}: {rep.longrepr}")

def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if _no_skip() and reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

def pytest_collection_modifyitems(config, items):
    "Tests marked `slow` run only when ACESTEP_NB_TEST_FLAGS names `slow` (as `#| slow` notebook cells); otherwise deselected, not skipped"
    if "slow" in os.environ.get("ACESTEP_NB_TEST_FLAGS", "").split(): return
    slow = [i for i in items if i.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [i for i in items if not i.get_closest_marker("slow")]
