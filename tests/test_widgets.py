"Drive the notebook panels as a user would, on tiny checkpoints: set values, click, read what the panel shows."
import dataclasses, io, json, time
import pytest, torch, soundfile as sf
import ipywidgets as W
from acestep_nb.audio import SAMPLE_RATE
from acestep_nb.conditioning import TASKS
from acestep_nb.pipeline import AceStepPipeline
from acestep_nb.testing import make_tiny_checkpoint
from acestep_nb.widgets import GenerationPanel, SpectrogramInspector, ResultCard, planner_status, lora_status, audio_bytes

PNG = b"\x89PNG"

@pytest.fixture(scope="module")
def root(tmp_path_factory): return make_tiny_checkpoint(tmp_path_factory.mktemp("ckpt") / "checkpoints")

@pytest.fixture(scope="module")
def turbo(root): return AceStepPipeline.from_pretrained(root, device="cpu", dtype=torch.float32)

@pytest.fixture(scope="module")
def base(root): return AceStepPipeline.from_pretrained(root, dit="acestep-v15-base", device="cpu", dtype=torch.float32)

@pytest.fixture(scope="module")
def take(turbo):
    "One 10 s take to edit"
    return turbo.generate("lo-fi beat", duration=10, seeds=[5], progress=False)

def studio(pipe, tmp_path, **kw):
    p = GenerationPanel(pipe, output_dir=tmp_path / "songs", **kw)
    p.caption.value, p.duration.value = "lo-fi beat", 10
    return p

def run(panel, timeout=120):
    panel.generate_button.click()
    res = panel.wait(timeout)
    assert not panel.running, "the run did not end"
    assert panel.error.value == "", panel.error.value
    return res

@pytest.mark.parametrize("format", ["mp3", "ogg", "wav"])
def test_a_minute_of_audio_encodes_for_the_player(format):
    "libsndfile 1.2's Vorbis encoder crashes the process on one large write; players write a second at a time"
    x = (torch.rand(2, 60 * SAMPLE_RATE) * 2 - 1) * 0.5
    back, sr = sf.read(io.BytesIO(audio_bytes(x, format=format)), dtype="float32")
    assert sr == SAMPLE_RATE and back.shape[1] == 2 and abs(len(back) - 60 * SAMPLE_RATE) <= 2 * 1152

def test_seeds_are_honoured_and_cards_show_them(turbo, tmp_path):
    panel = studio(turbo, tmp_path, preview="spectrogram", preview_every=4)
    panel.seeds.value, panel.batch_size.value = "7, 9", 2
    res = run(panel)
    assert res.seeds == [7, 9]
    direct = turbo.generate("lo-fi beat", duration=10, batch_size=2, seeds=[7, 9], progress=False)
    assert torch.equal(res.audio, direct.audio)
    cards = panel.results.children
    assert [c.result.seeds for c in cards] == [[7], [9]]
    assert all(isinstance(c, ResultCard) and isinstance(c.audio, W.Audio) and bytes(c.image.value[:4]) == PNG for c in cards)
    assert ["seed 7" in cards[0].title.value, "seed 9" in cards[1].title.value] == [True, True]
    assert bytes(panel.preview_image.value[:4]) == PNG            # the decoded live preview was drawn
    assert panel.preview_image.layout.display == "none"    # and put away when the run ended

def test_random_seeds_are_drawn_once_and_reported(turbo, tmp_path):
    panel = studio(turbo, tmp_path, preview="off")
    res = run(panel)
    assert len(res.seeds) == 1 and f"seed {res.seeds[0]}" in panel.cards[0].title.value
    assert bytes(panel.preview_image.value) == b""                # preview off: nothing drawn

