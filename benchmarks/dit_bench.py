"""DiT sampler benchmark at the released 2B size with random weights.

    python benchmarks/dit_bench.py --seconds 10 --dtype float32                  # CPU, 8 turbo steps
    python benchmarks/dit_bench.py --seconds 10 --dtype bfloat16 --pack off      # plain nn.Linear weights
    python benchmarks/dit_bench.py --seconds 240 --dtype bfloat16 --device cuda

Every figure comes from inside ordinary `sample` calls, each stage timed once: the condition encoding
(`prepare_condition`, which `sample` calls), the decoder's cross-attention keys/values (`decoder.prepare`, once per
condition; upstream computes them inside its first step), and every diffusion step, from the start of one decoder
call to the start of the next (the last one to the end of `sample`), so a step includes the sampler's update and
DCW (unless `--dcw off`). The first (cold) call pays one-time costs (oneDNN primitive creation, the no-reference
timbre vector); the warm figures are min and median over `--repeats` further calls (this machine class is noisy:
the median can be 1.5x the min). The output names the CPU (`torch.backends.cpu.get_cpu_capability()`, native
bfloat16 yes/no) and what weight packing did: per weight shape, `F.linear` vs packed time, or why packing is not
available. Weights are random (N(0, 0.02)), built directly in the requested dtype (not timed).
`dcw_per_step_ms` times the DCW correction alone on latents of the run's shape. With `--int8` or `--compile` the
model is first sampled as built (same seeds), then quantized/compiled; `rel_l2_vs_unmodified` is the relative L2
distance of the final latents between the two, and the cold call includes the compilation.
"""
import argparse, json, resource, statistics, time
import torch
from acestep_nb import AceStepConfig, AceStepDiT
from acestep_nb.core import cpu_bf16_native
from acestep_nb.sampler import sample
from acestep_nb.layers import pack_unavailable
from acestep_nb.dcw import dcw_correct

def rss_gb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2

