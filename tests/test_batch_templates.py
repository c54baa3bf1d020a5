"""Templates (brand kits): saved from a render, stored in the database, and applied so that
every row keeps the template's look and only the product varies."""

from __future__ import annotations

import json

import pytest

from batch_support import TEMPLATE_PROMPT, manifests, plan_csv, save_template, stores
from cli_runner import run_cli
from studioflow.batch.templates import LOCKED_PATHS, apply_template
from studioflow.core.diff import diff_manifests
from studioflow.errors import InputError, NotFoundError
from studioflow.schema import get_path

# what may differ between two rows of one template (everything else is the template's)
PRODUCT_PATHS = ("$.fibo.short_description", "$.fibo.objects", "$.fibo.text_render",
                 "$.product.sku", "$.product.name", "$.render.seed")


def test_save_from_a_render_keeps_the_look_but_not_the_seed_or_product(studio):
    template = save_template(studio, "Noir Kit")
    manifest = template.manifest
    assert "seed" not in manifest["render"] and "product" not in manifest
    assert manifest["render"]["width"] == 192
    record = studio.get(template.source_render_id)
    for path in LOCKED_PATHS:
        assert get_path(manifest, path) == get_path(record.manifest, path), path
    _, templates = stores(studio)
    assert templates.get("noir kit").id == template.id  # names ignore case
    assert templates.get(template.id).name == "Noir Kit"
    with pytest.raises(InputError, match="already exists"):
        templates.save("NOIR KIT", record.manifest)
    assert templates.save("noir kit", record.manifest, replace=True).id == template.id
    assert [t.name for t in templates.list()] == ["noir kit"]
    templates.delete("Noir Kit")
    with pytest.raises(NotFoundError):
        templates.get("noir kit")


@pytest.mark.parametrize("name", ["", " ", "../x", "a" * 129, "-dash", "semi;colon"])
def test_template_names_are_checked(studio, name):
    _, templates = stores(studio)
    with pytest.raises(InputError):
        templates.save(name, {"schema_version": "1.0"})


def test_rows_share_every_locked_field_and_only_the_product_varies(studio):
    save_template(studio)
    plan = plan_csv(studio, "sku,prompt,name\n"
                            "A1,red leather handbag,Bag\n"
                            "A2,green glass bottle with a cork,Bottle\n"
                            "A3,white sneakers,Shoes\n", template="noir")
    assert plan.errors == [] and len(plan.items) == 3
    found = manifests(plan)
    first = found[(2, 0)]
    for key, other in found.items():
        for change in diff_manifests(first, other):
            assert change.path.startswith(PRODUCT_PATHS), (key, change)
    template = stores(studio)[1].get("noir").manifest
    for manifest in found.values():
        for path in LOCKED_PATHS:
            assert get_path(manifest, path) == get_path(template, path), path
        assert manifest["product"]["template"] == "noir"
    descriptions = [m["fibo"]["objects"][0]["description"] for m in found.values()]
    assert len(set(descriptions)) == 3 and "handbag" in descriptions[0]


def test_a_prompt_cannot_change_a_locked_field_and_is_warned(studio):
    save_template(studio)
    plan = plan_csv(studio, 'sku,prompt\nA1,"red handbag on a white marble table, shot from '
                            'above with a 24mm lens"\n', template="noir")
    manifest = manifests(plan)[(2, 0)]
    template = stores(studio)[1].get("noir").manifest
    for path in ("controls.background", "controls.camera", "fibo.background_setting",
                 "fibo.photographic_characteristics"):
        assert get_path(manifest, path) == get_path(template, path)
    (warning,) = plan.warnings
    assert warning.row == 2 and warning.column == "prompt" and "locks" in warning.message
    assert "controls.camera" in warning.message


def test_apply_template_removes_what_the_template_does_not_have():
    row = {"fibo": {"lighting": {"conditions": "x", "direction": "y"}},
           "controls": {"camera": {"azimuth": 30}}, "render": {"engine": "preview",
                                                               "aspect": "4:5"}}
    template = {"fibo": {"lighting": {"conditions": "a", "direction": "b"}},
                "render": {"engine": "fibo", "width": 512, "height": 512},
                "product": {"brand": "Acme"}}
    overridden = apply_template(row, template)
    assert row["fibo"]["lighting"] == {"conditions": "a", "direction": "b"}
    assert "controls" not in row and "aspect" not in row["render"]
    assert row["render"] == {"engine": "fibo", "width": 512, "height": 512}
    assert row["product"] == {"brand": "Acme"}
    assert overridden == ["fibo.lighting", "render.engine"]


def test_template_cli_save_list_show_delete(settings, capsys):
    rendered = run_cli(capsys, "render", TEMPLATE_PROMPT, "--width", "128", "--height", "128",
                       "--json")
    render_id = rendered.json()["id"]
    saved = run_cli(capsys, "template", "save", render_id[:10], "Studio Noir", "--json")
    assert saved.code == 0, saved.err
    assert saved.json()["source_render_id"] == render_id
    again = run_cli(capsys, "template", "save", render_id, "studio noir")
    assert again.code == 1 and "already exists" in again.err
    listed = run_cli(capsys, "template", "list", "--json")
    assert [t["name"] for t in listed.json()] == ["Studio Noir"]
    shown = run_cli(capsys, "template", "show", "studio NOIR", "--json")
    assert shown.json()["manifest"]["render"]["width"] == 128
    plain = run_cli(capsys, "template", "list")
    assert "Studio Noir" in plain.out and "128x128" in plain.out
    assert run_cli(capsys, "template", "delete", "Studio Noir").code == 0
    missing = run_cli(capsys, "template", "show", "Studio Noir")
    assert missing.code == 1 and "no template named" in missing.err


def test_template_import_from_a_manifest_file(settings, capsys, tmp_path):
    from manifests import manifest_with_controls

    path = tmp_path / "kit.json"
    path.write_text(json.dumps(manifest_with_controls()))
    result = run_cli(capsys, "template", "import", "kit", str(path))
    assert result.code == 0, result.err
    shown = run_cli(capsys, "template", "show", "kit", "--json").json()
    assert shown["manifest"]["controls"]["background"]["color"] == "#F2EDE4"