@pytest.mark.parametrize("setup, message", [
    (dict(duration=5), "`duration` must be in [10, 600]"),
    (dict(bpm="fast"), "`bpm` must be a whole number"),
    (dict(bpm="500"), "`bpm` must be in [30, 300]"),
    (dict(seeds="lucky"), "`seeds` must be empty (random)"),
    (dict(seeds="1, 2", batch_size=3), "one seed per item (batch_size=3)"),
    (dict(task="repaint"), "task='repaint' needs `src_audio`"),
    (dict(lyrics="x" * 5000), "at most 4096 characters"),
])
def test_bad_values_are_reported_inline_and_nothing_runs(turbo, tmp_path, setup, message):
    panel = studio(turbo, tmp_path)
    for k, v in setup.items(): getattr(panel, k).value = v
    panel.generate_button.click()
    assert message in panel.error.value and "ValueError" in panel.error.value
    assert not panel.running and panel.results.children == () and not panel.generate_button.disabled

def test_errors_name_the_panel_field_where_the_api_name_differs(turbo, tmp_path):
    panel = studio(turbo, tmp_path)
    panel.task.value = "repaint"
    panel.generate_button.click()
    assert "needs `src_audio`" in panel.error.value and "in the panel: source" in panel.error.value
    panel.task.value, panel.duration.value = "text2music", 3
    panel.generate_button.click()
    assert "`duration` must be in" in panel.error.value and "in the panel" not in panel.error.value

def test_an_error_in_the_generation_thread_is_reported_inline(turbo, take, tmp_path):
    panel = studio(turbo, tmp_path)
    panel.duration.value = 12                               # 300 frames; the take has 250
    panel.generate(variation_of=take)
    panel.wait(120)
    assert "`variation_of` holds (1, 250, 8) latents" in panel.error.value
    assert (panel.progress.bar_style, panel.status.value, panel.generate_button.disabled) == ("danger", "failed", False)

def test_stop_interrupts_a_run_and_the_notebook_stays_responsive(base, tmp_path):
    panel = studio(base, tmp_path, preview="off")
    panel.steps.value = 400
    t0 = time.perf_counter()
    panel.generate_button.click()
    assert panel.running and time.perf_counter() - t0 < 5   # the click returned while the run goes on
    while panel.progress.value < 3 and panel.running: time.sleep(0.01)
    assert not panel.stop_button.disabled
    panel.stop_button.click()                               # from this (the "kernel") thread, as a user would
    res = panel.wait(120)
    assert res.interrupted and 3 <= panel.progress.value < 400
    assert panel.progress.bar_style == "warning" and "stopped after" in panel.status.value
    assert f"stopped after {panel.progress.value} of 400 steps" in panel.cards[0].title.value
    assert panel.stop_button.disabled and not panel.generate_button.disabled

def test_task_selector_shows_only_what_the_task_needs(base, turbo, tmp_path):
    assert turbo_tasks(turbo, tmp_path) == ("text2music", "cover", "repaint")
    panel = studio(base, tmp_path)
    assert panel.task.options == TASKS
    shown = lambda w: w.layout.display != "none"
    for task, visible in [("text2music", {"duration"}), ("cover", {"task_box", "cover_row"}),
                          ("repaint", {"task_box", "repaint_row"}), ("lego", {"task_box", "repaint_row", "track"}),
                          ("extract", {"task_box", "track"}), ("complete", {"task_box", "complete_row"})]:
        panel.task.value = task
        names = ("duration", "task_box", "repaint_row", "track", "complete_row", "cover_row")
        assert {n for n in names if shown(getattr(panel, n))} == visible, task
        assert set(panel.params()) >= {"task", "caption", "seeds"}
    assert not panel.steps.disabled and not panel.guidance_scale.disabled

def turbo_tasks(turbo, tmp_path):
    panel = studio(turbo, tmp_path)
    assert panel.steps.disabled and panel.guidance_scale.disabled and "fixed 8-step" in panel.sampling_note.value
    assert "lego, extract, complete: need a base checkpoint" in panel.task_note.value
    return panel.task.options

