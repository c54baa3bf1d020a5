"""A ComfyUI custom node for StudioFlow's tests, copied into the test server's custom_nodes.

It runs inside the external test server, never in StudioFlow. ``StudioFlowFakeSampler``
stands in for a sampler without a model: it checks that the caption it gets is JSON (so a
broken caption is a real runtime error), ticks ComfyUI's progress bar once per step (so the
server sends real ``progress`` messages and honours interrupts at each tick) and passes the
image through.
"""

import json
import time

import comfy.utils


class StudioFlowFakeSampler:
    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {
            "image": ("IMAGE",),
            "caption": ("STRING", {"multiline": True}),
            "steps": ("INT", {"default": 4, "min": 1, "max": 200}),
            "seconds_per_step": ("FLOAT", {"default": 0.0, "min": 0.0, "max": 10.0}),
        }}

    RETURN_TYPES = ("IMAGE",)
    FUNCTION = "sample"
    CATEGORY = "studioflow/test"

    def sample(self, image, caption, steps, seconds_per_step):
        parsed = json.loads(caption)  # a caption that is not JSON fails here, for real
        if not isinstance(parsed, dict) or "short_description" not in parsed:
            raise ValueError("the caption is not a FIBO caption")
        bar = comfy.utils.ProgressBar(steps)
        for _ in range(steps):
            time.sleep(seconds_per_step)
            bar.update(1)  # sends "progress" and raises if the prompt was interrupted
        return (image,)


NODE_CLASS_MAPPINGS = {"StudioFlowFakeSampler": StudioFlowFakeSampler}
