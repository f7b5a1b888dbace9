"""5 Hz LM phase-2 (audio codes) decode speed at the released 0.6B / 1.7B sizes, random weights, side by side.

    flock /tmp/acestep-heavy.lock python benchmarks/planner_bench.py                  # 0.6B and 1.7B, batch 1 and 4, guidance 1 and 2
    python benchmarks/planner_bench.py --configs tiny --codes 8                       # smoke test

For every (config, dtype, batch, guidance) it decodes the same phase-2 prompt twice:

* `generate`: plain `model.generate` with the same constraint (`CodesProcessor`: codes 0..63999 and EOS, exactly
  N codes) and upstream's sampling order as processors (top-p 0.9 on the un-tempered scores, then temperature 0.85);
  guidance through transformers' own `guidance_scale` / `negative_prompt_ids` (`UnbatchedClassifierFreeGuidanceLogitsProcessor`,
  which runs the unconditional rows as a second forward pass). This is the official transformers backend's path
  for constrained codes without its hand-written loops.
* `planner`: `Planner.write_codes` — static KV cache, conditional and unconditional rows in one forward, logits of
  the 64 001 allowed tokens only, sampling over the allowed set; bfloat16 linears prepacked for oneDNN.

Tokens per second = decode steps per second x batch, measured between the first and the last call of the
constraint (so the prompt's prefill is excluded from both). Weights are random N(0, 0.02) in the spec's Qwen3 shapes
(`../shared/spec/planner.md`: stock Qwen3-0.6B/1.7B; vocabulary 151 669 + 65 535 code tokens = 217 204, tied
embeddings); the tokenizer is the real Qwen3 one (`--tokenizer`), extended as `write_tiny_lm` does.
"""
import argparse, json, resource, tempfile, time
from pathlib import Path
import torch
from transformers import (AutoTokenizer, LogitsProcessorList, Qwen3Config, Qwen3ForCausalLM, TemperatureLogitsWarper,
                          TopPLogitsWarper)
from acestep_nb.core import init_random_
from acestep_nb.layers import can_pack, pack_linears, unpack_linears
from acestep_nb.planner import _BATCH_HINT, Blueprint, CodesProcessor, Planner, extend_lm_tokenizer, lm_prompt

CONFIGS = {  # stock Qwen3 shapes (spec §0), vocabulary extended with the code tokens
    "0.6B": dict(hidden_size=1024, intermediate_size=3072, num_hidden_layers=28, num_attention_heads=16, num_key_value_heads=8),
    "1.7B": dict(hidden_size=2048, intermediate_size=6144, num_hidden_layers=28, num_attention_heads=16, num_key_value_heads=8),
    "4B": dict(hidden_size=2560, intermediate_size=9728, num_hidden_layers=36, num_attention_heads=32, num_key_value_heads=8),
    "tiny": dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2),
}
CAPTION = ("A melancholic indie folk ballad with fingerpicked acoustic guitar, soft brushed drums and a warm upright bass, "
           "intimate male vocals with airy harmonies in the chorus, building to a gentle string swell.")
LYRICS = "[Verse 1]\nStreetlights hum a tired tune\nI count the cracks beneath the moon\n\n[Chorus]\nHold on, hold on\nThe night is long"

def rss_gb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2

class Clock:
    "Wraps a constraint processor and timestamps each call (one call per decode step, the first right after prefill)"
    def __init__(self, proc): self.proc, self.times = proc, []
    def allowed(self, ids, scores): self.times.append(time.perf_counter()); return self.proc.allowed(ids, scores)
    def __call__(self, ids, scores): self.times.append(time.perf_counter()); return self.proc(ids, scores)
    def rate(self, batch:int) -> float: return batch * (len(self.times) - 1) / (self.times[-1] - self.times[0])

def run_generate(model, tok, vocab, prompt, uncond, B, n, g, seed):
    ids = tok([prompt] * B, return_tensors="pt")
    clock = Clock(CodesProcessor(vocab, n))
    procs = LogitsProcessorList([clock, TopPLogitsWarper(0.9), TemperatureLogitsWarper(0.85)])
    kw = {}
    if g > 1:
        neg = tok([uncond] * B, return_tensors="pt")
        kw = dict(guidance_scale=g, negative_prompt_ids=neg.input_ids, negative_prompt_attention_mask=neg.attention_mask)
    torch.manual_seed(seed)
    with torch.inference_mode():
        out = model.generate(**ids, logits_processor=procs, do_sample=True, top_k=0, top_p=1.0, temperature=1.0,
                             max_new_tokens=n + 1, eos_token_id=vocab.eos, pad_token_id=tok.pad_token_id, **kw)
    assert (out[:, ids.input_ids.shape[1]:-1] >= vocab.code_base).all()
    return clock.rate(B)

