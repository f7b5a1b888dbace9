"Loader errors: the VAE loader reports checkpoint problems as the DiT loader does (`CheckpointError` listing names)."
import json
import pytest, torch
from acestep_nb.core import CheckpointError, read_state_dict, write_state_dict
from acestep_nb.vae import OobleckVAE, VAEConfig

@pytest.fixture
def folder(tmp_path):
    torch.manual_seed(0)
    OobleckVAE(VAEConfig.tiny()).save_pretrained(tmp_path)
    return tmp_path

def test_missing_and_unexpected_listed(folder):
    sd = read_state_dict(folder, "diffusion_pytorch_model")
    sd.pop("decoder.conv2.weight_g"); sd["decoder.conv2.bias"] = torch.zeros(2)
    write_state_dict(sd, folder, stem="diffusion_pytorch_model")
    with pytest.raises(CheckpointError) as e: OobleckVAE.from_pretrained(folder)
    assert "missing (1):\n    decoder.conv2.weight_g" in str(e.value)
    assert "unexpected (1):\n    decoder.conv2.bias" in str(e.value)

def test_missing_weights_file(folder):
    (folder/"diffusion_pytorch_model.safetensors").unlink()
    with pytest.raises(FileNotFoundError, match="no diffusion_pytorch_model.safetensors"): OobleckVAE.from_pretrained(folder)

def test_missing_config(folder):
    (folder/"config.json").unlink()
    with pytest.raises(FileNotFoundError, match="no config.json"): OobleckVAE.from_pretrained(folder)

def test_unknown_config_key_warns(folder):
    cfg = json.loads((folder/"config.json").read_text()); cfg["sample_size"] = 123
    (folder/"config.json").write_text(json.dumps(cfg))
    with pytest.warns(UserWarning, match="sample_size"): OobleckVAE.from_pretrained(folder)
