"""Benchmark the Oobleck VAE decoder at the released config with random weights (CPU by default).

Reports, per dtype, length and mode (tiled / untiled): wall time, decode seconds per second of audio, and the peak
resident memory *beyond the weights*, measured in a fresh child process per configuration: the child builds the
model, records its RSS, resets the kernel's peak-RSS counter (`/proc/self/clear_refs` = 5), decodes, and reads
`VmHWM` (falls back to `ru_maxrss` where the counter cannot be reset). The peak includes the output waveform.

    python benchmarks/vae_bench.py --dtype float32 bfloat16 --seconds 60 600 --modes tiled untiled
"""
import argparse, json, os, resource, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _status_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"): return int(line.split()[1])
    return None

def child(dtype, seconds, mode, threads, chunk, overlap, offload):
    import torch
    sys.path.insert(0, str(ROOT))
    from acestep_nb.vae import OobleckVAE, VAEConfig
    from acestep_nb.core import resolve_dtype
    if threads: torch.set_num_threads(threads)
    torch.manual_seed(0)
    vae = OobleckVAE(VAEConfig()).to(resolve_dtype(dtype)).eval().requires_grad_(False)
    T = round(seconds * 25)
    z = torch.randn(1, 64, T)
    import gc; gc.collect()
    base_kb = _status_kb("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5"); how = "VmHWM after clear_refs"
    except OSError: how = "ru_maxrss (peak counter could not be reset: includes model construction)"
    t0 = time.perf_counter()
    wav = vae.decode(z, tiled=(mode == "tiled"), chunk=chunk, overlap=overlap, offload_to_cpu=offload)
    dt = time.perf_counter() - t0
    peak_kb = _status_kb("VmHWM") if how.startswith("VmHWM") else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    weights_mb = sum(p.numel() * p.element_size() for p in vae.parameters()) / 2**20
    return dict(dtype=dtype, seconds=seconds, mode=mode, frames=T, samples=wav.shape[-1], wall_s=round(dt, 2),
                s_per_audio_s=round(dt / seconds, 3), weights_mb=round(weights_mb), rss_after_weights_mb=round(base_kb / 1024),
                peak_beyond_weights_mb=round((peak_kb - base_kb) / 1024), peak_rss_mb=round(peak_kb / 1024),
                threads=torch.get_num_threads(), memory_measure=how, finite=bool(torch.isfinite(wav).all()))

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dtype", nargs="+", default=["float32", "bfloat16"])
    p.add_argument("--seconds", nargs="+", type=float, default=[60, 600])
    p.add_argument("--modes", nargs="+", default=["tiled", "untiled"], choices=["tiled", "untiled"])
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument("--chunk", type=int, default=512, help="decode window, latent frames")
    p.add_argument("--overlap", type=int, default=64, help="decode overlap per side, latent frames")
    p.add_argument("--offload", action="store_true", help="assemble the waveform on the CPU (no-op on CPU)")
    p.add_argument("--max-untiled-gb", type=float, default=16.,
                   help="skip untiled runs whose activations are estimated above this (lower bound: 3 x 128 x samples)")
    p.add_argument("--timeout", type=float, default=3600., help="seconds per configuration")
    p.add_argument("--out", type=Path, default=None, help="append one JSON line per configuration here")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        print("RESULT " + json.dumps(child(a.dtype[0], a.seconds[0], a.modes[0], a.threads, a.chunk, a.overlap, a.offload)))
        return
    rows = []
    for dtype in a.dtype:
        for seconds in a.seconds:
            for mode in a.modes:
                bytes_per = 2 if dtype in ("bfloat16", "bf16", "float16", "fp16") else 4
                est_gb = 3 * 128 * seconds * 48000 * bytes_per / 2**30
                if mode == "untiled" and est_gb > a.max_untiled_gb:
                    r = dict(dtype=dtype, seconds=seconds, mode=mode,
                             skipped=f"untiled activations estimated >= {est_gb:.0f} GB (> --max-untiled-gb {a.max_untiled_gb:g})")
                else:
                    cmd = [sys.executable, __file__, "--child", "--dtype", dtype, "--seconds", str(seconds), "--modes", mode,
                           "--threads", str(a.threads), "--chunk", str(a.chunk), "--overlap", str(a.overlap)] + (["--offload"] if a.offload else [])
                    try:
                        res = subprocess.run(cmd, capture_output=True, text=True, timeout=a.timeout)
                        line = [l for l in res.stdout.splitlines() if l.startswith("RESULT ")]
                        r = json.loads(line[-1][7:]) if line else dict(dtype=dtype, seconds=seconds, mode=mode,
                                 skipped=f"child failed (rc {res.returncode}): {res.stderr.strip().splitlines()[-1:] }")
                    except subprocess.TimeoutExpired:
                        r = dict(dtype=dtype, seconds=seconds, mode=mode, skipped=f"timed out after {a.timeout:g} s")
                rows.append(r); print(json.dumps(r), flush=True)
                if a.out:
                    with open(a.out, "a") as f: f.write(json.dumps(r) + "\n")
    print("\n| dtype | audio s | mode | decode s | s per audio s | peak beyond weights (MB) | weights (MB) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        if "skipped" in r: print(f"| {r['dtype']} | {r['seconds']:g} | {r['mode']} | – | – | {r['skipped']} | – |")
        else: print(f"| {r['dtype']} | {r['seconds']:g} | {r['mode']} | {r['wall_s']} | {r['s_per_audio_s']} | "
                    f"{r['peak_beyond_weights_mb']} | {r['weights_mb']} |")

if __name__ == "__main__": main()
