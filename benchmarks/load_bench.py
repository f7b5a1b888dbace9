"""Peak memory and time of loading a released-size DiT checkpoint (stored in bfloat16) on CPU.

    python benchmarks/load_bench.py [--folder DIR] [--configs bf16-fp32,bf16-bf16,...]

A released-size random 2B checkpoint is written once in bfloat16 (`AceStepDiT.random` -> `save_pretrained`, the
official layout; reused when `DIR/config.json` exists; `../shared/bench/bench_fixtures.py` writes the same
layout). Each configuration then loads it in a fresh process: `AceStepDiT.from_pretrained(DIR, dtype, "cpu", ...)`.
Measured in that process, after imports: seconds, peak RSS growth (the kernel's VmHWM, reset with
/proc/self/clear_refs; it counts mapped file pages too) and the final growth, against the target
peak growth <= final model size + largest tensor + 10 %.

Configurations: `bf16-fp32` and `bf16-bf16` (streaming, plain layers), `bf16-fp32-packed` (streaming, then
`pack_weights()` as `from_pretrained` does by default on CPU), and `eager-bf16-fp32`, the previous loader (whole
state dict read, then cast copies assigned) for comparison. The file is read once before the runs so that every
configuration finds it in the page cache.
"""
import argparse, json, re, subprocess, sys, time
from pathlib import Path

CONFIGS = {"bf16-fp32": ("float32", "stream", False), "bf16-bf16": ("bfloat16", "stream", False),
           "bf16-fp32-packed": ("float32", "stream", None), "eager-bf16-fp32": ("float32", "eager", False)}

def status_mb(field:str) -> float:
    return int(re.search(field + r":\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024

def child(folder:Path, name:str):
    "Load once in this process and print one JSON line"
    import torch
    from acestep_nb import AceStepDiT
    from acestep_nb.core import read_state_dict, load_strict, materialize_buffers, resolve_dtype
    from acestep_nb.config import AceStepConfig
    dtype, method, pack = CONFIGS[name]
    dtype = resolve_dtype(dtype, "cpu")
    Path("/proc/self/clear_refs").write_text("5")          # VmHWM := VmRSS
    base, t0 = status_mb("VmRSS"), time.perf_counter()
    if method == "stream": model = AceStepDiT.from_pretrained(folder, dtype=dtype, device="cpu", pack=pack)
    else:
        with torch.device("meta"): model = AceStepDiT(AceStepConfig.from_json(folder))
        load_strict(model, read_state_dict(folder), dtype, "cpu")
        materialize_buffers(model, "cpu", dtype)
    seconds = time.perf_counter() - t0
    peak, final = status_mb("VmHWM") - base, status_mb("VmRSS") - base   # before state_dict(): packed layers
    sd = model.state_dict()                                              # build dense copies there
    model_mb = sum(v.numel() * v.element_size() for v in sd.values()) / 2**20
    largest_mb = max(v.numel() * v.element_size() for v in sd.values()) / 2**20
    packed = sum(type(m).__name__ == "PackedLinear" for m in model.modules())
    print(json.dumps(dict(config=name, seconds=round(seconds, 1), peak_growth_mb=round(peak),
                          final_growth_mb=round(final), model_mb=round(model_mb),
                          largest_tensor_mb=round(largest_mb), packed_layers=packed)))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=Path("/tmp/acestep-load-bench"))
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child: return child(a.folder, a.child)
    import torch
    from acestep_nb import AceStepDiT, AceStepConfig
    from acestep_nb.core import cpu_bf16_native
    print(f"torch {torch.__version__}, CPU capability {torch.backends.cpu.get_cpu_capability()}, "
          f"native bf16 (avx512_bf16/AMX): {cpu_bf16_native()}, threads {torch.get_num_threads()}")
    if not (a.folder / "config.json").exists():
        t0 = time.perf_counter()
        AceStepDiT.random(AceStepConfig(), dtype=torch.bfloat16).save_pretrained(a.folder)
        print(f"wrote a released-size bfloat16 checkpoint to {a.folder} in {time.perf_counter() - t0:.0f} s")
    files = sorted(a.folder.glob("*.safetensors"))
    for f in files:                                         # warm the page cache once
        with open(f, "rb") as fh:
            while fh.read(1 << 26): pass
    print(f"checkpoint: {sum(f.stat().st_size for f in files) / 2**30:.2f} GiB on disk")
    for name in a.configs.split(","):
        out = subprocess.run([sys.executable, __file__, "--folder", str(a.folder), "--child", name],
                             capture_output=True, text=True)
        if out.returncode: sys.exit(f"{name} failed:\n{out.stderr}")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        target = (r["model_mb"] + r["largest_tensor_mb"]) * 1.1
        verdict = "within" if r["peak_growth_mb"] <= target else "ABOVE"
        print(f"{name:17s} {r['seconds']:6.1f} s  peak growth {r['peak_growth_mb'] / 1024:5.2f} GiB  "
              f"final {r['final_growth_mb'] / 1024:5.2f} GiB  model {r['model_mb'] / 1024:5.2f} GiB  "
              f"largest tensor {r['largest_tensor_mb']:4d} MiB  packed layers {r['packed_layers']:3d}  "
              f"peak/model {r['peak_growth_mb'] / r['model_mb']:.2f}  {verdict} target {target / 1024:.2f} GiB")
        print("RESULT " + json.dumps(r | dict(target_mb=round(target))), flush=True)

if __name__ == "__main__": main()
