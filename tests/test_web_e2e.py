"""The web studio in a real browser (Debian's Chromium through Playwright) against a real
``studioflow serve`` on the preview engine, with a fresh STUDIOFLOW_HOME.

Screenshots of every test are saved to tests/artifacts/web/ (or $STUDIOFLOW_ARTIFACTS/web).
The tests share one server; each makes the renders it needs.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from conftest import service_missing
from web_support import DIST, artifacts_dir, browser_missing, launch, running_server, server_env

RENDER_TIMEOUT_MS = 30_000
PROMPT = "perfume bottle on white marble, soft window light from the left, 85mm"


@pytest.fixture(scope="module")
def server_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("web-e2e") / "home"


@pytest.fixture(scope="module")
def base_url(server_home):
    why = browser_missing()
    if why:
        service_missing("Chromium and Playwright for the web studio tests", why)
    assert (DIST / "index.html").is_file(), "the built web studio is missing: npm run build"
    with running_server(server_home) as base:
        yield base


def studioflow_cli(home: Path, *args: str) -> str:
    """The CLI on the test server's home (its database), as a user beside the server."""
    done = subprocess.run([sys.executable, "-m", "studioflow", *args], env=server_env(home),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def browser(base_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def _open_page(browser, base_url, request, width: int, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=base_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    # the API's 4xx answers are expected in some tests: the browser logs them as
    # "Failed to load resource"; anything else in the console is a bug
    page.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
            and problems.append(f"console error: {m.text}"))
    return context, page, problems


@pytest.fixture
def page(browser, base_url, request):
    context, page, problems = _open_page(browser, base_url, request, 1280)
    yield page
    page.screenshot(path=artifacts_dir() / f"{request.node.name}.png", full_page=True)
    context.close()
    assert not problems, problems


def expect():
    from playwright.sync_api import expect as _expect

    return _expect


def gallery_count(page) -> int:
    return page.locator(".gallery li").count()


def shown_render_id(page) -> str | None:
    match = re.search(r"/renders/([^/?#]+)$", page.url)
    return match.group(1) if match else None


def wait_for_new_render(page, previous: str | None) -> str:
    """Wait until the studio shows a render other than ``previous``, its image loaded."""
    page.wait_for_function(
        """previous => { const m = location.pathname.match(/^\\/renders\\/([^/]+)$/);
            if (!m || m[1] === previous) return false;
            const img = document.querySelector('.stage img');
            return img && img.src.includes(m[1]) && img.complete && img.naturalWidth > 0; }""",
        arg=previous, timeout=RENDER_TIMEOUT_MS)
    return shown_render_id(page)


def render_from_prompt(page, prompt: str = PROMPT) -> str:
    previous = shown_render_id(page)
    box = page.get_by_role("textbox", name="Prompt")
    box.fill(prompt)
    box.press("Control+Enter")
    return wait_for_new_render(page, previous)


def editor_text(page) -> str:
    return page.get_by_role("textbox", name="Manifest JSON").inner_text()


def api_render(base_url: str, render_id: str) -> dict:
    return httpx.get(f"{base_url}/v1/renders/{render_id}", timeout=10).json()


def api_render_prompt(base_url: str, prompt: str, size: int = 256) -> str:
    """Render through the API (no browser) and wait for it; the render's id."""
    job = httpx.post(f"{base_url}/v1/renders", json={"prompt": prompt, "width": size,
                                                     "height": size}, timeout=10).json()
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    while (state := httpx.get(f"{base_url}/v1/jobs/{job['job_id']}", timeout=10).json()
           )["status"] not in ("succeeded", "failed", "cancelled"):
        assert time.monotonic() < deadline, state
        time.sleep(0.1)
    assert state["status"] == "succeeded", state
    return state["render_id"]


# ------------------------------------------------------------------------------------------
# records every progress bar the page shows, however briefly (a preview render is quick)
PROGRESS_PROBE = """
window.__progress = [];
new MutationObserver(() => document.querySelectorAll('progress').forEach(
    p => window.__progress.push([p.getAttribute('aria-label'), p.value]))
).observe(document, {subtree: true, childList: true, attributes: true});
"""


def test_prompt_renders_and_shows_the_image(page, base_url):
    page.add_init_script(PROGRESS_PROBE)
    page.goto("/")
    box = page.get_by_role("textbox", name="Prompt")
    box.fill(PROMPT)
    box.press("Control+Enter")  # the keyboard shortcut, no click
    render_id = wait_for_new_render(page, None)
    # the job was followed live while it ran, then its row went
    seen = page.evaluate("window.__progress")
    assert any(label.startswith("Progress of render: perfume") for label, _ in seen), seen
    expect()(page.get_by_role("progressbar")).to_have_count(0)

    record = api_render(base_url, render_id)
    assert record["prompt"] == PROMPT
    image = page.get_by_role("img", name=re.compile(r"^Render \w+: perfume bottle"))
    expect()(image).to_have_attribute("src", record["images"][0]["url"])
    assert page.url.endswith(f"/renders/{render_id}")
    expect()(page.locator(".stage .badge")).to_have_text("PREVIEW")
    expect()(page.get_by_test_id("translator")).to_contain_text("rules")
    # the editor holds the render's manifest
    expect()(page.get_by_role("textbox", name="Manifest JSON")).to_contain_text('"perfume bottle"')
    assert f'"seed": {record["seed"]}' in editor_text(page)


def test_a_bad_edit_shows_its_error_at_the_json_path(page):
    page.goto("/")
    render_from_prompt(page)
    editor = page.get_by_role("textbox", name="Manifest JSON")
    expect()(editor).to_contain_text('"intensity": 1')
    # the key light is the first light: set its intensity out of range, as a user would
    line = page.locator(".cm-line", has_text='"intensity": 1,').first
    line.get_by_text("1", exact=True).dblclick()
    page.keyboard.insert_text("5")

    errors = page.get_by_role("list", name="Manifest errors")
    expect()(errors).to_contain_text("$.controls.lights[0].intensity")
    expect()(errors).to_contain_text("at most 1")
    # marked in the text at that place
    expect()(page.locator(".cm-lintRange-error", has_text="5").first).to_be_visible()
    # a render of the bad manifest is refused, with the path, and nothing is queued
    page.get_by_role("button", name="Render manifest").click()
    expect()(page.get_by_test_id("editor-error")).to_contain_text("$.controls.lights[0].intensity")
    expect()(page.get_by_role("progressbar")).to_have_count(0)
    # undo brings the valid manifest back and the errors go
    page.get_by_role("button", name="Undo").click()
    expect()(errors).to_have_count(0)

    # broken JSON: the parse error is marked where it is, and the editor keeps working
    editor.click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.press("Backspace")  # the comma after "schema_version": "1.0"
    expect()(editor).to_contain_text('"schema_version": "1.0"\n')
    expect()(page.locator(".cm-lintPoint-error, .cm-lintRange-error").first).to_be_attached()
    # the controls keep showing the last good manifest, disabled until the JSON is fixed
    expect()(page.get_by_role("slider", name="Key light azimuth")).to_be_disabled()
    expect()(page.get_by_role("slider", name="Key light azimuth")).to_have_attribute(
        "aria-valuetext", "-70°")
    page.get_by_role("button", name="Render manifest").click()
    expect()(page.get_by_test_id("editor-error")).to_contain_text("not a JSON object")


def test_the_editor_helps_from_the_schema(page):
    page.goto("/")
    render_from_prompt(page)
    editor = page.get_by_role("textbox", name="Manifest JSON")
    # hover help: the field's description from the schema
    page.locator(".cm-line", has_text='"schema_version"').first.get_by_text(
        '"schema_version"').hover()
    expect()(page.locator(".cm-tooltip-hover")).to_contain_text("Older manifests are upgraded")
    # completion: the render section's properties, with their descriptions
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # the render section's last line
    page.keyboard.press("End")
    page.keyboard.insert_text(",")
    page.keyboard.press("Enter")
    page.keyboard.type('"as')
    page.keyboard.press("Control+Space")
    completion = page.locator(".cm-tooltip-autocomplete")
    expect()(completion).to_contain_text("aspect")
    page.screenshot(path=artifacts_dir() / "editor-completion.png")
    page.keyboard.press("Enter")
    page.keyboard.type("4:5")  # the completion wrote the key and the value's quotes
    # Format re-indents what was typed; the manifest is valid with the new field
    page.get_by_role("button", name="Format").click()
    expect()(editor).to_contain_text('"aspect": "4:5"')
    expect()(page.get_by_role("list", name="Manifest errors")).to_have_count(0)
    expect()(page.get_by_role("slider", name="Key light azimuth")).to_be_enabled()


def test_a_slider_changes_the_json_and_re_renders(page, base_url):
    page.goto("/")
    first = render_from_prompt(page)
    slider = page.get_by_role("slider", name="Key light azimuth")
    expect()(slider).to_have_attribute("aria-valuetext", "-70°")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect()(slider).to_have_attribute("aria-valuetext", "-65°")
    # the plan follows at once
    expect()(page.get_by_test_id("studio-diagram")).to_have_attribute(
        "aria-label", re.compile(r"key light at -65° azimuth"))
    # the JSON follows, compiled by the server into FIBO's text
    expect()(page.get_by_role("textbox", name="Manifest JSON")).to_contain_text('"azimuth": -65')
    # and on release it renders again (one render for the whole key press run)
    new_id = wait_for_new_render(page, first)
    record = api_render(base_url, new_id)
    lights = record["manifest"]["controls"]["lights"]
    key = next(light for light in lights if light["role"] == "key")
    assert key["azimuth"] == -65
    old = api_render(base_url, first)["manifest"]["fibo"]["lighting"]["direction"]
    assert record["manifest"]["fibo"]["lighting"]["direction"] != old
    page.wait_for_timeout(2000)  # time for any further render to finish
    items = httpx.get(f"{base_url}/v1/renders?limit=50", timeout=10).json()["items"]
    moved = [r["id"] for r in items if r["id"] > first and any(
        light["role"] == "key" and -70 < light["azimuth"] <= -65
        for light in r["manifest"].get("controls", {}).get("lights", []))]
    assert moved == [new_id], "five key presses in a row make one render"


def test_refine_then_before_after_and_diff(page, base_url):
    page.goto("/")
    parent = render_from_prompt(page)
    instruction = page.get_by_role("textbox", name="Refine instruction")
    instruction.fill("make the key light come from the right")
    page.get_by_role("button", name="Refine").click()
    child = wait_for_new_render(page, parent)
    assert api_render(base_url, child)["parent_id"] == parent

    compare = page.get_by_role("region", name="Compare with parent")
    expect()(compare.get_by_role("img", name=re.compile("^Before: render"))).to_be_visible()
    expect()(compare.get_by_role("img", name=re.compile("^After: render"))).to_be_visible()
    table = compare.get_by_role("table", name=re.compile("Manifest changes"))
    row = table.get_by_role("row").filter(has_text="$.controls.lights[0].azimuth")
    expect()(row).to_contain_text("changed")
    expect()(row.get_by_role("cell").nth(2)).to_have_text("-70")
    expect()(row.get_by_role("cell").nth(3)).to_have_text("70")
    # the slider reveals the parent: all of it at the far right
    handle = compare.get_by_role("slider", name="Before/after position")
    handle.focus()
    page.keyboard.press("End")
    expect()(compare.get_by_role("img", name=re.compile("^Before"))).to_have_attribute(
        "style", re.compile(r"inset\(0(px)? 0%"))


def test_export_and_exact_re_render(page, base_url):
    page.goto("/")
    first = render_from_prompt(page, "amber glass jar on slate, low key light")
    page.get_by_role("combobox", name="Export format").select_option("tiff")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    assert download.value.suggested_filename.endswith((".tif", ".tiff"))
    assert Path(download.value.path()).read_bytes()[:4] in (b"II*\0", b"MM\0*")

    page.get_by_role("button", name="Re-render (same seed)").click()
    again = wait_for_new_render(page, first)
    a, b = api_render(base_url, first), api_render(base_url, again)
    assert (b["seed"], b["images"][0]["sha256"]) == (a["seed"], a["images"][0]["sha256"])

    page.get_by_role("button", name="Re-render (new seed)").click()
    other = wait_for_new_render(page, again)
    assert api_render(base_url, other)["seed"] != a["seed"]


def test_history_search_and_lineage_walk(page, base_url):
    page.goto("/")
    root = render_from_prompt(page, "red sneaker on black velvet, hard light from the right")
    page.get_by_role("textbox", name="Refine instruction").fill("warmer")
    page.get_by_role("button", name="Refine").click()
    child = wait_for_new_render(page, root)

    page.get_by_role("link", name="History").click()
    assert page.url.endswith("/history")
    page.get_by_role("searchbox", name="Search").fill("sneaker")
    page.get_by_role("button", name="Search").click()
    found = page.get_by_role("list", name="Renders found")
    expect()(found.get_by_role("listitem")).to_have_count(2)  # the sneaker and its refinement
    found.get_by_role("button", name=f"Select render {child[-8:].lower()}").click()

    tree = page.get_by_role("list", name="Lineage")
    expect()(tree.get_by_role("button")).to_have_count(2)
    current = tree.locator("[aria-current=true]")
    expect()(current).to_have_accessible_name(re.compile("generation 2"))
    tree.get_by_role("button", name=re.compile("generation 1")).click()  # walk up
    expect()(tree.locator("[aria-current=true]")).to_have_accessible_name(
        re.compile(f"Render {root[-8:].lower()}"))
    page.screenshot(path=artifacts_dir() / "history-lineage.png", full_page=True)
    page.get_by_role("button", name="Open in studio").click()
    expect()(page.get_by_role("textbox", name="Manifest JSON")).to_contain_text("sneaker")
    assert page.url.endswith(f"/renders/{root}")


def test_deep_link_opens_a_render(page, base_url):
    page.goto("/")
    render_id = render_from_prompt(page, "ceramic mug on light oak wood, morning window light")
    page.goto(f"/renders/{render_id}")  # a fresh load: the server answers the app
    expect()(page.get_by_role("img", name=re.compile(r"^Render \w+: ceramic mug"))).to_be_visible()
    expect()(page.get_by_role("textbox", name="Manifest JSON")).to_contain_text("ceramic mug")


def test_everything_is_labelled_and_keyboard_reachable(page):
    page.goto("/")
    render_from_prompt(page)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll(
        'button, input, select, textarea, a[href], [role=slider], [role=textbox]')]
      .filter(el => el.offsetParent !== null)
      .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                    && !el.getAttribute('aria-labelledby') && !el.textContent.trim())
      .map(el => el.outerHTML.slice(0, 120))""")
    assert unlabelled == []
    # Tab from the top of a freshly loaded page reaches the prompt box
    page.goto("/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('placeholder') || ''").startswith(
                "perfume"):
            break
    else:
        pytest.fail("the prompt box is not reachable with Tab")


@pytest.mark.parametrize("width", [390, 1280])
def test_layout_fits_the_window(browser, base_url, request, width):
    context, page, problems = _open_page(browser, base_url, request, width)
    try:
        page.goto("/")
        render_from_prompt(page)
        expect()(page.get_by_role("textbox", name="Prompt")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than a {width}px window"
        page.screenshot(path=artifacts_dir() / f"layout-{width}.png", full_page=True)
    finally:
        context.close()
    assert not problems, problems


CATALOGUE = ("sku,prompt,width,height\n"
             "MUG-1,red ceramic mug on light oak wood,256,256\n"
             "VASE-2,blue glass vase on white marble,256,256\n"
             "BAD-3,,256,256\n")


def test_a_csv_batch_reports_the_bad_row_and_renders_the_rest(page, base_url, server_home):
    # two templates saved from a render with the CLI, beside the running server
    look = api_render_prompt(base_url, "perfume bottle on black velvet, hard key light from "
                                       "the right, 50mm")
    studioflow_cli(server_home, "template", "save", look, "studio-look")
    studioflow_cli(server_home, "template", "save", look, "gone-look")
    page.goto("/batches")
    template = page.get_by_role("combobox", name="Template", exact=True)
    preset = page.get_by_role("combobox", name="Preset", exact=True)
    # pickers, "none" first, filled from /v1/templates and /v1/presets
    expect()(template.get_by_role("option")).to_have_text(["none", "gone-look", "studio-look"])
    expect()(preset.get_by_role("option").first).to_have_text("none")
    expect()(preset.get_by_role("option", name=re.compile(r"^amazon-main · 2000×2000$"))
             ).to_have_count(1)
    # dropped onto the drop zone, as from a file manager
    page.get_by_test_id("dropzone").evaluate(
        """(zone, text) => { const dt = new DataTransfer();
             dt.items.add(new File([text], 'catalogue.csv', {type: 'text/csv'}));
             zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true})); }""",
        CATALOGUE)
    expect()(page.get_by_test_id("batch-file-name")).to_contain_text("catalogue.csv")
    # the dry run: the bad row at its line and column, before anything renders
    summary = page.get_by_test_id("dry-run-summary")
    expect()(summary).to_contain_text("3 rows: 2 ready")
    bad = page.get_by_role("table", name="Rows with errors").get_by_role("row").filter(
        has_text="required value")
    expect()(bad.get_by_role("cell").nth(0)).to_have_text("4")  # line 4: the header is line 1
    expect()(bad.get_by_role("cell").nth(1)).to_have_text("prompt")

    # an option the server refuses (a template deleted since the list was loaded) is shown
    # at its field
    studioflow_cli(server_home, "template", "delete", "gone-look")
    template.select_option("gone-look")
    page.get_by_role("button", name="Check rows (dry run)").click()
    expect()(page.locator("#batch-template-error")).to_contain_text("no template named")
    expect()(template).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=artifacts_dir() / "batch-template-error.png", full_page=True)

    # pick a template and a marketplace preset: their descriptions appear under them
    template.select_option("studio-look")
    preset.select_option("amazon-main")
    expect()(page.locator("#batch-template-hint")).to_contain_text("black")
    expect()(page.locator("#batch-preset-hint")).to_contain_text("pure white background")
    page.get_by_role("button", name="Check rows (dry run)").click()
    expect()(summary).to_contain_text("3 rows: 2 ready")
    expect()(template).not_to_have_attribute("aria-invalid", "true")
    page.screenshot(path=artifacts_dir() / "batch-pickers.png", full_page=True)

    page.get_by_role("button", name="Start batch").click()
    page.wait_for_url(re.compile(r"/batches/\w+$"))
    batch_id = page.url.rsplit("/", 1)[1]
    expect()(page.get_by_role("progressbar", name="Batch progress")).to_be_visible()
    expect()(page.get_by_test_id("batch-status")).to_have_text("completed", timeout=60_000)
    expect()(page.get_by_test_id("batch-counts")).to_contain_text("2 rendered")
    errors = page.get_by_role("table", name="Errors", exact=True)
    expect()(errors.get_by_role("row").filter(has_text="required value")).to_have_count(1)
    results = page.get_by_role("table", name="Results")
    for sku in ("MUG-1", "VASE-2"):
        expect()(results.get_by_role("link", name=f"Open render of {sku}")).to_be_visible()
    page.wait_for_function("() => [...document.querySelectorAll('table.results img')]"
                           ".filter(i => i.complete && i.naturalWidth > 0).length === 2")
    page.screenshot(path=artifacts_dir() / "batch-results.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download ZIP").click()
    with zipfile.ZipFile(download.value.path()) as z:
        images = sorted(n for n in z.namelist() if n.endswith(".png"))
    assert len(images) == 2 and any("MUG-1" in n for n in images)

    # the picks were the batch's: the template's look with Amazon's white backdrop on top
    batch = httpx.get(f"{base_url}/v1/batches/{batch_id}", timeout=10).json()
    assert (batch["options"]["template"], batch["options"]["preset"]) == ("studio-look",
                                                                           "amazon-main")
    lines = httpx.get(f"{base_url}/v1/batches/{batch_id}/results.json", timeout=10).json()
    mug = next(line for line in lines["results"] if line["sku"] == "MUG-1")
    rendered = api_render(base_url, mug["render_id"])["manifest"]
    assert rendered["product"]["template"] == "studio-look"
    assert rendered["controls"]["background"]["color"] == "#FFFFFF"

    # the batch's renders carry their SKU: the history finds them by it
    page.get_by_role("link", name="History").click()
    page.get_by_role("textbox", name="SKU").fill("MUG-1")
    page.get_by_role("button", name="Search").click()
    found = page.get_by_role("list", name="Renders found")
    expect()(found.get_by_role("listitem")).to_have_count(1)
    expect()(found).to_contain_text("MUG-1")