def test_extract_on_base_passes_the_track(base, take, tmp_path):
    panel = studio(base, tmp_path, preview="off")
    panel.task.value, panel.track.value, panel.steps.value = "extract", "vocals", 2
    panel.source.set(take, "the take")
    res = run(panel)
    assert res.items[0]["instruction"] == "Extract the VOCALS track from the audio:"
    assert res.audio.shape == take.audio.shape

def test_inspector_selection_of_a_file_becomes_the_repaint_window(turbo, take, tmp_path):
    path = take.save_item(0, tmp_path / "take.wav")
    panel = studio(turbo, tmp_path, preview="off")
    insp = SpectrogramInspector(path, panel=panel)
    insp.selection.value = (1.0, 3.5)
    insp.send_button.click()
    assert (panel.task.value, panel.repaint_start.value, panel.repaint_end.value) == ("repaint", 1.0, 3.5)
    assert panel.source.name == "take.wav" and panel.source.seconds == pytest.approx(10.0)
    res = run(panel)
    assert (res.params["repaint_start"], res.params["repaint_end"]) == (1.0, 3.5)
    assert res.items[0]["span"] == ["repainting", 25, 87]        # 1.0 s and 3.5 s at 25 frames per second
    assert "will repaint 1.00–3.50 s" in insp.message.value

def test_inspector_views_channels_and_compare(take, tmp_path):
    quiet = take.audio[0] * torch.tensor([[1.0], [0.25]])
    insp = SpectrogramInspector(take, compare=(quiet.numpy(), SAMPLE_RATE))
    assert len(insp.figure().axes) == 5                     # A: wave, mel, latents; B: wave, mel
    insp.show_latents.value = False
    assert len(insp.figure().axes) == 4
    insp.zoom_in.click()
    insp.zoom_in.click()
    assert insp.view.value == (3.75, 6.25)
    insp.right.click()
    assert insp.view.value == (5.0, 7.5)
    insp.all_button.click()
    assert insp.view.value == (0, 10.0)
    insp.channel.value = "right"
    assert bytes(insp.image.value[:4]) == PNG and "Error" not in insp.message.value
    pair = dataclasses.replace(take, audio=take.audio.repeat(2, 1, 1), latents=take.latents.repeat(2, 1, 1), seeds=[1, 2],
                               items=take.items * 2)
    with pytest.raises(ValueError, match="pick one: result"): SpectrogramInspector(pair)
    assert [c.name for c in SpectrogramInspector(pair[1], compare=quiet).clips] == ["A", "B"]
    assert SpectrogramInspector(pair[1]).clips[0].name == "seed 2"

def test_card_actions_save_source_and_variation(turbo, tmp_path):
    panel = studio(turbo, tmp_path, preview="off")
    panel.seeds.value = "11"
    first = run(panel)
    card = panel.cards[0]
    card.save_button.click()
    saved = tmp_path / "songs" / "take1-seed11.flac"
    assert saved.exists() and json.loads(saved.with_suffix(".json").read_text())["seed"] == 11
    card.save_button.click()
    assert "exists" in card.message.value                    # never overwrites; says so on the card
    panel.variation_strength.value = 0.9
    card.variation_button.click()
    near = panel.wait(120)
    assert near.params["variation_strength"] == 0.9 and near.seeds != [11] and len(panel.cards) == 2
    fresh = turbo.generate("lo-fi beat", duration=10, seeds=near.seeds, progress=False)
    d = lambda r: ((r.latents - first.latents).norm() / first.latents.norm()).item()
    assert d(near) < d(fresh)                                # the variation stays near the take
    card.source_button.click()
    assert panel.task.value == "repaint" and torch.equal(panel.source.audio, first.audio[0])

