"The 5 Hz LM planner: reference prompts, and plans from a tiny random LM with the real Qwen3 vocabulary"
from pathlib import Path
import json, warnings
import pytest, torch
from transformers import AutoModelForCausalLM
from acestep_nb.planner import (Planner, Blueprint, CodesProcessor, MetadataProcessor, lm_prompt, write_tiny_lm,
                                parse_cot, checked_fields, KEYSCALES, LANGUAGES, TIME_SIGNATURES, N_CODES, COT_FIELDS)

PROMPTS = Path(__file__).resolve().parents[2]/"shared"/"reference"/"prompts"
LM_TOKENIZER = PROMPTS/"lm-tokenizer"
CASES = json.loads((PROMPTS/"cases.json").read_text())["cases"] if (PROMPTS/"cases.json").exists() else []
LM_CASES = [c for c in CASES if c["kind"] == "lm_prompt"]
needs_tokenizer = pytest.mark.skipif(not LM_TOKENIZER.exists(), reason=f"Qwen3 LM tokenizer not found at {LM_TOKENIZER}")
MAXD = 14          # planned durations 10..14 s: at most 70 codes per plan keeps the suite fast
FAST = dict(max_duration=MAXD, caption_max_tokens=12)

@pytest.fixture(scope="module")
def tok():
    if not LM_TOKENIZER.exists(): pytest.skip(f"Qwen3 LM tokenizer not found at {LM_TOKENIZER}")
    from transformers import AutoTokenizer
    return AutoTokenizer.from_pretrained(LM_TOKENIZER)

@pytest.fixture(scope="module")
def planner(tmp_path_factory):
    if not LM_TOKENIZER.exists(): pytest.skip(f"Qwen3 LM tokenizer not found at {LM_TOKENIZER}")
    folder = write_tiny_lm(tmp_path_factory.mktemp("lm")/"acestep-5Hz-lm-tiny", LM_TOKENIZER, seed=1)
    return Planner.from_pretrained(folder)

def check_plan(bp:Blueprint, max_duration=MAXD):
    "Every value of a plan is inside its allowed set and the codes match the duration"
    assert isinstance(bp.bpm, int) and 30 <= bp.bpm <= 300, bp
    assert isinstance(bp.duration, (int, float)) and 10 <= bp.duration <= max_duration, bp
    assert bp.keyscale in KEYSCALES and bp.timesignature in TIME_SIGNATURES and bp.language in LANGUAGES, bp
    assert isinstance(bp.caption, str) and bp.caption.strip(), bp
    assert bp.codes is not None and len(bp.codes) == int(bp.duration * 5), (len(bp.codes or []), bp.duration)
    assert all(0 <= c < N_CODES for c in bp.codes)

# ---------------------------------------------------------------- prompts

def test_reference_cases_present():
    if not CASES: pytest.skip(f"reference prompt cases not found at {PROMPTS/'cases.json'}")
    assert len(LM_CASES) >= 7 and {c["params"]["mode"] for c in LM_CASES} == {"cot", "codes", "understand", "create_sample", "format"}

@needs_tokenizer
@pytest.mark.parametrize("case", LM_CASES, ids=[c["name"] for c in LM_CASES])
def test_lm_prompt_reference_case(tok, case):
    assert lm_prompt(tok, **case["params"]) == case["expected"]["prompt"]

@needs_tokenizer
def test_lm_prompt_guidance_rows(tok):
    neg = lm_prompt(tok, "codes", "negative", caption="pop", lyrics="la", bpm=90, negative_prompt="robotic vocals")
    assert "# Caption\nrobotic vocals\n" in neg and "<think>\n\n</think>" in neg and "bpm" not in neg
    unc = lm_prompt(tok, "codes", "unconditional", caption="pop", lyrics="la", bpm=90)
    assert "# Caption\npop\n" in unc and "<think>\n\n</think>" in unc
    assert lm_prompt(tok, "understand", "unconditional", audio_codes="<|audio_code_1|>", negative_prompt="   ").endswith(
        "<|im_start|>user\n<|im_end|>\n<|im_start|>assistant\n")
    with pytest.raises(ValueError, match="unknown parameter"): lm_prompt(tok, "format", query="x")

# ---------------------------------------------------------------- the tiny LM

def test_tiny_lm_vocabulary(planner):
    t, v = planner.tokenizer, planner.vocab
    assert len(t) == 151669 + 65535
    assert t.convert_tokens_to_ids(["<think>", "</think>", "<|audio_code_0|>", "<|audio_code_63999|>"]) == [151667, 151668, 151669, 215668]
    assert v.eos == t.convert_tokens_to_ids("<|im_end|>") and v.code_base == 151669
    assert planner.model.config.vocab_size == len(t)

