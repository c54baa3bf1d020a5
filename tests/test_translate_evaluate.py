"""The translator scorer: operators, paths, disentanglement, the run loop and the case file."""

from __future__ import annotations

import copy
import json
from collections import Counter

import pytest

from studioflow.schema import default_for, subschema, validate_manifest
from studioflow.translate.evaluate import (
    DEFAULT_CASES,
    SECOND_CASES,
    SPLITS,
    Case,
    check,
    load_cases,
    parse_path,
    percentile,
    run_eval,
    schema_path,
    untouched_diff,
)


def manifest(**fibo_overrides) -> dict:
    """A valid manifest built from the schema's defaults."""
    fibo = {
        "short_description": "A frosted glass perfume bottle on white marble.",
        "objects": [{"description": "frosted glass perfume bottle", "location": "center",
                     "relationship": "standing on the marble", "shape_and_color": "pale pink"}],
        "background_setting": "white marble surface in front of a soft grey wall",
        "lighting": default_for("fibo.lighting"),
        "aesthetics": default_for("fibo.aesthetics"),
        "photographic_characteristics": default_for("fibo.photographic_characteristics"),
        "style_medium": "photograph",
        "text_render": [],
        "context": default_for("fibo.context"),
    }
    fibo.update(fibo_overrides)
    out = {"schema_version": "1.0", "fibo": fibo,
           "controls": {"camera": {"focal_length_mm": 85, "aperture": 1.8, "elevation": 10},
                        "lights": default_for("controls.lights")},
           "render": {"engine": "preview"}}
    assert validate_manifest(out) == []
    return out


def passes(m: dict, **exp) -> bool:
    ok, why = check(m, exp)
    assert isinstance(why, str) and why
    return ok


# ---------------------------------------------------------------- operators


def test_equals_numbers_strings_and_types():
    m = manifest()
    assert passes(m, path="controls.camera.focal_length_mm", equals=85)
    assert passes(m, path="controls.camera.focal_length_mm", equals=85.0)
    assert not passes(m, path="controls.camera.focal_length_mm", equals=50)
    assert passes(m, path="controls.camera.aperture", equals=1.8)
    assert passes(m, path="fibo.style_medium", equals="photograph")
    assert not passes(m, path="fibo.style_medium", equals="Photograph")  # equals is exact
    m["controls"]["shadows"] = {"reflection": True}
    assert passes(m, path="controls.shadows.reflection", equals=True)
    assert not passes(m, path="controls.shadows.reflection", equals=1)  # a bool is not a number


def test_contains_is_case_insensitive_and_needs_every_word():
    m = manifest()
    assert passes(m, path="fibo.background_setting", contains=["WHITE Marble"])
    assert passes(m, path="fibo.background_setting", contains=["white", "grey wall"])
    assert not passes(m, path="fibo.background_setting", contains=["white", "velvet"])


def test_contains_any_needs_one_word():
    m = manifest()
    assert passes(m, path="fibo.lighting.conditions", contains_any=["window", "softbox"])
    assert not passes(m, path="fibo.lighting.conditions", contains_any=["window", "neon"])


def test_not_contains_fails_on_any_word_and_passes_on_missing_field():
    m = manifest()
    assert passes(m, path="fibo.background_setting", not_contains=["velvet", "oak"])
    assert not passes(m, path="fibo.background_setting", not_contains=["velvet", "marble"])
    assert passes(m, path="fibo.artistic_style", not_contains=["marble"])  # absent field


def test_matches_is_a_case_insensitive_regex():
    m = manifest()
    assert passes(m, path="fibo.objects[0].description", matches=r"\bglass\b")
    assert not passes(m, path="fibo.aesthetics.composition", matches=r"\bred\b")  # "centered"
    assert passes(m, path="fibo.objects[0].description", matches=r"^FROSTED")


