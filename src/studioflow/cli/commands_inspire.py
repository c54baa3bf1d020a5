"""inspire: a manifest from a reference image (and optionally words)."""

from __future__ import annotations

import json

import click

from studioflow.cli.context import AppContext
from studioflow.cli.io import echo_json, read_bytes

pass_app = click.make_pass_decorator(AppContext)


@click.command()
@click.argument("image")
@click.option("--prompt", help="Words for what the image cannot say: the product, props, "
                               "changes.")
@click.option("--translator", help="A vision translator (openai, anthropic, gemini, bria, "
                                   "local-vlm) reads the image itself; others (default: "
                                   "rules) get the embedded analyser's findings.")
@click.option("--model", help="Model of an LLM translator (STUDIOFLOW_LLM_MODEL).")
@click.option("--out", "out_path", metavar="FILE", help="Also write the manifest here.")
@click.option("--json", "as_json", is_flag=True,
              help="Print {manifest, translator, analysis, info} as one JSON object.")
@pass_app
def inspire(app: AppContext, image: str, prompt: str | None, translator: str | None,
            model: str | None, out_path: str | None, as_json: bool) -> None:
    """Read IMAGE (a file, or - for stdin) and print a manifest for a shot in its look.

    Without a vision translator the embedded analyser reads palette, backdrop, brightness,
    contrast, an estimate of the light's direction, aspect and composition; what the
    product is comes from --prompt.
    """
    from studioflow.translate.inspire import inspire_manifest
    from studioflow.translate.registry import TranslatorRegistry

    data = read_bytes(image, "image")
    settings = app.settings
    if model:
        settings = settings.model_copy(update={"llm_model": model})
    result = inspire_manifest(TranslatorRegistry(settings), settings, data, prompt, translator)
    if out_path:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(result.manifest, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
    if as_json:
        echo_json({"manifest": result.manifest, "translator": result.translator,
                   "analysis": result.analysis, "info": result.info})
        return
    echo_json(result.manifest)
    if result.analysis:
        a = result.analysis
        app.err.print(f"[dim]inspired by {image} via {result.translator}: {a['key']}, "
                      f"{a['light']['direction']}; {a['color_scheme']}; "
                      f"{a['subject']['composition']}[/]")


COMMANDS = [inspire]