def test_planner_controls_say_why_they_are_disabled_and_lora_controls_are_live(turbo, tmp_path):
    panel = studio(turbo, tmp_path)
    assert panel.thinking.disabled and panel.query.disabled and panel.sample_button.disabled
    assert lora_status(turbo) is None                         # acestep_nb.lora gives every pipeline load_lora & co.
    assert not (panel.lora_path.disabled or panel.lora_button.disabled or panel.lora_scale.disabled)
    assert "planner LM" in planner_status(turbo)
    text = " ".join(w.value for w in panel.settings.children[2].children if isinstance(w, W.HTML))
    assert planner_status(turbo) in text
    with pytest.raises(ValueError, match="needs the 5 Hz planner LM"): panel.create_sample()
    with pytest.raises(FileNotFoundError, match="LoRA path not found"): panel.load_lora(str(tmp_path/"no-adapter"))

def test_lora_controls_load_and_scale_a_real_adapter(root, tmp_path):
    "An adapter folder written by peft (official module names): the panel loads it at the slider's scale and rescales it"
    import peft
    from acestep_nb.lora import OFFICIAL_TARGETS
    pipe = AceStepPipeline.from_pretrained(root, device="cpu", dtype=torch.float32)
    folder = tmp_path / "adapter"
    pipe.dit.add_adapter(peft.LoraConfig(r=4, lora_alpha=8, target_modules=list(OFFICIAL_TARGETS)), name="mine")
    with torch.no_grad():
        for n, p in pipe.dit.decoder.named_parameters():
            if ".mine." in n: p.normal_(0, 0.3)
    pipe.dit.save_adapter(folder, name="mine")
    pipe.unload_lora()
    base = pipe.generate("lo-fi beat", duration=10, seeds=[3], progress=False).latents
    panel = studio(pipe, tmp_path)
    assert not (panel.lora_path.disabled or panel.lora_button.disabled or panel.lora_scale.disabled)
    panel.seeds.value = "3"
    panel.lora_path.value, panel.lora_scale.value = str(folder), 0.5    # scale before load: nothing to scale yet
    panel.lora_button.click()
    assert panel.error.value == "", panel.error.value
    assert [s for _, s in pipe.loras.values()] == [0.5] and "LoRA loaded" in panel.lora_status.value
    panel.lora_scale.value = 0.0                                          # scale 0: the base model again
    assert [s for _, s in pipe.loras.values()] == [0.0]
    assert torch.equal(run(panel).latents, base)
    panel.lora_scale.value = 1.0
    assert not torch.equal(run(panel).latents, base)

def test_simple_mode_and_thinking_with_a_real_planner(tmp_path):
    "A tiny random 5 Hz LM: simple mode fills the fields with the planner's sample for the panel's seed"
    lm_root = make_tiny_checkpoint(tmp_path / "with-lm", variants=("turbo",), lm="acestep-5Hz-lm-0.6B")
    pipe = AceStepPipeline.from_pretrained(lm_root, lm="acestep-5Hz-lm-0.6B", device="cpu", dtype=torch.float32)
    panel = studio(pipe, tmp_path)
    assert not (panel.thinking.disabled or panel.query.disabled or panel.sample_button.disabled)
    panel.query.value, panel.seeds.value = "a waltz in Paris", "11"
    panel.sample_button.click()
    panel.wait(120)
    assert panel.error.value == "", panel.error.value
    bp = pipe.create_sample("a waltz in Paris", seeds=11)                       # the same seed plans the same sample
    assert (panel.caption.value, panel.lyrics.value, panel.bpm.value, panel.duration.value) == (
        bp.caption, bp.lyrics, str(bp.bpm), float(bp.duration))
    assert panel.keyscale.value == bp.keyscale.replace("♯", "#").replace("♭", "b")
    assert panel.timesignature.value == str(bp.timesignature).split("/")[0] and panel.language.value == bp.language
    panel.thinking.value, panel.duration.value = True, 10    # thinking: the planner writes 50 codes, the DiT renders them
    res = run(panel, timeout=300)
    assert res.blueprint is not None and all(len(b.codes) == 50 for b in res.blueprint)
