"The shipped parity runner, run as users run it, on the shared reference cases."
from pathlib import Path
import subprocess, sys, pytest

REF = Path(__file__).resolve().parents[2]/"shared"/"reference"/"dit-tiny"

@pytest.mark.skipif(not REF.exists(), reason=f"reference cases not found at {REF}")
def test_parity_runner_passes_reference_cases():
    p = subprocess.run([sys.executable, "-m", "acestep_nb.parity", str(REF)], capture_output=True, text=True, timeout=600)
    print(p.stdout, p.stderr)
    assert p.returncode == 0, p.stdout + p.stderr
    lines = [l for l in p.stdout.splitlines() if l.startswith(("PASS", "FAIL"))]
    assert lines and all(l.startswith("PASS") for l in lines), p.stdout
    assert any(l.startswith("PASS generate.") for l in lines)

def test_parity_runner_fails_on_unknown_kind(tmp_path):
    import json, shutil
    if not REF.exists(): pytest.skip(f"reference cases not found at {REF}")
    for f in ("config.json", "model.safetensors", "cases.safetensors"): shutil.copy(REF/f, tmp_path/f)
    cases = json.loads((REF/"cases.json").read_text())
    cases["cases"] = cases["cases"][:1] + [dict(cases["cases"][0], name="odd", kind="mystery")]
    (tmp_path/"cases.json").write_text(json.dumps(cases))
    p = subprocess.run([sys.executable, "-m", "acestep_nb.parity", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert p.returncode != 0 and "FAIL odd unknown kind" in p.stdout, p.stdout + p.stderr
