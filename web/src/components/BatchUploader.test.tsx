import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, type PresetOut, type TemplateOut } from "../api/client";
import * as api from "../api/studio";
import { BatchUploader } from "./BatchUploader";

vi.mock("../api/studio", () => ({
  getEngines: vi.fn(),
  listBatches: vi.fn(),
  getTemplates: vi.fn(),
  getPresets: vi.fn(),
  checkBatch: vi.fn(),
  startBatch: vi.fn(),
}));
const mocked = vi.mocked(api);

const TEMPLATES: TemplateOut[] = [
  { name: "noir", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", source_render_id: "01JD", summary: "black sweep · key + rim lights · 50 mm" },
  { name: "studio-white", created_at: "2026-01-02T00:00:00Z", updated_at: "2026-01-02T00:00:00Z", source_render_id: null, summary: "white sweep · key + fill lights" },
];
const preset = (name: string, width: number, height: number, rules: string[]): PresetOut => ({
  name, title: `${name} title`, width, height, aspect: "1:1", nominal_width: width, nominal_height: height, rules, source: "docs",
});
const PRESETS = [preset("amazon-main", 2000, 2000, ["pure white background #FFFFFF", "no text"]), preset("etsy", 2016, 1512, ["4:3 landscape"])];
const CHECK = { dry_run: true, rows: 2, valid_rows: 2, items: 2, errors: [], warnings: [] };

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const csv = () => new File(["sku,prompt\nA,mug\n"], "catalogue.csv", { type: "text/csv" });
const picker = (name: string) => screen.getByRole("combobox", { name });
const optionTexts = (select: HTMLElement) => within(select).getAllByRole("option").map((o) => o.textContent);

beforeEach(() => {
  vi.resetAllMocks();
  mocked.getEngines.mockResolvedValue([]);
  mocked.listBatches.mockResolvedValue({ items: [] });
  mocked.getTemplates.mockResolvedValue(TEMPLATES);
  mocked.getPresets.mockResolvedValue(PRESETS);
  mocked.checkBatch.mockResolvedValue(CHECK);
});

describe("BatchUploader's template and preset pickers", () => {
  it("shows the lists loading in place, then offers none first and the server's choices", async () => {
    const templates = deferred<TemplateOut[]>();
    mocked.getTemplates.mockReturnValue(templates.promise);
    render(<BatchUploader />);
    const template = picker("Template");
    expect(screen.getAllByRole("status").map((s) => s.textContent)).toContain("Loading templates…");
    expect(template).toHaveAttribute("aria-busy", "true");
    expect(template).toHaveAccessibleDescription("Loading templates…");
    expect(optionTexts(template)).toEqual(["none"]);
    await act(async () => templates.resolve(TEMPLATES));
    expect(optionTexts(template)).toEqual(["none", "noir", "studio-white"]);
    expect(template).toHaveValue("");
    expect(screen.queryByText("Loading templates…")).toBeNull();
    await waitFor(() => expect(optionTexts(picker("Preset"))).toEqual(["none", "amazon-main · 2000×2000", "etsy · 2016×1512"]));
  });

  it("sends the picked names with the dry run and describes the picks", async () => {
    render(<BatchUploader />);
    await waitFor(() => expect(optionTexts(picker("Preset"))).toHaveLength(3));
    await userEvent.selectOptions(picker("Template"), "noir");
    await userEvent.selectOptions(picker("Preset"), "amazon-main");
    expect(picker("Template")).toHaveAccessibleDescription("black sweep · key + rim lights · 50 mm");
    expect(picker("Preset")).toHaveAccessibleDescription("amazon-main title: pure white background #FFFFFF; no text");
    const file = csv();
    await userEvent.upload(screen.getByLabelText("Catalogue CSV file"), file);
    await waitFor(() => expect(mocked.checkBatch).toHaveBeenCalledTimes(1));
    expect(mocked.checkBatch).toHaveBeenCalledWith(file, expect.objectContaining({ template: "noir", preset: "amazon-main" }));
    expect(await screen.findByTestId("dry-run-summary")).toHaveTextContent("2 rows: 2 ready");
    // back to none: the option is left out
    await userEvent.selectOptions(picker("Template"), "none");
    await userEvent.click(screen.getByRole("button", { name: "Check rows (dry run)" }));
    await waitFor(() => expect(mocked.checkBatch).toHaveBeenCalledTimes(2));
    expect(mocked.checkBatch.mock.calls[1][1]).toMatchObject({ template: undefined, preset: "amazon-main" });
  });

  it("asks for presets sized for the chosen engine", async () => {
    mocked.getEngines.mockResolvedValue([{ name: "fibo", available: true } as never, { name: "preview", available: true } as never]);
    render(<BatchUploader />);
    await waitFor(() => expect(mocked.getPresets).toHaveBeenCalledWith(undefined));
    const engine = picker("Engine");
    await waitFor(() => expect(optionTexts(engine)).toContain("fibo"));
    await userEvent.selectOptions(engine, "fibo");
    await waitFor(() => expect(mocked.getPresets).toHaveBeenLastCalledWith("fibo"));
  });

  it("shows a list that failed to load in place, with a way to try again", async () => {
    mocked.getTemplates.mockRejectedValueOnce(new ApiError(0, "network_error", "cannot reach the StudioFlow server"));
    render(<BatchUploader />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Cannot load the templates: cannot reach the StudioFlow server");
    expect(picker("Template")).toHaveAccessibleDescription(/Cannot load the templates/);
    expect(optionTexts(picker("Template"))).toEqual(["none"]);
    await userEvent.click(within(alert).getByRole("button", { name: "Try loading the templates again" }));
    await waitFor(() => expect(optionTexts(picker("Template"))).toEqual(["none", "noir", "studio-white"]));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(mocked.getTemplates).toHaveBeenCalledTimes(2);
  });

  it("says how to make a template when there is none", async () => {
    mocked.getTemplates.mockResolvedValue([]);
    render(<BatchUploader />);
    await waitFor(() => expect(picker("Template")).toHaveAccessibleDescription(/No templates yet: save one from a render/));
  });

  it("keeps the server's refusal of a picked option at its field", async () => {
    mocked.checkBatch.mockRejectedValueOnce(new ApiError(422, "invalid_input", "invalid batch option: no template named 'noir'",
      [{ path: "$.template", message: "no template named 'noir'" }]));
    render(<BatchUploader />);
    await waitFor(() => expect(optionTexts(picker("Template"))).toHaveLength(3));
    await userEvent.selectOptions(picker("Template"), "noir");
    await userEvent.upload(screen.getByLabelText("Catalogue CSV file"), csv());
    const template = picker("Template");
    await waitFor(() => expect(template).toHaveAttribute("aria-invalid", "true"));
    expect(document.getElementById("batch-template-error")).toHaveTextContent("no template named 'noir'");
    expect(template).toHaveAccessibleDescription(/no template named 'noir'/);
    expect(picker("Preset")).not.toHaveAttribute("aria-invalid");
  });

  it("are reached with the keyboard, in order", async () => {
    render(<BatchUploader />);
    await waitFor(() => expect(optionTexts(picker("Preset"))).toHaveLength(3));
    screen.getByRole("button", { name: "Choose a CSV file" }).focus();
    await userEvent.tab();
    expect(picker("Template")).toHaveFocus();
    await userEvent.tab();
    expect(picker("Preset")).toHaveFocus();
    await userEvent.tab();
    expect(picker("Engine")).toHaveFocus();
  });
});
