#!/usr/bin/env bash
# GPU benchmarks at the released sizes with random weights (issue 10), as one prepared run for a lent GPU:
# the DiT sampler (8 turbo steps), the whole pipeline (text encoding, sampling, VAE decode) for 10, 60 and 240 s of
# audio in bfloat16, batch 1 and 4, with and without torch.compile, with peak GPU memory. Target: a 240 s song
# (8 turbo steps + decode) in under 1 s on an H100/H200-class GPU.
#
#   bash benchmarks/gpu_bench.sh [OUT_DIR]        # JSON lines in OUT_DIR (default: gpu-bench/), ~10 min on an H200
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-gpu-bench}
mkdir -p "$OUT"
ROOT=${ACESTEP_BENCH_ROOT:-/tmp/acestep-bench-root}     # the released-size random checkpoint root, written once
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
python -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" | tee -a "$OUT/gpu.txt"

echo "== DiT sampler (bf16, 8 turbo steps)"
for s in 10 60 240; do
  for b in 1 4; do
    timeout 300 python benchmarks/dit_bench.py --device cuda --dtype bfloat16 --seconds $s --batch $b --repeats 3 --json \
      | tail -1 | tee -a "$OUT/dit.jsonl" || echo "{\"seconds\": $s, \"batch\": $b, \"error\": \"failed or timed out\"}" | tee -a "$OUT/dit.jsonl"
  done
done
echo "== DiT sampler with torch.compile"
for s in 10 240; do
  timeout 400 python benchmarks/dit_bench.py --device cuda --dtype bfloat16 --seconds $s --batch 1 --repeats 3 --compile --json \
    | tail -1 | tee -a "$OUT/dit.jsonl" || echo "{\"seconds\": $s, \"compile\": true, \"error\": \"failed or timed out\"}" | tee -a "$OUT/dit.jsonl"
done

echo "== whole pipeline (encode + sample + VAE decode)"
python benchmarks/pipeline_bench.py --root "$ROOT" --device cuda --dtype bfloat16 --seconds 10 60 240 --batch 1 4 --repeats 2 \
  --out "$OUT/pipeline.jsonl"
python benchmarks/pipeline_bench.py --root "$ROOT" --device cuda --dtype bfloat16 --seconds 240 --batch 1 --repeats 2 --compile \
  --out "$OUT/pipeline.jsonl"
echo "results in $OUT/"
