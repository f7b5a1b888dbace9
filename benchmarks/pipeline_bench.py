"""Whole `AceStepPipeline.generate` calls at the released sizes, random weights: stage times and peak memory.

A checkpoint root in the official layout is written once (``--root``; reused when it exists): the 2B DiT
(`acestep-v15-turbo`, stored in bfloat16 as released), the released VAE and a text encoder at the
Qwen3-Embedding-0.6B config (1024 wide, 28 layers, 16/8 heads; the real Qwen3 tokenizer from
``../shared/reference/prompts/text-tokenizer`` when present, else the offline byte-level one). Each configuration
runs in a fresh process: load, one cold `generate`, then ``--repeats`` warm ones; printed as one JSON line per
configuration with the stage times (`encode` = request checks + task assembly + caption/lyric/audio encoding,
`sample` = the 8 turbo steps incl. condition encoding, `decode` = VAE), the load time, the peak RSS and the CPU
capability. Example::

    python benchmarks/pipeline_bench.py --seconds 10 60 --dtype float32 bfloat16 --out pipeline.jsonl
    python benchmarks/pipeline_bench.py --device cuda --seconds 10 60 240 --dtype bfloat16 --batch 1 4 [--compile]
"""
from __future__ import annotations
import argparse, json, os, resource, subprocess, sys, time
from pathlib import Path

SHARED_TOKENIZER = Path(__file__).resolve().parents[2]/"shared"/"reference"/"prompts"/"text-tokenizer"
CAPTION = "energetic synth pop with punchy drums, bright female vocals, catchy chorus, 120 bpm"
LYRICS = "[Verse 1]\n" + "walking down the neon road, the city hums a song\n" * 6 + "[Chorus]\n" + "la la la, we carry on\n" * 8


def build_root(root:Path):
    import torch
    from transformers import AutoTokenizer, Qwen3Config, Qwen3Model
    from acestep_nb.config import AceStepConfig
    from acestep_nb.model import AceStepDiT
    from acestep_nb.vae import OobleckVAE, VAEConfig
    from acestep_nb.conditioning import tiny_tokenizer
    from acestep_nb.testing import silence_latent_of
    root.mkdir(parents=True, exist_ok=True)
    tok = AutoTokenizer.from_pretrained(SHARED_TOKENIZER) if SHARED_TOKENIZER.exists() else tiny_tokenizer()
    cfg = Qwen3Config(vocab_size=max(len(tok), 151669), hidden_size=1024, intermediate_size=3072, num_hidden_layers=28,
                      num_attention_heads=16, num_key_value_heads=8, head_dim=128, rope_theta=1e6, rms_norm_eps=1e-6,
                      max_position_embeddings=32768, tie_word_embeddings=True)
    te = Qwen3Model(cfg).to(torch.bfloat16)
    te.save_pretrained(root/"Qwen3-Embedding-0.6B")
    tok.save_pretrained(root/"Qwen3-Embedding-0.6B")
    del te
    torch.manual_seed(0)
    vae = OobleckVAE(VAEConfig()).eval()
    vae.save_pretrained(root/"vae")
    silence = silence_latent_of(vae, 15000)
    del vae
    dit = AceStepDiT.random(AceStepConfig(is_turbo=True, model_version="turbo"), dtype=torch.bfloat16)
    dit.silence_latent = silence
    dit.save_pretrained(root/"acestep-v15-turbo")


def run_one(root:Path, seconds:float, dtype:str, repeats:int, threads:int|None, device:str="cpu", batch:int=1,
            compile:bool=False):
    import torch
    if threads: torch.set_num_threads(threads)
    from acestep_nb.pipeline import AceStepPipeline
    from acestep_nb.core import cpu_bf16_native
    t0 = time.perf_counter()
    pipe = AceStepPipeline.from_pretrained(root, device=device, dtype=dtype)
    if compile: pipe.dit.compile()
    load = time.perf_counter() - t0
    cuda = pipe.device.type == "cuda"
    runs = []
    for i in range(1 + repeats):
        if cuda: torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
        res = pipe.generate(CAPTION, LYRICS, duration=seconds, bpm=120, keyscale="C major", timesignature="4",
                            batch_size=batch, seeds=list(range(i * batch, (i + 1) * batch)), progress=False)
        runs.append({k: round(v, 3) for k, v in res.timings.items()})   # `total` ends after the audio reached the CPU
    out = dict(seconds=seconds, dtype=dtype, device=str(pipe.device), batch=batch, compile=compile, load_s=round(load, 2),
               cold=runs[0], warm=runs[1:], per_step_s=[round(r["sample"] / 8, 3) for r in runs[1:]],
               peak_rss_gb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
               cpu_capability=torch.backends.cpu.get_cpu_capability(), bf16_native=cpu_bf16_native(),
               threads=torch.get_num_threads(), torch=torch.__version__)
    if cuda: out |= dict(gpu=torch.cuda.get_device_name(), peak_gpu_gb=round(torch.cuda.max_memory_allocated() / 2**30, 2))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=Path("/tmp/acestep-bench-root"), help="released-size random checkpoint root")
    ap.add_argument("--seconds", type=float, nargs="+", default=[10.0, 60.0])
    ap.add_argument("--dtype", nargs="+", default=["float32", "bfloat16"])
    ap.add_argument("--repeats", type=int, default=1, help="warm runs after the cold one")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--device", default="cpu", help="cpu, cuda, mps")
    ap.add_argument("--batch", type=int, nargs="+", default=[1], help="songs per generate call")
    ap.add_argument("--compile", action="store_true", help="torch.compile the DiT decoder (`pipe.dit.compile()`)")
    ap.add_argument("--out", type=Path, default=None, help="append JSON lines here")
    ap.add_argument("--one", nargs=3, metavar=("SECONDS", "DTYPE", "BATCH"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(run_one(a.root, float(a.one[0]), a.one[1], a.repeats, a.threads, a.device, int(a.one[2]), a.compile)))
        return
    if not (a.root/"acestep-v15-turbo"/"model.safetensors").exists():
        print(f"writing the released-size random checkpoint root to {a.root} (once) ...", file=sys.stderr)
        build_root(a.root)
    for dtype in a.dtype:
        for s in a.seconds:
            for b in a.batch:
                cmd = [sys.executable, __file__, "--root", str(a.root), "--one", str(s), dtype, str(b), "--repeats", str(a.repeats),
                       "--device", a.device] + (["--threads", str(a.threads)] if a.threads else []) + (["--compile"] if a.compile else [])
                out = subprocess.run(cmd, capture_output=True, text=True)
                line = out.stdout.strip().splitlines()[-1] if out.returncode == 0 else json.dumps(
                    dict(seconds=s, dtype=dtype, batch=b, error=out.stderr.strip().splitlines()[-1:]))
                print(line, flush=True)
                if a.out:
                    with open(a.out, "a") as f: f.write(line + "\n")


if __name__ == "__main__":
    main()
