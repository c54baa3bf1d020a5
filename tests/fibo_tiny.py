"""A tiny FIBO pipeline with random weights, built from diffusers' real classes.

It has exactly the components of ``briaai/FIBO`` (BriaFiboTransformer2DModel, AutoencoderKLWan,
SmolLM3ForCausalLM, a fast tokenizer, FlowMatchEulerDiscreteScheduler) at a few kilobytes of
weights, so the engine's loading, prompting, progress, cancel and caching paths run for real in
a fraction of a second on a CPU. Its images are noise. Shared by tests and benches.

    python tests/fibo_tiny.py DIR     # save one to DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

# Captions the tokenizer learns its merges from: FIBO prompts are compact JSON, so the
# vocabulary covers JSON punctuation and the words of a product shot.
_CAPTIONS = [
    '{"short_description":"A frosted glass perfume bottle on white marble.","objects":'
    '[{"description":"frosted glass perfume bottle with a gold cap","location":"center"}],'
    '"background_setting":"seamless white studio backdrop","lighting":{"conditions":"soft '
    'window light","direction":"from the left","shadows":"soft shadows to the right"},'
    '"aesthetics":{"composition":"centered","color_scheme":"white and gold","mood_atmosphere":'
    '"calm, luxurious","preference_score":"very high","aesthetic_score":"very high"},'
    '"style_medium":"photograph","context":"e-commerce product photograph"}',
    '{"style_medium":"digital illustration","artistic_style":"non-realistic"}',
    '{"photographic_characteristics":{"depth_of_field":"shallow","focus":"sharp focus on the '
    'product","camera_angle":"eye-level","lens_focal_length":"85mm"},"text_render":[]}',
]
TOKENIZER_VOCAB = 400
BOS_ID = 128000  # the pipeline hard-codes Llama-3's <|begin_of_text|> id for empty prompts


def _tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=TOKENIZER_VOCAB, show_progress=False,
                                  special_tokens=["<|pad|>", "<|bos|>", "<|eos|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(_CAPTIONS, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|bos|>",
                                   eos_token="<|eos|>", pad_token="<|pad|>")


def build_tiny_pipeline(seed: int = 0):
    """A ``BriaFiboPipeline`` with random weights (float32, CPU)."""
    import torch
    from diffusers import (
        AutoencoderKLWan,
        BriaFiboPipeline,
        BriaFiboTransformer2DModel,
        FlowMatchEulerDiscreteScheduler,
    )
    from transformers import SmolLM3Config, SmolLM3ForCausalLM

    torch.manual_seed(seed)
    text_encoder = SmolLM3ForCausalLM(SmolLM3Config(
        hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=1, vocab_size=BOS_ID + 256))  # must hold the hard-coded BOS id
    transformer = BriaFiboTransformer2DModel(
        patch_size=1, in_channels=48, num_layers=1, num_single_layers=2, attention_head_dim=16,
        num_attention_heads=2, joint_attention_dim=32, text_encoder_dim=16,
        axes_dims_rope=[4, 6, 6], guidance_embeds=False)
    vae = AutoencoderKLWan(
        base_dim=8, decoder_base_dim=8, z_dim=48, dim_mult=[1, 2, 4, 4], num_res_blocks=1,
        attn_scales=[], temperal_downsample=[False, True, True], is_residual=True,
        in_channels=12, out_channels=12, patch_size=2, scale_factor_spatial=16,
        scale_factor_temporal=4, latents_mean=[0.0] * 48, latents_std=[1.0] * 48)
    scheduler = FlowMatchEulerDiscreteScheduler(
        use_dynamic_shifting=True, base_shift=0.5, max_shift=1.15, base_image_seq_len=256,
        max_image_seq_len=4096)
    return BriaFiboPipeline(transformer=transformer, scheduler=scheduler, vae=vae,
                            text_encoder=text_encoder, tokenizer=_tokenizer())


def save_tiny_pipeline(folder: str | Path, seed: int = 0) -> Path:
    """Build a tiny pipeline and ``save_pretrained`` it to ``folder`` (about 12 MB)."""
    folder = Path(folder)
    build_tiny_pipeline(seed).save_pretrained(folder)
    return folder


if __name__ == "__main__":
    print(save_tiny_pipeline(sys.argv[1] if len(sys.argv) > 1 else "fibo-tiny"))
