"""DiT sampler benchmark at the released 2B size with random weights.

    python benchmarks/dit_bench.py --seconds 10 --steps 8 --dtype bfloat16           # CPU, turbo schedule
    python benchmarks/dit_bench.py --seconds 240 --dtype bfloat16 --device cuda

Prints per-stage times (condition encoding = condition encoder + cross-attention K/V; each diffusion step; total
sampling) and peak memory (process RSS; on CUDA also peak allocated GPU memory). Weights are random (N(0, 0.02)),
built directly in the requested dtype; building them is not timed.
"""
import argparse, json, resource, time
import torch
from acestep_nb import AceStepConfig, AceStepDiT
from acestep_nb.sampler import sample

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
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    dtype, dev = getattr(torch, a.dtype), torch.device(a.device)
    t0 = time.perf_counter()
    model = AceStepDiT.random(AceStepConfig(), dtype=dtype, device=dev)
    build = time.perf_counter() - t0
    rss_weights = rss_gb()
    B, T = a.batch, int(a.seconds * 25)
    g = torch.Generator().manual_seed(0)
    rnd = lambda *s: torch.randn(*s, generator=g)
    silence = rnd(1, max(T, a.ref_frames), 64)
    cond = dict(text_hidden_states=rnd(B, a.text_tokens, 1024), text_attention_mask=torch.ones(B, a.text_tokens),
                lyric_hidden_states=rnd(B, a.lyric_tokens, 1024), lyric_attention_mask=torch.ones(B, a.lyric_tokens),
                refer_audio_acoustic_hidden_states_packed=silence[:, :a.ref_frames].expand(B, -1, -1),
                refer_audio_order_mask=torch.arange(B))
    task = dict(src_latents=silence[:, :T].expand(B, -1, -1), chunk_masks=torch.ones(B, T, 64), is_covers=torch.zeros(B))
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == "cuda" else (lambda: None)
    if dev.type == "cuda": torch.cuda.reset_peak_memory_stats(dev)

    marks = []
    def cb(i, t, x, x0):
        sync(); marks.append(time.perf_counter())
    turbo = a.steps == 8
    sync(); start = time.perf_counter()
    sample(model, **task, seeds=list(range(B)), silence_latent=silence, turbo=turbo,
           infer_steps=None if turbo else a.steps, guidance_scale=1.0, callback=cb, **cond)
    sync(); end = time.perf_counter()
    # condition encoding = time from the start to the first network step, minus that step
    steps = [b - a_ for a_, b in zip(marks, marks[1:])]
    per_step = sum(steps) / len(steps)
    conditioning = (marks[0] - start) - per_step
    out = dict(seconds=a.seconds, frames=T, steps=a.steps, dtype=a.dtype, device=a.device, batch=B, threads=torch.get_num_threads(),
               build_s=round(build, 2), conditioning_s=round(conditioning, 3), per_step_s=round(per_step, 3),
               total_s=round(end - start, 3), peak_rss_gb=round(rss_gb(), 2), weights_rss_gb=round(rss_weights, 2))
    if dev.type == "cuda": out["peak_cuda_gb"] = round(torch.cuda.max_memory_allocated(dev) / 1024**3, 2)
    if a.json: print(json.dumps(out)); return
    for k, v in out.items(): print(f"{k:>16}: {v}")

if __name__ == "__main__": main()
