"""Benchmark the Oobleck VAE decoder at the released config with random weights (CPU by default).

Reports, per dtype, length and mode (tiled / untiled): wall time, decode seconds per second of audio, and the peak
resident memory *beyond the weights*, measured in a fresh child process per configuration: the child builds the
model, records its RSS, resets the kernel's peak-RSS counter (`/proc/self/clear_refs` = 5), decodes, and reads
`VmHWM` (falls back to `ru_maxrss` where the counter cannot be reset). The peak includes the output waveform.

    python benchmarks/vae_bench.py --dtype float32 bfloat16 --seconds 60 600 --modes tiled untiled

`--compare diffusers` instead times this library against diffusers' `AutoencoderOobleck` in ONE process with the SAME
weights: a random released-config `AutoencoderOobleck` (seed 0, Snake parameters perturbed) is saved with
`save_pretrained` and loaded by both sides (`AutoencoderOobleck.from_pretrained(torch_dtype=...)` and
`OobleckVAE.from_pretrained(dtype=...)`). Each side runs with its default tiling: for diffusers that is the official
ACE-Step handler's CPU decode tiling (chunk 256, overlap 64 latent frames; diffusers itself has none) and
diffusers' untiled `encode`; for this library `decode()` / `encode()` with their defaults. Calls alternate between
the sides; the first call of each side and length is a warm-up (not timed) when `--repeats` > 1 for that length.
Prints one JSON line per (operation, dtype, length) and a table with the ratio diffusers/ours (> 1: ours faster),
the largest absolute difference, the CPU capability and the share of the CPU used by other processes meanwhile.

    python benchmarks/vae_bench.py --compare diffusers --dtype float32 bfloat16 --seconds 10 60 --ops decode encode
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

def official_tiled_decode(vae, latents, chunk_size=256, overlap=64):
    "The official ACE-Step handler's overlap-discard decode with its CPU defaults, around diffusers' `decode`"
    import math, torch
    T = latents.shape[-1]
    if T <= chunk_size: return vae.decode(latents).sample
    stride = chunk_size - 2 * overlap; out = []
    for i in range(math.ceil(T / stride)):
        cs, ce = i * stride, min(i * stride + stride, T); ws, we = max(0, cs - overlap), min(T, ce + overlap)
        audio = vae.decode(latents[:, :, ws:we]).sample
        up = audio.shape[-1] // (we - ws)
        out.append(audio[:, :, (cs - ws) * up : (ce - ws) * up])
    return torch.cat(out, dim=-1)

def _cpu_snapshot():
    f = list(map(int, Path("/proc/stat").read_text().splitlines()[0].split()[1:]))
    s = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    return time.time(), sum(f) - f[3] - f[4], int(s[11]) + int(s[12])

def _others_share(a, b):
    "Share of the machine's CPU used by OTHER processes between two snapshots (0: quiet, 1: all cores busy)"
    return round(((b[1] - a[1]) - (b[2] - a[2])) / os.sysconf("SC_CLK_TCK") / ((b[0] - a[0]) * os.cpu_count()), 3)

def compare(dtypes, seconds_list, ops, repeats, threads, out):
    import tempfile, warnings, statistics, torch
    sys.path.insert(0, str(ROOT))
    from diffusers import AutoencoderOobleck
    from acestep_nb.vae import OobleckVAE
    from acestep_nb.core import resolve_dtype, cpu_bf16_native
    if threads: torch.set_num_threads(threads)
    cfg = dict(encoder_hidden_size=128, downsampling_ratios=[2, 4, 4, 6, 10], channel_multiples=[1, 2, 4, 8, 16],
               decoder_channels=128, decoder_input_channels=64, audio_channels=2, sampling_rate=48000)
    cpu = dict(capability=torch.backends.cpu.get_cpu_capability(), native_bf16=cpu_bf16_native(), threads=torch.get_num_threads())
    folder = Path(tempfile.mkdtemp(prefix="vae_compare_"))
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = AutoencoderOobleck(**cfg).eval()
        with torch.no_grad():
            for n, p in ref.named_parameters():
                if n.endswith(("alpha", "beta")): p.normal_(0, 0.3)
        ref.save_pretrained(folder); del ref
    rows = []
    for dname in dtypes:
        dtype = resolve_dtype(dname)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dif = AutoencoderOobleck.from_pretrained(folder, torch_dtype=dtype).eval().requires_grad_(False)
        ours = OobleckVAE.from_pretrained(folder, dtype=dtype)
        for op in ops:
            for seconds in seconds_list:
                g = torch.Generator().manual_seed(1)
                if op == "decode":
                    x = torch.randn(1, 64, round(seconds * 25), generator=g).to(dtype)
                    sides = dict(diffusers=lambda: official_tiled_decode(dif, x), acestep_nb=lambda: ours.decode(x))
                    tiling = dict(diffusers="official handler CPU decode: chunk 256, overlap 64 frames",
                                  acestep_nb="decode() default: chunk 512, overlap 16 frames")
                else:
                    x = (0.3 * torch.randn(1, 2, round(seconds * 48000), generator=g)).to(dtype)
                    sides = dict(diffusers=lambda: dif.encode(x).latent_dist.mean, acestep_nb=lambda: ours.encode(x, sample=False))
                    tiling = dict(diffusers="diffusers encode(): untiled", acestep_nb="encode() default: 30 s windows, 0.5 s overlap")
                reps = repeats if seconds <= 20 else 1
                times, outs = {k: [] for k in sides}, {}
                snap = _cpu_snapshot()
                with torch.inference_mode():
                    for rep in range(reps + (1 if reps > 1 else 0)):
                        for k in (list(sides) if rep % 2 == 0 else list(sides)[::-1]):
                            t0 = time.perf_counter(); y = sides[k](); dt = time.perf_counter() - t0
                            print(f"  {op} {dname} {seconds:g}s {k} call {rep}: {dt:.2f} s", file=sys.stderr, flush=True)
                            if reps == 1 or rep > 0: times[k].append(dt)
                            outs[k] = y
                med = {k: statistics.median(v) for k, v in times.items()}
                r = dict(op=op, dtype=dname, seconds=seconds, tiling=tiling,
                         wall_s={k: [round(t, 3) for t in v] for k, v in times.items()},
                         median_s={k: round(v, 3) for k, v in med.items()},
                         ratio=round(med["diffusers"] / med["acestep_nb"], 3),
                         max_abs_diff=float((outs["diffusers"].float() - outs["acestep_nb"].float()).abs().max()),
                         out_absmax=float(outs["diffusers"].float().abs().max()),
                         others_cpu_share=_others_share(snap, _cpu_snapshot()), cpu=cpu)
                rows.append(r); print(json.dumps(r), flush=True)
                if out:
                    with open(out, "a") as f: f.write(json.dumps(r) + "\n")
                del outs
        del dif, ours
    print(f"\nCPU: {cpu['capability']}, native bf16: {cpu['native_bf16']}, {cpu['threads']} threads; same weights, one process")
    print("| op | dtype | audio s | diffusers s | acestep_nb s | ratio | max abs diff | others' CPU share |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['op']} | {r['dtype']} | {r['seconds']:g} | {r['median_s']['diffusers']} | {r['median_s']['acestep_nb']} | "
              f"{r['ratio']} | {r['max_abs_diff']:.1e} | {r['others_cpu_share']} |")

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dtype", nargs="+", default=["float32", "bfloat16"])
    p.add_argument("--seconds", nargs="+", type=float, default=[60, 600])
    p.add_argument("--modes", nargs="+", default=["tiled", "untiled"], choices=["tiled", "untiled"])
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument("--chunk", type=int, default=512, help="decode window, latent frames")
    p.add_argument("--overlap", type=int, default=16, help="decode overlap per side, latent frames")
    p.add_argument("--offload", action="store_true", help="assemble the waveform on the CPU (no-op on CPU)")
    p.add_argument("--max-untiled-gb", type=float, default=16.,
                   help="skip untiled runs whose activations are estimated above this (lower bound: 3 x 128 x samples)")
    p.add_argument("--timeout", type=float, default=3600., help="seconds per configuration")
    p.add_argument("--out", type=Path, default=None, help="append one JSON line per configuration here")
    p.add_argument("--compare", choices=["diffusers"], default=None,
                   help="time against diffusers' AutoencoderOobleck in one process with the same weights")
    p.add_argument("--ops", nargs="+", default=["decode", "encode"], choices=["decode", "encode"], help="with --compare")
    p.add_argument("--repeats", type=int, default=2, help="with --compare: timed calls per side for lengths <= 20 s")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.compare:
        compare(a.dtype, a.seconds if a.seconds != [60, 600] else [10, 60], a.ops, a.repeats, a.threads, a.out)
        return
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
