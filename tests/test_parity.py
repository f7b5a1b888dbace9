"The shipped parity runner, run as users run it, on the shared reference cases."
from pathlib import Path
import json, subprocess, sys, pytest

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

def test_parity_runner_passes_pipeline_assembly_cases():
    "pipeline-tiny: a whole checkpoint root; every tensor the official handler builds, down to the final latents"
    ref = REFS/"pipeline-tiny"
    if not ref.exists(): pytest.skip(f"reference cases not found at {ref}")
    p = run_runner(ref)
    print(p.stdout, p.stderr)
    assert p.returncode == 0, p.stdout + p.stderr
    lines = [l for l in p.stdout.splitlines() if l.startswith(("PASS", "FAIL", "UNSUPPORTED"))]
    assert len(lines) >= 8 and all(l.startswith("PASS") for l in lines), p.stdout

def test_parity_runner_prompt_cases():
    "prompts: every dit_prompts case (strings and token ids) passes; lm_prompt cases pass through the planner"
    import importlib.util
    ref = REFS/"prompts"
    if not ref.exists(): pytest.skip(f"reference cases not found at {ref}")
    p = run_runner(ref)
    print(p.stdout, p.stderr)
    cases = json.loads((ref/"cases.json").read_text())["cases"]
    lines = {l.split()[1]: l.split()[0] for l in p.stdout.splitlines() if l.startswith(("PASS", "FAIL", "UNSUPPORTED"))}
    has_planner = importlib.util.find_spec("acestep_nb.planner") is not None
    for c in cases:   # without the planner, lm_prompt cases are reported as not supported, never as passed
        want = "PASS" if c["kind"] == "dit_prompts" or has_planner else "UNSUPPORTED"
        assert lines.get(c["name"]) == want, (c["name"], lines.get(c["name"]), p.stdout)
    assert (p.returncode == 0) == all(v == "PASS" for v in lines.values()), p.stdout

def test_assembly_runner_fails_on_unknown_entry(tmp_path):
    import json, shutil
    ref = REFS/"pipeline-tiny"
    if not ref.exists(): pytest.skip(f"reference cases not found at {ref}")
    for f in ref.iterdir():
        if f.name != "cases.json": (shutil.copytree if f.is_dir() else shutil.copy)(f, tmp_path/f.name)
    cases = json.loads((ref/"cases.json").read_text())
    first = cases["cases"][0]
    cases["cases"] = [dict(first, name="extra", expected=dict(first["expected"], **{"batch.tempo_map": [1, 2]})),
                      dict(first, name="odd_arg", params=dict(first["params"], mood="happy"))]
    (tmp_path/"cases.json").write_text(json.dumps(cases))
    p = run_runner(tmp_path)
    assert p.returncode != 0, p.stdout
    assert "FAIL extra unknown expected entry 'batch.tempo_map'" in p.stdout, p.stdout
    assert "FAIL odd_arg ValueError: unknown official argument(s): ['mood']" in p.stdout, p.stdout