def test_length_counts_list_items_and_an_absent_list_is_empty():
    m = manifest(text_render=[{"text": "SALE", "location": "top", "size": "large",
                               "color": "white", "font": "bold sans-serif"}])
    assert passes(m, path="fibo.text_render", length=1)
    assert not passes(m, path="fibo.text_render", length=0)
    del m["fibo"]["text_render"]
    assert passes(m, path="fibo.text_render", length=0)
    assert not passes(m, path="fibo.text_render", length=1)


def test_range_is_inclusive_and_needs_a_number():
    m = manifest()
    assert passes(m, path="controls.lights[0].azimuth", range=[-45, -30])
    assert passes(m, path="controls.lights[0].azimuth", range=[-60, -45])
    assert not passes(m, path="controls.lights[0].azimuth", range=[-44, 0])
    assert not passes(m, path="fibo.style_medium", range=[0, 100])
    assert not passes(m, path="controls.camera.azimuth", range=[-180, 180])  # absent


def test_absent():
    m = manifest()
    assert passes(m, path="fibo.artistic_style", absent=True)
    assert not passes(m, path="fibo.photographic_characteristics", absent=True)
    assert passes(m, path="fibo.photographic_characteristics", absent=False)
    assert not passes(m, path="fibo.artistic_style", absent=False)


def test_object_paths_match_values_not_keys():
    m = manifest()
    assert passes(m, path="fibo.objects[0]", contains=["pink", "perfume"])  # two fields
    assert passes(m, path="fibo", not_contains=["text_render"])  # a key, not a value


def test_missing_path_fails_positive_checks_with_explanation():
    ok, why = check(manifest(), {"path": "fibo.objects[3].description", "contains": ["x"]})
    assert not ok and "missing" in why


def test_expectation_without_operator_is_an_error():
    with pytest.raises(ValueError):
        check(manifest(), {"path": "fibo.style_medium"})


# ---------------------------------------------------------------- paths


def with_props() -> dict:
    m = manifest()
    m["fibo"]["objects"] += [
        {"description": "three lemons", "location": "left", "relationship": "beside the bottle",
         "number_of_objects": 3},
        {"description": "two ceramic cups", "location": "right", "relationship": "behind"},
    ]
    return m


def test_star_passes_when_any_element_passes():
    m = with_props()
    assert passes(m, path="fibo.objects[*].description", contains=["lemon"])
    assert not passes(m, path="fibo.objects[*].description", contains=["orange"])
    assert not passes(m, path="fibo.text_render[*].text", equals="SALE")  # empty list


def test_star_needs_one_element_to_pass_all_operators_together():
    m = with_props()
    assert passes(m, path="fibo.objects[*]", contains=["lemon"], matches=r"\b(three|3)\b")
    # "lemon" is in one object and "two" in another: no single object has both.
    assert not passes(m, path="fibo.objects[*]", contains=["lemon"], matches=r"\btwo\b")


def test_star_with_negative_operator_must_hold_for_every_element():
    m = with_props()
    assert not passes(m, path="fibo.objects[*].description", not_contains=["lemon"])
    assert passes(m, path="fibo.objects[*].description", not_contains=["orange"])
    assert passes(m, path="fibo.objects[*].pose", absent=True)


def test_filter_selects_elements_by_field():
    m = manifest()  # default lights: key at -45, fill at +60
    assert passes(m, path="controls.lights[role=key].azimuth", range=[-60, -30])
    assert not passes(m, path="controls.lights[role=fill].azimuth", range=[-60, -30])
    assert not passes(m, path="controls.lights[role=rim].azimuth", range=[-180, 180])


def test_if_present_passes_when_absent_and_checks_every_value_otherwise():
    m = manifest()
    exp = {"path": "controls.lights[role=rim].azimuth", "range": [0, 10], "if_present": True}
    assert check(m, exp)[0]
    exp = {"path": "controls.lights[*].azimuth", "range": [-50, 0], "if_present": True}
    assert not check(m, exp)[0]  # the fill light at +60 is out of range
    exp = {"path": "controls.background.color", "contains": ["FFFFFF"], "if_present": True}
    assert check(m, exp)[0]
    m["controls"]["background"] = {"color": "#101010"}
    assert not check(m, exp)[0]


