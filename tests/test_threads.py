"Two threads sampling from one model with different silence latents get what each gets alone (no_reference_timbre cache)"
import sys, threading, torch
from acestep_nb import AceStepConfig, AceStepDiT, sample

def test_two_threads_sampling_with_different_silence_latents():
    model = AceStepDiT.random(AceStepConfig.tiny(timbre_fix_frame=20), std=0.2)
    B, T = 1, 24
    silences = [torch.randn(1, 40, 64, generator=torch.Generator().manual_seed(i)) for i in (1, 2)]
    text = dict(text_hidden_states=torch.randn(B, 6, 32), text_attention_mask=torch.ones(B, 6),
                lyric_hidden_states=torch.randn(B, 7, 32), lyric_attention_mask=torch.ones(B, 7))
    def run(s): return sample(model, src_latents=s[:, :T], chunk_masks=torch.ones(B, T, 64), is_covers=torch.zeros(B),
                              seeds=[7], silence_latent=s, turbo=True, refer_audio_acoustic_hidden_states_packed=None,
                              refer_audio_order_mask=None, **text).latents
    alone = [run(s) for s in silences]
    assert (alone[0] - alone[1]).abs().max() > 1e-3            # the silence latent matters to the result
    got, errors = {0: [], 1: []}, []
    def worker(i):
        try:
            for _ in range(4): got[i].append(run(silences[i]))
        except Exception as e: errors.append(e)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=worker, args=(i,)) for i in (0, 1)]
        for t in threads: t.start()
        for t in threads: t.join()
    finally: sys.setswitchinterval(old)
    assert errors == []
    for i in (0, 1):
        for latents in got[i]: torch.testing.assert_close(latents, alone[i], rtol=0, atol=1e-5)
