"Saving long songs in every format (libsndfile's Vorbis encoder crashes on one large write)."
import numpy as np, pytest, soundfile as sf, torch
from acestep_nb.audio import save_audio, load_audio, audio_formats

@pytest.mark.parametrize("fmt", ["ogg", "mp3", "flac"])
def test_save_a_minute(tmp_path, fmt):
    if fmt not in audio_formats(): pytest.skip(f"this libsndfile cannot write {fmt}")
    x = torch.from_numpy(np.random.default_rng(0).standard_normal((2, 60 * 48000)).astype(np.float32)) * 0.1
    path = save_audio(x, tmp_path/f"long.{fmt}")
    info = sf.info(str(path))
    assert (info.samplerate, info.channels) == (48000, 2)
    assert abs(info.duration - 60) < 0.1, info.duration