@pytest.mark.parametrize("path", ["fibo.objects[0].description", "fibo.objects[*]", "fibo",
                                  "controls.lights[role=key].azimuth", "fibo.text_render[12].text"])
def test_parse_path_accepts_well_formed_paths(path):
    assert parse_path(path)


@pytest.mark.parametrize("path", ["", ".fibo", "fibo..objects", "fibo.objects[", "fibo.objects[x]",
                                  "fibo.objects[0]description", "[0].fibo", "fibo objects"])
def test_parse_path_rejects_malformed_paths(path):
    with pytest.raises(ValueError):
        parse_path(path)


def test_schema_path_turns_indexes_and_filters_into_items():
    assert schema_path("controls.lights[role=key].azimuth") == "controls.lights[].azimuth"
    assert schema_path("fibo.objects[*].description") == "fibo.objects[].description"
    assert schema_path("fibo.text_render[0]") == "fibo.text_render[]"


# ---------------------------------------------------------------- disentanglement


def test_untouched_diff_ignores_allowed_prefixes_and_counts_the_rest():
    before = manifest()
    after = copy.deepcopy(before)
    after["fibo"]["lighting"]["direction"] = "key light from the right"
    after["controls"]["lights"][0]["azimuth"] = 45
    same, total, changed = untouched_diff(before, after, ["fibo.lighting", "controls.lights"])
    assert changed == [] and same == total > 0

    after["fibo"]["background_setting"] = "black velvet"
    same2, total2, changed2 = untouched_diff(before, after, ["fibo.lighting", "controls.lights"])
    assert changed2 == ["fibo.background_setting"]
    assert (same2, total2) == (total - 1, total)


def test_untouched_diff_prefix_is_a_path_step_not_a_string_prefix():
    before = manifest()
    after = copy.deepcopy(before)
    after["fibo"]["lighting"]["shadows"] = "none"
    # "fibo.lighting.direction" must not allow "fibo.lighting.directionX"-like neighbours,
    # and "fibo.light" is not a prefix of "fibo.lighting".
    assert untouched_diff(before, after, ["fibo.light"])[2] == ["fibo.lighting.shadows"]
    changed = untouched_diff(before, after, ["fibo.lighting.direction"])[2]
    assert changed == ["fibo.lighting.shadows"]


def test_untouched_diff_counts_added_and_removed_leaves_and_star_prefixes():
    before = with_props()
    after = copy.deepcopy(before)
    del after["fibo"]["objects"][2]  # removed leaves outside the allowance count as changed
    after["fibo"]["objects"][1]["description"] = "four lemons"
    same, total, changed = untouched_diff(before, after, ["fibo.objects[1]"])
    assert changed == ["fibo.objects[2].description", "fibo.objects[2].location",
                       "fibo.objects[2].relationship"]
    assert same == total - 3
    after["fibo"]["objects"][0]["location"] = "left"
    assert untouched_diff(before, after, ["fibo.objects[*].location", "fibo.objects[1]",
                                          "fibo.objects[2]"])[2] == []


# ---------------------------------------------------------------- running


class FakeTranslator:
    """Returns canned manifests; optionally raises, or advances a fake clock per call."""

    name = "fake"

    def __init__(self, result, refined=None, clock=None, durations=()):
        self.result, self.refined = result, refined
        self.clock, self.durations = clock, list(durations)

    def _tick(self):
        if self.clock is not None:
            self.clock.now += self.durations.pop(0)

    def translate(self, prompt, base=None):
        self._tick()
        if isinstance(self.result, Exception):
            raise self.result
        return copy.deepcopy(self.result)

    def refine(self, m, instruction):
        self._tick()
        if isinstance(self.refined, Exception):
            raise self.refined
        return self.refined(m) if callable(self.refined) else copy.deepcopy(self.refined)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def gen_case(cid="g1", expect=None) -> Case:
    return Case(id=cid, split="dev", mode="generate", prompt="perfume bottle on marble",
                expect=expect or [
                    {"path": "fibo.objects[0].description", "contains": ["perfume"]},
                    {"path": "fibo.background_setting", "contains": ["marble"]},
                    {"path": "controls.camera.focal_length_mm", "equals": 50},
                ])


