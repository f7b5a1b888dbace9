"""Notebook-first re-implementation of ACE-Step 1.5: text-to-music with a 5 Hz planner LM, a flow-matching DiT and the Oobleck VAE

Modules:

- `acestep_nb.core`: Strict safetensors loading and writing, dtype/device names, and the finite-value check every component shares"""

__version__ = "0.0.1"
