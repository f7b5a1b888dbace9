"""Notebook-first re-implementation of ACE-Step 1.5: text-to-music with a 5 Hz planner LM, a flow-matching DiT and the Oobleck VAE

Modules:

- `acestep_nb.audio`: Any libsndfile file in, 48 kHz stereo float32 `[2, samples]` out; wav/flac/mp3 saving; STFT, log-mel and plots
- `acestep_nb.audio_codes`: 25 Hz latents → 5 Hz finite-scalar-quantized codes (64 000 of them) → 25 Hz "hints" for the DiT
- `acestep_nb.cli`: `acestep-nb generate`, `acestep-nb download` and `acestep-nb demo`: the pipeline from a shell
- `acestep_nb.conditioning`: The caption, lyrics and reference clip of a request become the tensors the condition encoder reads: Qwen3-Embedding hidden states, Qwen3 input embeddings, and 30 s of reference latents
- `acestep_nb.config`: `AceStepConfig`: the official `config.json` of an ACE-Step 1.5 DiT folder, as a dataclass
- `acestep_nb.core`: Strict safetensors loading and writing, dtype/device names, and the finite-value check every component shares
- `acestep_nb.dcw`: The official samplers' per-step correction since April 2026: push each new latent away from its clean estimate, separately in the Haar low and high bands along time
- `acestep_nb.dit`: AdaLN-modulated DiT layers over 12.5 Hz patches of `[source | chunk mask | noisy latents]`, predicting the flow velocity
- `acestep_nb.encoders`: Caption, lyrics and reference audio become one cross-attention sequence for the DiT
- `acestep_nb.guidance`: Classifier-free guidance and its two refinements, APG and ADG, as free functions of the two velocity predictions
- `acestep_nb.layers`: RMSNorm, rotary embeddings, grouped-KV attention with q/k norms and a bidirectional sliding window, SwiGLU
- `acestep_nb.lora`: Load, scale, combine, fuse and save peft adapters (LoRA, LoKr, LoHa) on the DiT decoder; adapter folders made for the official model load unchanged
- `acestep_nb.lora_training`: Personalise the DiT on a folder of songs: a cached dataset of everything training needs, and an accelerate trainer with the official flow-matching objective that writes a peft adapter folder
- `acestep_nb.model`: `AceStepDiT`: decoder, condition encoder, audio tokenizer and detokenizer, loaded from an official checkpoint folder unchanged
- `acestep_nb.parity`: `python -m acestep_nb.parity DIR`: run the official parity cases — model, prompts and whole-pipeline task assembly — against this library
- `acestep_nb.pipeline`: `AceStepPipeline.from_pretrained(...).generate(caption, lyrics, ...)`: a caption to a 48 kHz stereo song, and every editing task of ACE-Step 1.5, assembled exactly as the official handler assembles them
- `acestep_nb.planner`: A Qwen3 language model plans the song (metadata, a rewritten caption, then 5 audio codes per second) before the DiT renders it
- `acestep_nb.sampler`: From noise to latents: the Euler/SDE loop with turbo and base schedules, guidance, cover strength, cover noise and repaint
- `acestep_nb.schedules`: Which noise levels a sampling run visits: the turbo tables, user timesteps, and the shifted linear schedule of base/sft
- `acestep_nb.testing`: A complete checkpoint root in the official folder layout, with tiny random weights, written by the library's own writers: what the tests and `acestep-nb demo` load instead of the real models
- `acestep_nb.vae`: 48 kHz stereo audio ⇄ 25 Hz, 64-channel latents (1920× temporal compression), loaded from the official `vae/` folder
- `acestep_nb.widgets`: `GenerationPanel(pipe)`: a studio that makes, plays, saves and edits songs without code; `SpectrogramInspector(audio)`: zoom into a take, compare two, and hand a time range to the studio as a repaint window"""

__version__ = "0.0.1"

from .config import AceStepConfig
from .model import AceStepDiT
from .sampler import sample
from .vae import OobleckVAE, VAEConfig, postprocess_audio
from .audio import load_audio, save_audio
from . import lora as _lora   # adds AceStepPipeline.load_lora, set_lora_scale, ..., train_lora