# ---------------------------------------------------------------- plans

def test_many_seeds_give_valid_plans(planner):
    bps = planner.plan("dreamy shoegaze with a wall of guitars", "[Verse]\nfading lights", seeds=list(range(10)), **FAST)
    assert [b.seed for b in bps] == list(range(10))
    for bp in bps: check_plan(bp)
    assert len({(b.bpm, b.keyscale, b.duration) for b in bps}) > 1     # seeds matter

def test_constraints_hold_against_a_model_biased_to_bad_tokens(planner):
    "Logits pushed hard towards EOS, invalid codes (>= 64000), tags, backticks, digits and newlines: plans stay valid"
    t = planner.tokenizer
    bad = [planner.vocab.eos, 151643, 151644, 151667, 151668, 151669 + 64000, 151669 + 65534, planner.vocab.newline]
    bad += [t.encode(s)[0] for s in ("`", "```", "\n\n", ".\n", "9", "0", ":", " minor", " zh")]
    planner.logit_bias = torch.zeros(len(t))
    planner.logit_bias[bad] = 25.0
    try:
        bps = planner.plan("a", "", seeds=list(range(6)), **FAST)
        for bp in bps: check_plan(bp)
        bp = planner.plan("a", "", duration=11.5, seeds=7, **FAST)
        check_plan(bp)
        assert len(bp.codes) == 57
    finally: planner.logit_bias = None

def test_user_fields_come_back_unchanged(planner):
    bp = planner.plan("jazz", "[Instrumental]", bpm=333, keyscale="C# minor", language="ja", duration=12.5, seeds=5, **FAST)
    assert (bp.bpm, bp.keyscale, bp.language, bp.duration) == (333, "C# minor", "ja", 12.5)
    assert bp.timesignature in TIME_SIGNATURES and len(bp.codes) == int(12.5 * 5)
    assert "bpm: 333\n" in bp.cot and "keyscale: C# minor\n" in bp.cot and "duration: 12\n" in bp.cot
    full = planner.plan("jazz", "", bpm=90, keyscale="D major", timesignature="6/8", duration=10, seeds=5, **FAST)
    assert (full.bpm, full.keyscale, full.timesignature, full.duration, full.caption) == (90, "D major", "6", 10, "jazz")
    assert full.cot == "<think>\nbpm: 90\nduration: 10\nkeyscale: D major\ntimesignature: 6\n</think>"   # phase 1 skipped
    assert len(full.codes) == 50

def test_same_seed_same_blueprint_whatever_the_batch(planner):
    a = planner.plan("lo-fi hip hop", "", seeds=11, **FAST)
    b = planner.plan("lo-fi hip hop", "", seeds=11, **FAST)
    assert a == b
    batch = planner.plan("lo-fi hip hop", "", seeds=[12, 11], **FAST)
    assert batch[1] == a and batch[0].seed == 12

def test_guidance_changes_the_codes_not_the_structure(planner):
    bp = planner.think("city pop", "", seeds=2, **FAST)[0]
    plain = planner.write_codes(bp, guidance_scale=1.0)[0]
    guided = planner.write_codes(bp, guidance_scale=3.0, negative_prompt="muddy mix")[0]
    assert len(plain.codes) == len(guided.codes) == int(bp.duration * 5)
    assert plain.codes != guided.codes

def test_phase1_guidance_and_options(planner):
    bps = planner.think("ambient drone", "", seeds=[0, 1], cot_guidance_scale=2.0, use_cot_language=False, **FAST)
    for b in bps: assert b.language is None and "language" not in b.cot and b.keyscale in KEYSCALES
    bp = planner.think("ambient drone", "", seeds=0, use_cot_caption=False, **FAST)[0]
    assert bp.caption == "ambient drone" and "caption" not in bp.cot

def test_input_errors_teach(planner):
    with pytest.raises(ValueError, match="`duration` must be in"): planner.plan("x", duration=601)
    with pytest.raises(ValueError, match="`bpm` must be a positive integer"): planner.plan("x", bpm=-3)
    with pytest.raises(ValueError, match="`seeds` has 2 entries"): planner.plan(["a", "b", "c"], seeds=[1, 2])
    with pytest.raises(ValueError, match=r"audio codes must be in \[0, 63999\]"): planner.understand([1, 64000])

