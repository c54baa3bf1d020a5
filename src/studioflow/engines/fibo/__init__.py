"""The ``fibo`` engine: Bria's FIBO text-to-image model through Hugging Face diffusers.

    manifest.fibo --prompt.serialize--> compact JSON caption (Bria's rules)
    settings/--model --source.locate--> local folder or HF cache snapshot (never the network)
                     --loader.load--> BriaFiboPipeline on device.choose()'s device and dtype,
                                      kept in a PipelineCache (LRU within a byte budget)
    request --engine_fibo.FiboEngine.render--> float32 images + model revision + timings

``presets`` holds steps/guidance per FIBO variant, ``speed`` the optional faster paths
(split guidance, TeaCache, regional torch.compile, attention backends). Heavy packages
(torch, diffusers) are imported on first render only. See docs/engine-fibo.md.
"""