class StageTimer:
    "Times `prepare_condition`, `decoder.prepare` and every decoder call of the `sample` calls that follow"
    def __init__(self, model, sync):
        self.sync, self.events = sync, []
        for owner, name in ((model, "prepare_condition"), (model.decoder, "prepare")):
            setattr(owner, name, self._timed(getattr(owner, name), name))
        model.decoder.register_forward_pre_hook(lambda *a: self._mark("step"))
    def _mark(self, kind):
        self.sync()
        self.events.append((kind, time.perf_counter()))
    def _timed(self, fn, name):
        def wrapper(*args, **kwargs):
            self._mark(name + "_start")
            out = fn(*args, **kwargs)
            self._mark(name + "_end")
            return out
        return wrapper
    def run(self, call) -> dict:
        self.events.clear()
        self._mark("start")
        call()
        self._mark("end")
        ev = self.events
        span = lambda name: sum(t1 - t0 for (k0, t0), (k1, t1) in zip(ev, ev[1:]) if k0 == name + "_start" and k1 == name + "_end")
        steps = [t for k, t in ev if k == "step"] + [ev[-1][1]]
        return dict(conditioning_s=span("prepare_condition"), cross_kv_s=span("prepare"),
                    per_step_s=[b - a for a, b in zip(steps, steps[1:])], total_s=ev[-1][1] - ev[0][1])

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
    ap.add_argument("--repeats", type=int, default=3, help="warm calls after the cold one (min and median are reported)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    ap.add_argument("--tiny", action="store_true", help="the tiny test config instead of the released 2B one (a smoke test)")
    ap.add_argument("--pack", default="auto", choices=["auto", "on", "off"],
                    help="CPU weight packing: auto = where measured faster, as `from_pretrained` does; on = every layer; off = none")
    ap.add_argument("--int8", default="off", choices=["off", "dynamic", "weight"],
                    help="torchao int8 on the decoder's linear layers (`quantize_int8`); reports the final latents' distance from the unquantized run")
    ap.add_argument("--compile", action="store_true", help="`model.compile()` (torch.compile of the decoder)")
    ap.add_argument("--dcw", default="on", choices=["on", "off"], help="the DCW correction after each step (on: the default)")
    ap.add_argument("--dcw-repeats", type=int, default=200, help="calls of the DCW correction timed alone")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    dtype, dev = getattr(torch, a.dtype), torch.device(a.device)
    t0 = time.perf_counter()
    cfg = AceStepConfig.tiny() if a.tiny else AceStepConfig()
    model = AceStepDiT.random(cfg, dtype=dtype, device=dev).requires_grad_(False)
    build = time.perf_counter() - t0
    packing = "off"
    if a.pack != "off":
        reason = pack_unavailable(dtype, dev)
        if reason: packing = f"not available: {reason}"
        else:
            t0 = time.perf_counter()
            model.pack_weights(measure=a.pack == "auto")
            n = sum(type(m).__name__ == "PackedLinear" for m in model.modules())
            packing = dict(mode=a.pack, packed_layers=n, pack_s=round(time.perf_counter() - t0, 1),
                           per_shape={f"{i}x{o}{'+b' if b else ''}": {k: round(v, 2) if isinstance(v, float) else v for k, v in r.items()}
                                      for (i, o, b), r in getattr(model, "packing", {}).items()})
    rss_weights = rss_gb()
    B, T = a.batch, int(a.seconds * 25)
    g = torch.Generator().manual_seed(0)
    rnd = lambda *s: torch.randn(*s, generator=g).to(dev, dtype)
    silence = rnd(1, max(T, a.ref_frames), 64)
    cond = dict(text_hidden_states=rnd(B, a.text_tokens, cfg.text_hidden_dim), text_attention_mask=torch.ones(B, a.text_tokens, device=dev),
                lyric_hidden_states=rnd(B, a.lyric_tokens, cfg.text_hidden_dim), lyric_attention_mask=torch.ones(B, a.lyric_tokens, device=dev))
    task = dict(src_latents=silence[:, :T].expand(B, -1, -1), chunk_masks=torch.ones(B, T, 64, device=dev, dtype=dtype),
                is_covers=torch.zeros(B, device=dev))
    if a.reference == "none": refs = dict(refer_audio_acoustic_hidden_states_packed=None, refer_audio_order_mask=None)
    else: refs = dict(refer_audio_acoustic_hidden_states_packed=silence[:, :a.ref_frames].expand(B, -1, -1),
                      refer_audio_order_mask=torch.arange(B, device=dev))
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == "cuda" else (lambda: None)
    if dev.type == "cuda": torch.cuda.reset_peak_memory_stats(dev)
    timer, turbo = StageTimer(model, sync), a.steps == 8
    last = {}
    def call():
        with torch.no_grad():
            last["latents"] = sample(model, **task, seeds=list(range(B)), silence_latent=silence, turbo=turbo,
                                     infer_steps=None if turbo else a.steps, guidance_scale=1.0, dcw=a.dcw == "on",
                                     **cond, **refs).latents
    def summary(runs):   # per_step_s pools the steps of every run; the others have one value per run
        vals = {k: [x for r in runs for x in (r[k] if isinstance(r[k], list) else [r[k]])] for k in runs[0]}
        return {f"{k}_{name}": round(f(v), 3) for k, v in vals.items() for name, f in (("min", min), ("median", statistics.median))}
    out = dict(cpu_capability=torch.backends.cpu.get_cpu_capability(), cpu_bf16_native=cpu_bf16_native(),
               torch=torch.__version__, dcw=a.dcw, seconds=a.seconds, frames=T, steps=a.steps, dtype=a.dtype,
               device=a.device, batch=B, threads=torch.get_num_threads(), text_tokens=a.text_tokens,
               lyric_tokens=a.lyric_tokens, reference=a.reference, build_s=round(build, 2), packing=packing)
    if a.int8 != "off" or a.compile:
        with torch.no_grad():
            ref = sample(model, **task, seeds=list(range(B)), silence_latent=silence, turbo=turbo,
                         infer_steps=None if turbo else a.steps, guidance_scale=1.0, dcw=a.dcw == "on", **cond, **refs).latents
        t0 = time.perf_counter()
        if a.int8 != "off": model.quantize_int8(a.int8)
        if a.compile: model.compile()
        out.update(int8=a.int8, compile=a.compile, modify_s=round(time.perf_counter() - t0, 1))
    cold = timer.run(call)               # first call: one-time costs (oneDNN primitives, the no-reference timbre)
    out["cold"] = summary([cold])
    out["warm"] = summary([timer.run(call) for _ in range(a.repeats)])
    out["steps_per_call"] = len(cold["per_step_s"])
    if a.int8 != "off" or a.compile:
        out["rel_l2_vs_unmodified"] = float(f"{float((last['latents'].float() - ref.float()).norm() / ref.float().norm()):.3e}")
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
    for k, v in out.items(): print(f"{k:>18}: {v}")

if __name__ == "__main__": main()
