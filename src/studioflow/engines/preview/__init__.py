"""The preview engine: a deterministic CPU lighting preview of a manifest.

It is not a diffusion model. It draws the backdrop, the surface, each object as a simple lit
shape, the shadows the key light throws, depth of field and the requested text, so that a
manifest's lighting and composition can be judged in a fraction of a second. Every image it
makes carries a "PREVIEW" label.

    manifest --scene.build_scene--> Scene --engine_preview.PreviewEngine.render--> pixels
                 (words.py, layout.py)        (backdrop, shadows, shapes, shading, text)
"""