def test_run_eval_counts_checks_and_fully_right_prompts():
    cases = [gen_case("a"), gen_case("b", [{"path": "fibo.style_medium", "equals": "photograph"}])]
    report = run_eval(FakeTranslator(manifest()), cases)
    assert (report.checks_passed, report.checks_total) == (3, 4)
    assert report.field_accuracy == pytest.approx(0.75)
    assert (report.prompts_fully_right, report.prompts_total) == (1, 2)
    assert report.share_fully_right == pytest.approx(0.5)
    failed = [(f.case_id, f.path) for f in report.failures]
    assert failed == [("a", "controls.camera.focal_length_mm")]
    assert report.per_path_accuracy()["controls.camera.focal_length_mm"] == 0.0
    assert report.per_path_accuracy()["fibo.background_setting"] == 1.0


def test_invalid_manifest_fails_all_its_checks():
    bad = manifest()
    bad["fibo"]["lighting"]["colour"] = "warm"  # not a schema field
    report = run_eval(FakeTranslator(bad), [gen_case()])
    assert report.invalid_manifests == 1
    assert (report.checks_passed, report.checks_total) == (0, 3)
    assert report.prompts_fully_right == 0
    assert any("invalid manifest" in f.explanation for f in report.failures)
    unvalidated = run_eval(FakeTranslator(bad), [gen_case()], validate=False)
    assert unvalidated.invalid_manifests == 0 and unvalidated.checks_passed == 2


def test_translator_exception_is_a_failed_case_not_a_crash():
    broken = FakeTranslator(RuntimeError("parser exploded"))
    report = run_eval(broken, [gen_case("x"), gen_case("y")])
    assert report.errors == 2 and report.prompts_total == 2
    assert report.checks_passed == 0 and report.checks_total == 6
    assert any(f.case_id == "x" and "parser exploded" in f.explanation for f in report.failures)


def refine_case(may_change, expect=None) -> Case:
    return Case(id="r1", split="dev", mode="refine", prompt="perfume bottle on marble",
                instruction="make the key light come from the right",
                expect=expect or [{"path": "fibo.lighting.direction", "contains": ["right"]}],
                may_change=may_change)


def light_from_right(m):
    m["fibo"]["lighting"]["direction"] = "key light from the right"
    m["controls"]["lights"][0]["azimuth"] = 45
    return m


def test_refine_starts_from_translate_and_measures_untouched_leaves():
    report = run_eval(FakeTranslator(manifest(), light_from_right),
                      [refine_case(["fibo.lighting", "controls.lights"])])
    assert report.checks_passed == 1
    assert report.refine_untouched_identical == report.refine_untouched_total > 0
    assert report.prompts_fully_right == 1


def test_refine_that_touches_other_fields_is_not_fully_right():
    def sloppy(m):
        m = light_from_right(m)
        m["fibo"]["background_setting"] = "black velvet"
        return m

    report = run_eval(FakeTranslator(manifest(), sloppy),
                      [refine_case(["fibo.lighting", "controls.lights"])])
    assert report.checks_passed == 1
    assert report.refine_untouched_identical == report.refine_untouched_total - 1
    assert report.prompts_fully_right == 0
    assert [f.path for f in report.failures] == ["fibo.background_setting"]


