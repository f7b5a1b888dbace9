"The shipped parity runner, run as users run it, on the shared reference cases."
from pathlib import Path
import subprocess, sys, pytest

REFS = Path(__file__).resolve().parents[2]/"shared"/"reference"
REF = REFS/"dit-tiny"

def run_runner(*dirs):
    return subprocess.run([sys.executable, "-m", "acestep_nb.parity", *map(str, dirs)],
                          capture_output=True, text=True, timeout=600)

# dit-tiny: the February 2026 samplers (no `code`: DCW off); dit-tiny-current: June 2026 (`code: "2026-06"`, DCW on by default)
@pytest.mark.parametrize("name", ["dit-tiny", "dit-tiny-current"])
def test_parity_runner_passes_reference_cases(name):
    ref = REFS/name
    if not ref.exists(): pytest.skip(f"reference cases not found at {ref}")
    p = run_runner(ref)
    print(p.stdout, p.stderr)
    assert p.returncode == 0, p.stdout + p.stderr
    lines = [l for l in p.stdout.splitlines() if l.startswith(("PASS", "FAIL"))]
    assert lines and all(l.startswith("PASS") for l in lines), p.stdout
    assert any(l.startswith("PASS generate.") for l in lines)
    if name == "dit-tiny-current": assert sum(l.startswith("PASS generate.") and "dcw" in l for l in lines) >= 5

def test_parity_runner_fails_on_unknown_kind(tmp_path):
    import json, shutil
    if not REF.exists(): pytest.skip(f"reference cases not found at {REF}")
    for f in ("config.json", "model.safetensors", "cases.safetensors"): shutil.copy(REF/f, tmp_path/f)
    cases = json.loads((REF/"cases.json").read_text())
    cases["cases"] = cases["cases"][:1] + [dict(cases["cases"][0], name="odd", kind="mystery")]
    (tmp_path/"cases.json").write_text(json.dumps(cases))
    p = run_runner(tmp_path)
    assert p.returncode != 0 and "FAIL odd unknown kind" in p.stdout, p.stdout + p.stderr

def test_parity_runner_fails_on_unknown_sampler_code(tmp_path):
    import json, shutil
    ref = REFS/"dit-tiny-current"
    if not ref.exists(): pytest.skip(f"reference cases not found at {ref}")
    for f in ("config.json", "model.safetensors", "cases.safetensors"): shutil.copy(ref/f, tmp_path/f)
    cases = json.loads((ref/"cases.json").read_text())
    first = cases["cases"][0]
    cases["cases"] = [dict(first, name="future", params=dict(first["params"], code="2030-01"))]
    (tmp_path/"cases.json").write_text(json.dumps(cases))
    p = run_runner(tmp_path)
    assert p.returncode != 0 and "FAIL future ValueError: unknown `code` '2030-01'" in p.stdout, p.stdout + p.stderr
