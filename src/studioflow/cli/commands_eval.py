"""eval translator: the translator scoreboard (a thin wrapper over translate/evaluate.py)."""

from __future__ import annotations

import click

from studioflow.cli.context import AppContext
from studioflow.cli.io import echo_json
from studioflow.errors import ErrorDetail, InputError
from studioflow.translate.evaluate import DEFAULT_CASES, MODES, SPLITS, load_cases, run_eval

pass_app = click.make_pass_decorator(AppContext)


@click.group(name="eval")
def eval_group() -> None:
    """Measure StudioFlow's parts against labelled sets."""


@eval_group.command(name="translator")
@click.option("--translator", "name", help="Translator plugin (default: STUDIOFLOW_TRANSLATOR, "
                                           "rules).")
@click.option("--set", "case_file", type=click.Path(exists=True, dir_okay=False),
              help="JSON-lines evaluation set (default: the packaged product prompts).")
@click.option("--split", type=click.Choice(SPLITS),
              help="Only one split: dev, heldout (never tuned on) or dev-b.")
@click.option("--mode", type=click.Choice(MODES), help="Only generate or refine cases.")
@click.option("--model", help="Model of an LLM translator (STUDIOFLOW_LLM_MODEL).")
@click.option("--warmup/--no-warmup", default=None,
              help="One untimed call first (default: on, except for LLM translators, whose "
                   "calls are billed).")
@click.option("--failures", "max_failures", type=click.IntRange(0), default=40,
              show_default=True, help="Failed checks to list.")
@click.option("--min-accuracy", type=click.FloatRange(0, 1),
              help="Exit with status 1 when field accuracy is below this (for CI).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_app
def translator(app: AppContext, name: str | None, case_file: str | None, split: str | None,
               mode: str | None, model: str | None, warmup: bool | None, max_failures: int,
               min_accuracy: float | None, as_json: bool) -> None:
    """Score a translator: field accuracy, prompts fully right, latency p50/p99, and for
    refinements how many untouched fields stayed byte-identical."""
    from studioflow.translate.registry import TranslatorRegistry

    settings = app.settings
    if model:
        settings = settings.model_copy(update={"llm_model": model})
    name = name or settings.translator
    plugin = TranslatorRegistry(settings).require(name)
    try:
        cases = load_cases(case_file, split, mode)
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot read the evaluation set: {exc}",
                         [ErrorDetail(case_file or str(DEFAULT_CASES), str(exc))]) from None
    if not cases:
        raise InputError("the evaluation set has no case for that selection",
                         [ErrorDetail("--split/--mode", "nothing selected")])
    if warmup if warmup is not None else not hasattr(plugin, "last_translation_info"):
        plugin.translate(cases[0].prompt)  # imports and caches, kept out of the timings
    report = run_eval(plugin, cases)
    where = case_file or "packaged set"
    if as_json:
        echo_json({"translator": name, "set": where, "split": split or "all",
                   "mode": mode or "all", "cases": len(cases), **report.as_dict()})
    else:
        click.echo(f"translator {name} on {where} ({split or 'all'} split"
                   f"{'' if split else 's'}, {mode or 'all'} mode{'' if mode else 's'}, "
                   f"{len(cases)} cases)\n")
        click.echo(report.format_table(max_failures=max_failures))
    if min_accuracy is not None and report.field_accuracy < min_accuracy:
        raise click.exceptions.Exit(1)


COMMANDS = [eval_group]