def test_refine_that_mutates_its_input_is_still_compared_with_the_original():
    def in_place(m):
        m["fibo"]["background_setting"] = "black velvet"
        return m  # the same object the scorer passed in

    report = run_eval(FakeTranslator(manifest(), in_place), [refine_case(["fibo.lighting"])])
    assert report.refine_untouched_identical == report.refine_untouched_total - 1


def test_refine_exception_preserves_nothing():
    report = run_eval(FakeTranslator(manifest(), ValueError("no rule")),
                      [refine_case(["fibo.lighting"])])
    assert report.errors == 1 and report.checks_passed == 0
    assert report.refine_untouched_total > 0 and report.refine_untouched_identical == 0


def test_latency_percentiles_use_each_call():
    clock = FakeClock()
    durations = [0.001 * i for i in range(1, 11)]  # 1..10 ms, one per translate call
    tr = FakeTranslator(manifest(), clock=clock, durations=durations)
    report = run_eval(tr, [gen_case(str(i)) for i in range(10)], clock=clock)
    assert report.latencies_ms == pytest.approx([float(i) for i in range(1, 11)])
    assert report.latency_ms_p50 == pytest.approx(5.5)
    assert report.latency_ms_p99 == pytest.approx(9.91)


def test_refine_cases_time_both_calls():
    clock = FakeClock()
    tr = FakeTranslator(manifest(), light_from_right, clock=clock, durations=[0.002, 0.004])
    report = run_eval(tr, [refine_case(["fibo.lighting", "controls.lights"])], clock=clock)
    assert report.latencies_ms == pytest.approx([2.0, 4.0])


def test_percentile_interpolates_linearly():
    assert percentile([], 50) == 0.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == pytest.approx(2.5)
    assert percentile([float(i) for i in range(1, 101)], 99) == pytest.approx(99.01)
    assert percentile([1.0, 2.0, 3.0], 100) == 3.0


def test_report_serialises_and_formats():
    report = run_eval(FakeTranslator(manifest()), [gen_case()])
    data = json.loads(json.dumps(report.as_dict()))
    assert data["checks_total"] == 3 and data["checks_passed"] == 2
    assert set(data["latency_ms"]) == {"p50", "p99", "calls"}
    assert data["failures"][0]["path"] == "controls.camera.focal_length_mm"
    table = report.format_table()
    assert "2/3" in table and "controls.camera.focal_length_mm" in table


# ---------------------------------------------------------------- loading


def test_load_cases_filters_and_rejects_bad_lines(tmp_path):
    good = {"id": "a", "split": "dev", "mode": "generate", "prompt": "p",
            "expect": [{"path": "fibo.style_medium", "equals": "photograph"}]}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps({**good, "id": "b", "split": "heldout"}))
    assert [c.id for c in load_cases(path)] == ["a", "b"]
    assert [c.id for c in load_cases(path, split="heldout")] == ["b"]
    assert load_cases(path, mode="refine") == []
    for bad in ({**good, "expect": [{"path": "fibo.style_medium", "equal": "x"}]},
                {**good, "expect": [{"path": "fibo..style", "equals": "x"}]},
                {**good, "mode": "refine"},
                {**good, "split": "test"}):
        path.write_text(json.dumps(bad))
        with pytest.raises(ValueError, match="cases.jsonl:1"):
            load_cases(path)


# ---------------------------------------------------------------- the packaged set


PACKAGED_FILES = {DEFAULT_CASES.name: ("dev", "heldout"), SECOND_CASES.name: ("dev-b",)}


@pytest.fixture(scope="module")
def packaged() -> list[Case]:
    """Both packaged files: every structural check below holds for each of them."""
    return load_cases() + load_cases(SECOND_CASES)


def test_packaged_set_has_the_promised_counts(packaged):
    counts = Counter((c.split, c.mode) for c in packaged)
    assert counts[("dev", "generate")] >= 60 and counts[("heldout", "generate")] >= 60
    assert counts[("dev", "refine")] >= 20 and counts[("heldout", "refine")] >= 20
    assert abs(counts[("dev", "generate")] - counts[("heldout", "generate")]) <= 1
    assert counts[("dev-b", "generate")] >= 100 and counts[("dev-b", "refine")] >= 30
    assert set(SPLITS) == {split for split, _ in counts}


