"""A process killed at any moment leaves no half record and no visible partial file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

from studioflow.core.config import Settings
from studioflow.core.wiring import open_studio
from studioflow.export.png import decode_png, read_metadata

WORKER = textwrap.dedent("""
    import sys
    from studioflow.core.config import Settings
    from studioflow.core.wiring import open_studio
    sys.path.insert(0, sys.argv[2])
    from manifests import manifest_with_controls

    studio = open_studio(Settings(home=sys.argv[1]))
    print("ready", flush=True)
    seed = 0
    while True:
        seed += 1
        studio.render(manifest_with_controls(seed=seed, num_images=2))
""")


def test_kill_9_at_random_moments_never_leaves_half_renders(tmp_path):
    home = tmp_path / "home"
    rng = random.Random(20261125)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(6):
        args = [sys.executable, "-c", WORKER, str(home), os.path.dirname(__file__)]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, env=env)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 0.8))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    studio = open_studio(Settings(home=home))
    studio.recover(older_than_s=0)
    records = studio.history(limit=500).items
    assert records, "the worker should have finished some renders"
    keys = set()
    for record in records:
        assert [i.index for i in record.images] == [0, 1]
        for image in record.images:
            data = studio.files.get(image.key)
            assert read_metadata(data)["render_id"] == record.id
            assert decode_png(data).shape == (record.height, record.width, 3)
            keys.add(image.key)
    root = studio.files.root
    visible = {str(p.relative_to(root)) for p in root.rglob("*")
               if p.is_file() and ".tmp" not in p.relative_to(root).parts}
    assert visible == keys, "every visible file belongs to a committed render"
