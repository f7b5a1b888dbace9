"""DiT sampler benchmark at the released 2B size with random weights.

    python benchmarks/dit_bench.py --seconds 10 --steps 8 --dtype bfloat16           # CPU, turbo schedule
    python benchmarks/dit_bench.py --seconds 240 --dtype bfloat16 --device cuda

Prints per-stage times and peak memory (process RSS; on CUDA also peak allocated GPU memory): condition encoding
(`prepare_condition`: condition encoder and task context, the official `prepare_condition` stage), the decoder's
cross-attention keys/values (computed once per condition; upstream computes them inside its first step), the time
per diffusion step (DCW included unless `--dcw off`), and the whole `sample` call (which includes both of the first two). The first (cold) run pays one-time costs (oneDNN primitive creation,
the no-reference timbre vector); the warm figures are the min and median over `--repeats` further runs (this
machine class is noisy: the median per step can be 1.5x the min). Weights are random
(N(0, 0.02)), built directly in the requested dtype; building them is not timed. `dcw_per_step_ms` times the DCW
correction alone on latents of the run's shape (`--dcw-repeats` calls), next to the network step.
"""
import argparse, json, resource, statistics, time
from pathlib import Path
import torch
from acestep_nb import AceStepConfig, AceStepDiT
from acestep_nb.sampler import sample
from acestep_nb.layers import can_pack
from acestep_nb.dcw import dcw_correct