def test_missing_duration_falls_back_with_a_warning(planner):
    with pytest.warns(UserWarning, match="no duration"):
        bp = planner.write_codes(Blueprint("x", "", 100, "C major", "4", None, "en", seed=0), guidance_scale=1.0)[0]
    assert bp.duration == 30 and len(bp.codes) == 150

def test_malformed_fields_fall_back_not_crash():
    with pytest.warns(UserWarning, match="invalid keyscale"):
        got = checked_fields(parse_cot("bpm: fast\nkeyscale: Z major\nlanguage: en\nduration"), {"bpm": 120})
    assert got["bpm"] == 120 and got["keyscale"] is None and got["language"] == "en" and got["duration"] is None

# ---------------------------------------------------------------- text modes

@pytest.fixture
def eos_likely(planner):
    "A random LM almost never ends free text: raise EOS so lyrics end within a few dozen tokens"
    planner.logit_bias = torch.zeros(len(planner.tokenizer))
    planner.logit_bias[planner.vocab.eos] = 9.0
    yield planner
    planner.logit_bias = None

def test_create_sample(eos_likely):
    bps = eos_likely.create_sample("a soft Bengali love song", language="bn", seeds=[0, 1], max_new_tokens=400, **FAST)
    for bp in bps:
        assert bp.language == "bn" and bp.codes is None and bp.genres is not None and bp.caption
        assert bp.keyscale in KEYSCALES and 10 <= bp.duration <= MAXD and "<|audio_code_" not in bp.lyrics
    inst = eos_likely.create_sample("", instrumental=True, seeds=3, max_new_tokens=400, **FAST)
    assert inst.language in LANGUAGES and inst.lyrics

def test_format_injects_every_user_field(eos_likely):
    bp = eos_likely.format("latin pop", "[Verse]\nhola", bpm=100, keyscale="A minor", timesignature=3, duration=200,
                           language="es", seeds=4, max_new_tokens=400, caption_max_tokens=12)
    assert (bp.bpm, bp.keyscale, bp.timesignature, bp.duration, bp.language) == (100, "A minor", "3", 200, "es")

def test_understand_codes(eos_likely):
    codes = [5, 63999, 0, 12345] * 5
    bp = eos_likely.understand(codes, seeds=1, max_new_tokens=400, **FAST)
    assert bp.codes == codes and bp.bpm is not None and bp.language in LANGUAGES
    both = eos_likely.understand([codes, "<|audio_code_7|><|audio_code_8|>"], max_new_tokens=400, **FAST)
    assert [b.codes for b in both] == [codes, [7, 8]]

# ---------------------------------------------------------------- the decode loop computes what model.generate computes

def test_greedy_decoding_equals_model_generate_with_the_same_processors(planner):
    "Greedy phase 1 and phase 2 through `Planner._generate` give the tokens `model.generate` gives with the same processors"
    t, m = planner.tokenizer, planner.model
    prompt = lm_prompt(t, "cot", caption="synthwave", lyrics="[Instrumental]")
    ids = torch.tensor([t.encode(prompt)])
    proc = lambda: MetadataProcessor(planner.vocab, {"bpm": 120}, "cot", caption_max_tokens=10, max_duration=MAXD)
    ref = m.generate(ids, attention_mask=torch.ones_like(ids), logits_processor=[proc()], do_sample=False,
                     max_new_tokens=200, eos_token_id=planner.vocab.eos, pad_token_id=151643)[0, ids.shape[1]:].tolist()
    ours = planner._generate([prompt], None, proc(), [0], 200, temperature=0)[0]
    assert ref[-1] == planner.vocab.eos and ours == ref[:-1]
    assert parse_cot(t.decode(ours))["bpm"] == 120
    bp = Blueprint("synthwave", "[Instrumental]", 120, "A minor", "4", 10, "en", seed=0)
    prompt2 = lm_prompt(t, "codes", caption=bp.caption, lyrics=bp.lyrics, cot_caption=bp.caption, **bp.metas())
    ids = torch.tensor([t.encode(prompt2)])
    ref = m.generate(ids, attention_mask=torch.ones_like(ids), logits_processor=[CodesProcessor(planner.vocab, 50)],
                     do_sample=False, max_new_tokens=60, eos_token_id=planner.vocab.eos, pad_token_id=151643)[0, ids.shape[1]:].tolist()
    ours = planner.write_codes(bp, guidance_scale=1.0, temperature=0)[0].codes
    assert len(ref) == 51 and ref[-1] == planner.vocab.eos
    assert ours == [i - 151669 for i in ref[:-1]]
