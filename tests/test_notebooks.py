"Run every notebook in `nbs/` and `tutorials/` as one pytest test each, through nbdev's `test_nb`."
from pathlib import Path
import os, pytest
import nbdev.test as nbtest   # not `from ... import test_nb`: pytest would collect it as a test

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for d in ("nbs", "tutorials") for p in (ROOT/d).glob("*.ipynb") if not p.name.startswith("_"))
# Cells marked `#| slow` or `#| gpu` are skipped unless named here, e.g. ACESTEP_NB_TEST_FLAGS="slow"
RUN_FLAGS = os.environ.get("ACESTEP_NB_TEST_FLAGS", "").split()
SKIP_FLAGS = [f for f in ("slow", "gpu") if f not in RUN_FLAGS]

@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[f"{p.parent.name}/{p.name}" for p in NOTEBOOKS])
def test_notebook(nb):
    ok, secs = nbtest.test_nb(nb, skip_flags=SKIP_FLAGS, basepath=ROOT)
    assert ok, f"{nb.relative_to(ROOT)} failed (its traceback is printed above)"