@pytest.mark.parametrize("path", [DEFAULT_CASES, SECOND_CASES], ids=lambda p: p.name)
def test_each_packaged_file_holds_only_its_own_splits(path):
    assert {c.split for c in load_cases(path)} == set(PACKAGED_FILES[path.name])


def test_packaged_ids_are_unique_and_cases_have_4_to_10_checks(packaged):
    ids = [c.id for c in packaged]
    assert len(ids) == len(set(ids))
    assert all(4 <= len(c.expect) <= 10 for c in packaged), [
        c.id for c in packaged if not 4 <= len(c.expect) <= 10]


def test_packaged_paths_exist_in_the_schema(packaged):
    for case in packaged:
        for path in [e["path"] for e in case.expect] + case.may_change:
            try:
                subschema(schema_path(path))
            except KeyError:
                pytest.fail(f"{case.id}: {path} is not a schema field")


def test_packaged_filters_name_real_enum_values(packaged):
    roles = set(subschema("controls.lights[].role")["enum"])
    for case in packaged:
        for exp in case.expect:
            for step in parse_path(exp["path"]):
                if isinstance(step, tuple) and step[0] == "role":
                    assert step[1] in roles, case.id


def test_packaged_refine_cases_have_instruction_and_allowance(packaged):
    refine = [c for c in packaged if c.mode == "refine"]
    assert all(c.instruction and c.may_change for c in refine)


def test_a_correct_manifest_passes_every_check_of_gen_001(packaged):
    """The first case is satisfiable by a hand-written manifest a photographer would accept."""
    case = next(c for c in packaged if c.id == "gen-001")
    assert case.prompt.startswith("perfume bottle on white marble, soft window light from the left")
    m = manifest(
        lighting={"conditions": "soft natural window light",
                  "direction": "from a window on the left, gentle fill from the right",
                  "shadows": "soft shadows falling to the right"},
        photographic_characteristics={"depth_of_field": "shallow, background softly blurred",
                                      "focus": "sharp focus on the bottle",
                                      "camera_angle": "eye-level",
                                      "lens_focal_length": "85mm portrait telephoto"})
    m["controls"]["lights"][0].update(azimuth=-70, source="window")
    failed = [(e["path"], check(m, e)[1]) for e in case.expect if not check(m, e)[0]]
    assert failed == []
    # and the same manifest with the light on the wrong side fails
    m["fibo"]["lighting"]["direction"] = "from a window on the right, gentle fill from the left"
    assert not all(check(m, e)[0] for e in case.expect)


def test_a_correct_refinement_passes_ref_001(packaged):
    case = next(c for c in packaged if c.id == "ref-001")
    assert "right" in case.instruction
    base = manifest(lighting={"conditions": "soft natural window light",
                              "direction": "from a window on the left",
                              "shadows": "soft shadows falling to the right"},
                    photographic_characteristics={"depth_of_field": "shallow",
                                                  "focus": "sharp focus on the bottle",
                                                  "camera_angle": "eye-level",
                                                  "lens_focal_length": "85mm"})

    def move_light(m):
        m["fibo"]["lighting"]["direction"] = "from a window on the right"
        m["fibo"]["lighting"]["shadows"] = "soft shadows falling to the left"
        m["controls"]["lights"][0]["azimuth"] = 60
        return m

    report = run_eval(FakeTranslator(base, move_light), [case])
    assert report.failures == [] and report.prompts_fully_right == 1


def test_the_second_files_split_is_found_without_naming_the_file(capsys):
    from studioflow.translate.evaluate import main

    assert load_cases(split="dev-b") == load_cases(SECOND_CASES)
    assert main(["--split", "dev-b", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["prompts_total"] == len(load_cases(SECOND_CASES))
