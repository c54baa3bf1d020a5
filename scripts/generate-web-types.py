"""Generate the web studio's TypeScript API client types and manifest types.

The OpenAPI document is dumped from ``create_app().openapi()`` (no server is started; the
app is built on a throw-away STUDIOFLOW_HOME), the manifest types come from
``fibo_schema.json``; both are turned into TypeScript by ``web/scripts/generate-types.mjs``
(openapi-typescript and json-schema-to-typescript, from web/node_modules).

    python scripts/generate-web-types.py              # writes web/src/generated/
    python scripts/generate-web-types.py --out DIR    # writes elsewhere (the stale check)
    python scripts/generate-web-types.py --openapi-only FILE   # just the OpenAPI JSON
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DEFAULT_OUT = WEB / "src" / "generated"


def openapi_document() -> dict:
    """The app's OpenAPI document, built without serving (and without touching ~/.studioflow)."""
    with tempfile.TemporaryDirectory(prefix="studioflow-openapi-") as home:
        os.environ["STUDIOFLOW_HOME"] = home
        from studioflow.api.app import create_app
        from studioflow.core.config import Settings

        return create_app(Settings()).openapi()


def schema_path() -> Path:
    import studioflow.schema as schema_pkg

    return Path(schema_pkg.__file__).parent / "fibo_schema.json"


def generate(out: Path) -> None:
    if not (WEB / "node_modules").is_dir():
        sys.exit("web/node_modules is missing: run `cd web && npm ci` first")
    with tempfile.TemporaryDirectory(prefix="studioflow-types-") as tmp:
        spec = Path(tmp) / "openapi.json"
        spec.write_text(json.dumps(openapi_document(), indent=2, sort_keys=True))
        subprocess.run(["node", str(WEB / "scripts" / "generate-types.mjs"), str(spec),
                        str(schema_path()), str(out)], check=True, cwd=WEB)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--openapi-only", type=Path, metavar="FILE")
    args = parser.parse_args()
    if args.openapi_only:
        args.openapi_only.write_text(json.dumps(openapi_document(), indent=2, sort_keys=True))
        return
    generate(args.out)
    print(f"wrote {args.out}/api.d.ts and {args.out}/manifest.d.ts")


if __name__ == "__main__":
    main()
