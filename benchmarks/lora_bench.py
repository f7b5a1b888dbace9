"""LoRA training step benchmark at the released 2B size with random weights.

    python benchmarks/lora_bench.py                          # CPU: 30 s clips, rank 64, batch 1, bf16, both modes
    python benchmarks/lora_bench.py --steps 3 --checkpointing on
    python benchmarks/lora_bench.py --device cuda --steps 10

One optimizer step of `acestep_nb.lora_training`'s objective, as `train_lora` runs it: the DiT (released config,
random N(0, 0.02) weights, built directly in `--dtype`) with a fresh float32 LoRA (rank `--rank`, alpha 2·rank) on the
official q/k/v/o projections of self- and cross-attention, the flow-matching loss at a turbo noise level under bf16
autocast, backward, gradient clipping at 1.0 and AdamW. The inputs are random tensors of the cached dataset's shapes:
30 s of latents (750 frames, 64 channels), a packed condition of `--cond-tokens` tokens. The first step is a warm-up
(not counted); `per_step_s` lists the others. Peak memory: on CUDA `torch.cuda.max_memory_allocated`; on CPU the
process's peak resident set size, which is why each checkpointing mode runs in its own process (`--checkpointing
both`, the default, spawns them one after the other). The output names the CPU (`get_cpu_capability()`, native bf16
yes/no) and the thread count.

Measured 2026-12-02 on a shared 2-core AMD Zen 5 (AVX512 with avx512_bf16, native bf16), torch 2.13 CPU, 30 s clip,
600 condition tokens, rank 64 (44,040,192 trainable parameters), batch 1, bf16 weights and autocast, 2 timed steps
each: without gradient checkpointing 96.7–99.1 s per step, peak RSS 8.5 GB; with it 84.7–109.9 s per step (noisy
machine), peak RSS 6.5 GB. A profile of a smaller run shows most CPU time in weight-sized copies: the decoder's
linears have no bias, so `F.linear` on a 3-D input that requires grad goes through `matmul`, which does not fold the
batch and copies the transposed weight for a batched product on every call (CPU only; GPUs take transposed operands).

import argparse, json, math, resource, statistics, subprocess, sys, time
import torch
from acestep_nb import AceStepConfig, AceStepDiT
from acestep_nb.core import cpu_bf16_native
from acestep_nb.lora import OFFICIAL_TARGETS
from acestep_nb.lora_training import FlowMatchingLoss, TRAIN_TIMESTEPS

def rss_gb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2

def run(a) -> dict:
    from peft import LoraConfig
    dev, dtype = torch.device(a.device), getattr(torch, a.dtype)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    t0 = time.perf_counter()
    dit = AceStepDiT.random(AceStepConfig(), dtype=dtype, device=dev)
    build_s = time.perf_counter() - t0
    dit.add_adapter(LoraConfig(r=a.rank, lora_alpha=2 * a.rank, lora_dropout=0.1, target_modules=list(OFFICIAL_TARGETS),
                               bias="none", task_type="FEATURE_EXTRACTION"), "bench", trainable=True)
    params = [p for p in dit.decoder.parameters() if p.requires_grad]
    for p in params: p.data = p.data.float()
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
    dit.decoder.gradient_checkpointing = a.checkpointing == "on"
    dit.train()
    loss_fn = FlowMatchingLoss(dit)
    T, C, E = int(a.seconds * 25), dit.cfg.audio_acoustic_hidden_dim, dit.cfg.hidden_size
    g = torch.Generator().manual_seed(0)
    batch = dict(target_latents=torch.randn(1, T, C, generator=g).to(dev),
                 context_latents=torch.randn(1, T, 2 * C, generator=g).to(dev),
                 encoder_hidden_states=torch.randn(1, a.cond_tokens, E, generator=g).to(dev))
    if dev.type == "cuda": torch.cuda.reset_peak_memory_stats()
    times, losses = [], []
    for i in range(a.steps + 1):
        sync(); t = time.perf_counter()
        noise = torch.randn(1, T, C, generator=g).to(dev)
        tt = torch.tensor([TRAIN_TIMESTEPS[i % 8]], device=dev)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.autocast == "bf16"):
            loss = loss_fn(batch, noise, tt, torch.zeros(1, dtype=torch.bool, device=dev))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step(); opt.zero_grad(set_to_none=True)
        sync()
        if i: times.append(time.perf_counter() - t)
        losses.append(float(loss.detach()))
        print(f"step {i}: {time.perf_counter() - t:.2f} s, loss {losses[-1]:.4f}", file=sys.stderr, flush=True)
    peak = torch.cuda.max_memory_allocated() / 1024**3 if dev.type == "cuda" else rss_gb()
    return dict(checkpointing=a.checkpointing, per_step_s=[round(x, 3) for x in times], min_step_s=round(min(times), 3),
                median_step_s=round(statistics.median(times), 3), peak_memory_gb=round(peak, 2),
                peak_memory_kind="cuda max_memory_allocated" if dev.type == "cuda" else "process peak RSS",
                build_s=round(build_s, 1), trainable_params=sum(p.numel() for p in params),
                losses_finite=all(math.isfinite(l) for l in losses))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--cond-tokens", type=int, default=600, help="packed condition length (caption + lyrics + timbre)")
    ap.add_argument("--rank", type=int, default=64)
    ap.add_argument("--steps", type=int, default=3, help="timed steps (after one warm-up step)")
    ap.add_argument("--dtype", default="bfloat16", help="DiT weight dtype")
    ap.add_argument("--autocast", default="bf16", choices=["bf16", "no"])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--checkpointing", default="both", choices=["on", "off", "both"])
    ap.add_argument("--threads", type=int, default=None)
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    head = dict(cpu_capability=torch.backends.cpu.get_cpu_capability(), cpu_bf16_native=cpu_bf16_native(),
                threads=torch.get_num_threads(), device=a.device, gpu=torch.cuda.get_device_name() if a.device == "cuda" else None,
                torch=torch.__version__, seconds=a.seconds, frames=int(a.seconds * 25), cond_tokens=a.cond_tokens,
                rank=a.rank, batch=1, dtype=a.dtype, autocast=a.autocast)
    if a.checkpointing == "both":
        results = []
        for mode in ("off", "on"):
            args = [a if not isinstance(a, bool) else a for a in sys.argv[1:]] + ["--checkpointing", mode]
            out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
            sys.stderr.write(out.stderr)
            results.append(json.loads(out.stdout)["runs"][0])
    else: results = [run(a)]
    print(json.dumps(head | dict(runs=results), indent=1))

if __name__ == "__main__": main()
