"Parity of `OobleckVAE` with diffusers' `AutoencoderOobleck` at the released ACE-Step 1.5 VAE config (random weights)."
import warnings
import pytest, torch
from acestep_nb.vae import OobleckVAE, VAEConfig

diffusers = pytest.importorskip("diffusers")

RELEASED = dict(encoder_hidden_size=128, downsampling_ratios=[2, 4, 4, 6, 10], channel_multiples=[1, 2, 4, 8, 16],
                decoder_channels=128, decoder_input_channels=64, audio_channels=2, sampling_rate=48000)

@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)           # torch's old weight_norm, used by diffusers
        ref = diffusers.AutoencoderOobleck(**RELEASED).eval()
    with torch.no_grad():                                        # make the Snake parameters matter
        for n, p in ref.named_parameters():
            if n.endswith(("alpha", "beta")): p.normal_(0, 0.3)
    folder = tmp_path_factory.mktemp("vae")
    ref.save_pretrained(folder)                                  # official layout: config.json + diffusion_pytorch_model.safetensors
    return ref, OobleckVAE.from_pretrained(folder, dtype=torch.float32), folder   # parity is defined in float32

def test_config_and_names(pair):
    ref, ours, folder = pair
    assert ours.config == VAEConfig()                            # the released config is our default
    assert set(ours.state_dict()) == set(ref.state_dict())
    assert any(k.endswith("weight_g") for k in ref.state_dict())

def test_decode_matches(pair):
    ref, ours, _ = pair
    z = torch.randn(1, 64, 12)
    with torch.no_grad(): want = ref.decode(z).sample
    got = ours.decode(z)
    assert got.shape == (1, 2, 12 * 1920)
    torch.testing.assert_close(got, want, atol=1e-4, rtol=0)

def test_encode_mean_and_sample_match(pair):
    ref, ours, _ = pair
    audio = torch.randn(1, 2, 12 * 1920 + 100) * 0.3
    with torch.no_grad(): post = ref.encode(audio).latent_dist
    mean = ours.encode(audio, sample=False)
    assert mean.shape == (1, 64, 12)
    torch.testing.assert_close(mean, post.mean, atol=1e-4, rtol=0)
    g = lambda: torch.Generator().manual_seed(7)
    torch.testing.assert_close(ours.encode(audio, generator=g()), post.sample(generator=g()), atol=1e-4, rtol=0)

def test_bfloat16_load_close_to_float32(pair):
    _, ours, folder = pair
    bf = OobleckVAE.from_pretrained(folder, dtype=torch.bfloat16)
    z = torch.randn(1, 64, 6)
    a, b = ours.decode(z), bf.decode(z).float()
    assert b.dtype == torch.float32 and torch.isfinite(b).all()
    assert (a - b).abs().max() < 0.05 * a.abs().max()           # bf16 keeps ~3 significant digits

def test_folded_by_default_and_equal_to_unfolded(pair):
    ref, ours, folder = pair
    assert all(m.folded for m in ours.modules() if hasattr(m, "weight_g"))      # from_pretrained folds the weight norm
    plain = OobleckVAE.from_pretrained(folder, dtype=torch.float32, fold=False)
    assert not any(m.folded for m in plain.modules() if hasattr(m, "weight_g"))
    z = torch.randn(1, 64, 5)
    torch.testing.assert_close(ours.decode(z), plain.decode(z), atol=1e-6, rtol=0)

def test_saved_folded_model_round_trips_through_diffusers(pair, tmp_path):
    ref, ours, _ = pair
    ours.save_pretrained(tmp_path)                               # weight_v now holds the folded weight (a valid direction)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        back = diffusers.AutoencoderOobleck.from_pretrained(tmp_path).eval()
    assert list(back.state_dict()) == list(ref.state_dict())
    z = torch.randn(1, 64, 6)
    with torch.no_grad(): torch.testing.assert_close(back.decode(z).sample, ref.decode(z).sample, atol=1e-5, rtol=0)
    again = OobleckVAE.from_pretrained(tmp_path, dtype=torch.float32)
    torch.testing.assert_close(again.decode(z), ours.decode(z), atol=1e-6, rtol=0)

def test_default_tiled_decode_matches_diffusers(pair):
    ref, ours, _ = pair
    z = torch.randn(1, 64, 70)                                   # 5 windows of <= 48 frames, the default 16-frame overlap
    with torch.no_grad(): want = ref.decode(z).sample
    torch.testing.assert_close(ours.decode(z, chunk=48), want, atol=1e-4, rtol=0)