def run_planner(planner, bp, B, n, g, seed):
    real = planner._generate
    clock = {}
    def timed(prompts, uncond, processor, *args, **kw):
        clock["c"] = Clock(processor)
        return real(prompts, uncond, clock["c"], *args, **kw)
    planner._generate = timed
    try: out = planner.write_codes([bp] * B, seeds=list(range(seed, seed + B)), guidance_scale=g)
    finally: planner._generate = real
    assert all(len(b.codes) == n for b in out)
    return clock["c"].rate(B)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", nargs="+", default=["0.6B", "1.7B"], choices=list(CONFIGS))
    ap.add_argument("--dtypes", nargs="+", default=["float32", "bfloat16"], choices=["float32", "bfloat16"])
    ap.add_argument("--batches", nargs="+", type=int, default=[1, 4])
    ap.add_argument("--guidance", nargs="+", type=float, default=[1.0, 2.0])
    ap.add_argument("--codes", type=int, default=32, help="codes per item (decode steps)")
    ap.add_argument("--repeats", type=int, default=2, help="runs per cell; the best is reported")
    ap.add_argument("--tokenizer", default=str(Path(__file__).resolve().parents[2]/"shared"/"reference"/"prompts"/"lm-tokenizer"))
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--batch-hint", type=int, default=_BATCH_HINT,
                    help="rows the packed weights are tuned for (default: what `Planner.from_pretrained` uses)")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    cap = torch.backends.cpu.get_cpu_capability()
    bf16 = torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()
    print(f"CPU capability {cap}, oneDNN bf16 {'yes' if bf16 else 'no'}, torch {torch.__version__}, {torch.get_num_threads()} threads")
    tdir = Path(tempfile.mkdtemp())
    V = extend_lm_tokenizer(a.tokenizer, tdir)
    tok = AutoTokenizer.from_pretrained(tdir)
    n = a.codes
    bp = Blueprint(CAPTION, LYRICS, 92, "D minor", "4", n / 5, "en", seed=0)
    prompt = lm_prompt(tok, "codes", caption=CAPTION, lyrics=LYRICS, cot_caption=CAPTION, **bp.metas())
    uncond = lm_prompt(tok, "codes", "unconditional", caption=CAPTION, lyrics=LYRICS)
    print(f"prompt {len(tok.encode(prompt))} tokens, {n} codes per item, best of {a.repeats}, packed for {a.batch_hint} rows")
    print(f"{'config':6} {'dtype':8} {'batch':>5} {'guid':>4} | {'generate tok/s':>14} {'planner tok/s':>14} {'speed-up':>8}")
    rows = []
    for name in a.configs:
        cfg = Qwen3Config(vocab_size=V, head_dim=128 if name != "tiny" else 16, rope_theta=1_000_000.0, rms_norm_eps=1e-6,
                          max_position_embeddings=40960, tie_word_embeddings=True, bos_token_id=151643,
                          eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, **CONFIGS[name])
        with torch.device("meta"): model = Qwen3ForCausalLM(cfg)
        model = model.to_empty(device="cpu").eval()
        init_random_(model, generator=torch.Generator().manual_seed(0))
        model.model.rotary_emb = type(model.model.rotary_emb)(config=cfg)   # non-persistent buffers: rebuild off meta
        model.tie_weights()
        assert model.lm_head.weight is model.model.embed_tokens.weight
        for dt in a.dtypes:
            dtype = getattr(torch, dt)
            model = model.to(dtype)
            planner = Planner(model, tok)
            for B in a.batches:
                for g in a.guidance:
                    base = max(run_generate(model, tok, planner.vocab, prompt, uncond, B, n, g, r) for r in range(a.repeats))
                    if can_pack(dtype, "cpu"): pack_linears(model.model, a.batch_hint)
                    ours = max(run_planner(Planner(model, tok) if can_pack(dtype, "cpu") else planner, bp, B, n, g, r) for r in range(a.repeats))
                    if can_pack(dtype, "cpu"): unpack_linears(model.model)
                    rows.append(dict(config=name, dtype=dt, batch=B, guidance=g, generate=round(base, 2), planner=round(ours, 2),
                                     speedup=round(ours / base, 2)))
                    print(f"{name:6} {dt:8} {B:5d} {g:4.1f} | {base:14.2f} {ours:14.2f} {ours / base:7.2f}x", flush=True)
        del model, planner
    print(f"peak RSS {rss_gb():.1f} GB")
    print(json.dumps(dict(cpu_capability=cap, onednn_bf16=bf16, codes=n, rows=rows)))

if __name__ == "__main__": main()