def rss_gb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=10.0, help="audio duration (25 latent frames per second)")
    ap.add_argument("--steps", type=int, default=8, help="diffusion steps (8 = turbo tables; other counts run the base schedule without guidance)")
    ap.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float32", "float16"])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--text-tokens", type=int, default=64, help="caption tokens (Qwen3 prompt)")
    ap.add_argument("--lyric-tokens", type=int, default=256, help="lyric tokens")
    ap.add_argument("--ref-frames", type=int, default=750, help="reference clip frames (750 = 30 s, as the pipeline)")
    ap.add_argument("--reference", default="none", choices=["none", "clip"],
                    help="none: no reference audio (its timbre is a per-model constant); clip: a reference clip encoded at every call")
    ap.add_argument("--repeats", type=int, default=3, help="warm runs after the cold one (min and median are reported)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    ap.add_argument("--tiny", action="store_true", help="the tiny test config instead of the released 2B one (a smoke test)")
    ap.add_argument("--no-pack", action="store_true", help="bfloat16 on CPU: keep plain nn.Linear weights (default: `pack_weights()`)")
    ap.add_argument("--dcw", default="on", choices=["on", "off"], help="the DCW correction after each step (on: the default)")
    ap.add_argument("--dcw-repeats", type=int, default=200, help="calls of the DCW correction timed alone")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    dtype, dev = getattr(torch, a.dtype), torch.device(a.device)
    t0 = time.perf_counter()
    cfg = AceStepConfig.tiny() if a.tiny else AceStepConfig()
    model = AceStepDiT.random(cfg, dtype=dtype, device=dev)
    packed = can_pack(dtype, dev) and not a.no_pack
    if packed: model.pack_weights()
    build = time.perf_counter() - t0
    rss_weights = rss_gb()
    B, T = a.batch, int(a.seconds * 25)
    g = torch.Generator().manual_seed(0)
    rnd = lambda *s: torch.randn(*s, generator=g).to(dev, dtype)
    silence = rnd(1, max(T, a.ref_frames), 64)
    cond = dict(text_hidden_states=rnd(B, a.text_tokens, cfg.text_hidden_dim), text_attention_mask=torch.ones(B, a.text_tokens, device=dev),
                lyric_hidden_states=rnd(B, a.lyric_tokens, cfg.text_hidden_dim), lyric_attention_mask=torch.ones(B, a.lyric_tokens, device=dev))
    task = dict(src_latents=silence[:, :T].expand(B, -1, -1), chunk_masks=torch.ones(B, T, 64, device=dev, dtype=dtype),
                is_covers=torch.zeros(B, device=dev))
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == "cuda" else (lambda: None)
    if dev.type == "cuda": torch.cuda.reset_peak_memory_stats(dev)

    refs = dict(refer_audio_acoustic_hidden_states_packed=None, refer_audio_order_mask=None) if a.reference == "none" else dict(refer_audio_acoustic_hidden_states_packed=silence[:, :a.ref_frames].expand(B, -1, -1),
                                                 refer_audio_order_mask=torch.arange(B, device=dev))
    def conditioning():  # exactly what `sample` does before its loop: condition encoding, then the decoder's K/V
        sync(); t0 = time.perf_counter()
        enc, _, ctx = model.prepare_condition(**cond, **refs, **task, silence_latent=silence)
        sync(); t1 = time.perf_counter()
        model.decoder.prepare(enc, ctx)
        sync(); return t1 - t0, time.perf_counter() - t1
    marks = []
    def cb(i, t, x, x0):
        sync(); marks.append(time.perf_counter())
    turbo = a.steps == 8
    def run():
        marks.clear()
        with torch.no_grad():
            enc_s, kv_s = conditioning()
            sync(); t1 = time.perf_counter()
            sample(model, **task, seeds=list(range(B)), silence_latent=silence, turbo=turbo,
                   infer_steps=None if turbo else a.steps, guidance_scale=1.0, dcw=a.dcw == "on", callback=cb, **cond, **refs)
            sync(); t2 = time.perf_counter()
        return dict(conditioning_s=enc_s, cross_kv_s=kv_s, per_step_s=[b - a_ for a_, b in zip(marks, marks[1:])], total_s=t2 - t1)
    def summary(runs):   # per_step_s pools the steps of every run; the others have one value per run
        vals = {k: [x for r in runs for x in (r[k] if isinstance(r[k], list) else [r[k]])] for k in runs[0]}
        return {f"{k}_{name}": round(f(v), 3) for k, v in vals.items() for name, f in (("min", min), ("median", statistics.median))}
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    out = dict(cpu_capability=torch.backends.cpu.get_cpu_capability(), avx512_bf16="avx512_bf16" in flags, dcw=a.dcw)
    out |= dict(seconds=a.seconds, frames=T, steps=a.steps, dtype=a.dtype, device=a.device, batch=B, threads=torch.get_num_threads(),
               text_tokens=a.text_tokens, lyric_tokens=a.lyric_tokens, reference=a.reference, packed=packed, build_s=round(build, 2))
    out["cold"] = summary([run()])       # first call: one-time costs (oneDNN primitives, the no-reference timbre)
    out["warm"] = summary([run() for _ in range(a.repeats)])
    x, y = rnd(B, T, 64), rnd(B, T, 64)
    dcw_ms = []
    for i in range(a.dcw_repeats):       # t = 0.75: both bands corrected (the default `double` mode)
        sync(); t0 = time.perf_counter()
        dcw_correct(x, y, 0.75)
        sync(); dcw_ms.append(1000 * (time.perf_counter() - t0))
    out["dcw_per_step_ms"] = dict(min=round(min(dcw_ms), 3), median=round(statistics.median(dcw_ms), 3))
    out["dcw_share_of_step"] = float(f"{statistics.median(dcw_ms) / 1000 / out['warm']['per_step_s_min']:.2e}")  # vs the fastest step
    out["peak_rss_gb"], out["weights_rss_gb"] = round(rss_gb(), 2), round(rss_weights, 2)
    if dev.type == "cuda": out["peak_cuda_gb"] = round(torch.cuda.max_memory_allocated(dev) / 1024**3, 2)
    if a.json: print(json.dumps(out)); return
    for k, v in out.items(): print(f"{k:>16}: {v}")

if __name__ == "__main__": main()
