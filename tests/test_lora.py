"LoRA adapters on the DiT decoder: scale, disable, fuse, official peft layout, LoKr/LoHa, errors (tiny random DiT)"
import json
from pathlib import Path
import pytest, torch, torch.nn as nn
from safetensors.torch import load_file
from acestep_nb.config import AceStepConfig
from acestep_nb.model import AceStepDiT
from acestep_nb.lora import OFFICIAL_TARGETS, PEFT_PREFIX, adapter_state

peft = pytest.importorskip("peft")   # a dependency: ACESTEP_NB_NO_SKIP turns this into a failure

class OfficialDecoder(nn.Module):
    "Only the official decoder's attention module names and shapes: what the official trainer's peft model wraps"
    def __init__(self, cfg):
        super().__init__()
        D, H, KV, hd = cfg.hidden_size, cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
        att = lambda: nn.ModuleDict(dict(q_proj=nn.Linear(D, H*hd, bias=False), k_proj=nn.Linear(D, KV*hd, bias=False),
                                         v_proj=nn.Linear(D, KV*hd, bias=False), o_proj=nn.Linear(H*hd, D, bias=False)))
        self.layers = nn.ModuleList([nn.ModuleDict(dict(self_attn=att(), cross_attn=att())) for _ in range(cfg.num_hidden_layers)])

def write_adapter(cfg, config, folder, seed=0):
    torch.manual_seed(seed)
    model = peft.get_peft_model(OfficialDecoder(cfg), config)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if any(s in n for s in ("lora_", "lokr_", "hada_")): p.normal_(0, 0.3)
    model.save_pretrained(str(folder))
    return folder

@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    cfg = AceStepConfig.tiny()
    dit = AceStepDiT.random(cfg, dtype=torch.float32, seed=3)
    g = torch.Generator().manual_seed(0)
    enc, ctx = torch.randn(1, 7, cfg.hidden_size, generator=g), torch.randn(1, 20, 128, generator=g)
    x, t = torch.randn(1, 20, 64, generator=g), torch.tensor([0.6])
    @torch.no_grad()
    def run(): return dit.decoder(x, t, dit.decoder.prepare(enc, ctx))
    return cfg, dit, run, tmp_path_factory.mktemp("lora")

def lora_config(**kw): return peft.LoraConfig(**dict(r=4, lora_alpha=8, target_modules=list(OFFICIAL_TARGETS),
                                                     task_type="FEATURE_EXTRACTION") | kw)

def test_official_layout_loads_every_key(setup):
    cfg, dit, run, tmp = setup
    folder = write_adapter(cfg, lora_config(), tmp/"official")
    file = load_file(folder/"adapter_model.safetensors")
    assert all(k.startswith(PEFT_PREFIX + "layers.") for k in file)
    assert json.loads((folder/"adapter_config.json").read_text())["peft_type"] == "LORA"
    name = dit.load_adapter(folder, name="off")
    held = {n: p for n, p in dit.decoder.named_parameters() if ".off." in n}
    want = {k.removeprefix(PEFT_PREFIX).replace(".weight", ".off.weight"): v for k, v in file.items()}
    assert set(held) == set(want) and len(want) == 2 * 4 * 2 * cfg.num_hidden_layers   # A,B x 4 projections x 2 attentions
    for k, v in want.items(): assert torch.equal(held[k], v)
    dit.unload_adapters(name)

def test_scale_disable_fuse(setup):
    cfg, dit, run, tmp = setup
    base = run()
    dit.load_adapter(write_adapter(cfg, lora_config(lora_dropout=0.1), tmp/"a"), name="a")   # official dropout 0.1
    full = run()
    assert torch.equal(run(), full)                                 # LoRA dropout is off at inference
    assert (full - base).abs().max() > 1e-3
    dit.set_adapter_scale(0.0)
    assert torch.equal(run(), base)                                 # scale 0 = base output, exactly
    dit.set_adapter_scale(1.0)
    assert torch.equal(run(), full)
    dit.enable_adapters(False)
    assert torch.equal(run(), base)                                 # disabled = base
    dit.enable_adapters(True)
    dit.fuse_adapters()
    torch.testing.assert_close(run(), full, atol=1e-5, rtol=1e-4)   # scale 1 = fused output
    assert adapter_state(dit).fused
    dit.unfuse_adapters()
    torch.testing.assert_close(run(), full, atol=1e-5, rtol=1e-4)
    dit.unload_adapters()
    torch.testing.assert_close(run(), base, atol=1e-5, rtol=1e-4)
    assert isinstance(dit.decoder.layers[0].self_attn.q_proj, nn.Linear)

@pytest.mark.parametrize("kind", ["LOKR", "LOHA"])
def test_lokr_loha(setup, kind):
    cfg, dit, run, tmp = setup
    base = run()
    config = (peft.LoKrConfig if kind == "LOKR" else peft.LoHaConfig)(r=4, alpha=4, target_modules=list(OFFICIAL_TARGETS))
    name = dit.load_adapter(write_adapter(cfg, config, tmp/kind))
    assert adapter_state(dit).adapters[name].peft_type == kind
    assert (run() - base).abs().max() > 1e-4
    dit.set_adapter_scale(0.0)
    assert torch.equal(run(), base)
    dit.unload_adapters()

def test_errors_teach(setup):
    cfg, dit, run, tmp = setup
    with pytest.raises(FileNotFoundError, match="LoRA path not found"): dit.load_adapter(tmp/"nowhere")
    (tmp/"empty").mkdir()
    with pytest.raises(FileNotFoundError, match="not a peft adapter folder"): dit.load_adapter(tmp/"empty")
    with pytest.raises(ValueError, match="no LoRA adapter is loaded"): dit.set_adapter_scale(0.5)
    folder = write_adapter(cfg, lora_config(), tmp/"e")
    with pytest.raises(ValueError, match=r"`scale` must be a number in \[0.0, 2.0\]"): dit.load_adapter(folder, scale=-1)
    dit.load_adapter(folder, name="e")
    with pytest.raises(ValueError, match="no adapter named 'x'; loaded: \\['e'\\]"): dit.set_adapter_scale(0.5, name="x")
    with pytest.raises(ValueError, match="`scale` must be a number"): dit.set_adapter_scale(float("inf"))
    dit.unload_adapters()
