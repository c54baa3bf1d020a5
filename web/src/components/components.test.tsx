import { EditorState } from "@codemirror/state";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { RenderOut } from "../api/client";
import { readControls } from "../lib/controls";
import type { JobEntry } from "../lib/jobs";
import { schema } from "../test/schema";
import { BeforeAfter } from "./BeforeAfter";
import { IssueTable } from "./BatchUploader";
import { DiffTable } from "./DiffTable";
import { ErrorBoundary } from "./ErrorBoundary";
import { serverDiagnostics, serverErrorsField, setServerErrors } from "./JsonEditorCore";
import { ParamControls } from "./ParamControls";
import { PromptInput } from "./PromptInput";
import { RenderPreview } from "./RenderPreview";
import { planPoint, StudioDiagram } from "./StudioDiagram";

const manifest = {
  schema_version: "1.0",
  fibo: {},
  controls: {
    camera: { azimuth: 0, elevation: 10, focal_length_mm: 85, aperture: 8 },
    lights: [
      { role: "key", azimuth: -45, elevation: 45, intensity: 1, softness: 0.7, color_temperature: 5600 },
      { role: "fill", azimuth: 60, elevation: 15, intensity: 0.35, softness: 0.9, color_temperature: 5600 },
    ],
  },
  render: { engine: "preview" },
};

function render0(extra: Partial<RenderOut> = {}): RenderOut {
  return {
    id: "01JDTESTRENDER000000000001", parent_id: null, created_at: "2026-01-01T00:00:00Z", engine: "preview",
    engine_label: "preview", model: null, model_revision: null, seed: 7, width: 64, height: 64, duration_ms: 120,
    schema_version: "1.0", prompt: "a mug", instruction: null, translator: "rules", sku: null, job_id: null,
    manifest, engine_meta: {}, links: {},
    images: [{ index: 0, width: 64, height: 64, bit_depth: 8, sha256: "x", size_bytes: 1, url: "/v1/renders/01JDTESTRENDER000000000001/image?index=0" }],
    ...extra,
  };
}

describe("PromptInput", () => {
  it("translates on Ctrl+Enter and shows the translator and errors", async () => {
    const onSubmit = vi.fn();
    const { rerender } = render(<PromptInput onSubmit={onSubmit} busy={false} translator={null} error={null} />);
    const box = screen.getByRole("textbox", { name: "Prompt" });
    await userEvent.type(box, "red mug on oak");
    await userEvent.keyboard("{Enter}");
    expect(onSubmit).not.toHaveBeenCalled(); // plain Enter is a new line
    await userEvent.keyboard("{Control>}{Enter}{/Control}");
    expect(onSubmit).toHaveBeenCalledWith("red mug on oak");
    rerender(<PromptInput onSubmit={onSubmit} busy={false} translator="rules" error="$.prompt: empty" />);
    expect(screen.getByTestId("translator")).toHaveTextContent("translator: rules");
    expect(screen.getByRole("alert")).toHaveTextContent("$.prompt: empty");
    expect(box).toHaveAttribute("aria-invalid", "true");
  });
});

describe("StudioDiagram", () => {
  it("puts a light at negative azimuth on the frame's left, in front", () => {
    const p = planPoint(-45, 0);
    expect(p.x).toBeLessThan(110);
    expect(p.y).toBeGreaterThan(110);
    expect(planPoint(180, 0).y).toBeLessThan(110); // behind the product: top of the plan
    // higher lights stand closer to the product on a plan
    expect(Math.abs(planPoint(-45, 80).x - 110)).toBeLessThan(Math.abs(p.x - 110));
  });

  it("describes where everything stands", () => {
    render(<StudioDiagram values={readControls(manifest, schema)} />);
    expect(screen.getByRole("img", { name: /key light at -45° azimuth, 45° elevation/ })).toBeInTheDocument();
  });
});

function Controlled({ onCommit }: { onCommit: (m: Record<string, unknown>) => void }) {
  const [m, setM] = useState<Record<string, unknown>>(manifest);
  return (
    <>
      <ParamControls manifest={m} schema={schema} onChange={setM} onCommit={onCommit} renderOnRelease onRenderOnReleaseChange={() => undefined} />
      <pre data-testid="json">{JSON.stringify(m)}</pre>
    </>
  );
}

describe("ParamControls", () => {
  it("takes its ranges from the schema", () => {
    render(<Controlled onCommit={() => undefined} />);
    const az = screen.getByRole("slider", { name: "Key light azimuth" });
    expect(az).toHaveAttribute("min", "-180");
    expect(az).toHaveAttribute("max", "180");
    expect(screen.getByRole("slider", { name: "Fill light colour temperature" })).toHaveAttribute("min", "1500");
  });

  it("updates the manifest and the plan live, and commits on release", () => {
    const onCommit = vi.fn();
    render(<Controlled onCommit={onCommit} />);
    const az = screen.getByRole("slider", { name: "Key light azimuth" });
    fireEvent.change(az, { target: { value: "30" } });
    expect(screen.getByTestId("json").textContent).toContain('"role":"key","azimuth":30');
    expect(screen.getByRole("img", { name: /key light at 30° azimuth/ })).toBeInTheDocument();
    expect(onCommit).not.toHaveBeenCalled();
    fireEvent.pointerUp(az);
    expect(onCommit).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(onCommit.mock.calls[0][0])).toContain('"azimuth":30');
  });

  it("maps the focal length on a log scale and rounds it", () => {
    render(<Controlled onCommit={() => undefined} />);
    const focal = screen.getByRole("slider", { name: "Focal length" });
    fireEvent.change(focal, { target: { value: String(Math.log(50.3)) } });
    expect(screen.getByTestId("json").textContent).toContain('"focal_length_mm":50');
    expect(focal).toHaveAttribute("aria-valuetext", "50 mm");
  });

  it("adds a rim light with the schema's defaults", async () => {
    render(<Controlled onCommit={() => undefined} />);
    expect(screen.queryByRole("slider", { name: "Rim light azimuth" })).toBeNull();
    await userEvent.click(screen.getByRole("checkbox", { name: "Rim light" }));
    expect(screen.getByRole("slider", { name: "Rim light azimuth" })).toBeInTheDocument();
    expect(screen.getByTestId("json").textContent).toContain('{"role":"rim"}');
  });
});

describe("RenderPreview", () => {
  const noop = async () => undefined;
  it("labels a preview render PREVIEW and shows running jobs with progress", () => {
    const jobs: JobEntry[] = [
      { id: "j1", kind: "render", label: "a mug", progress: { phase: "running", progress: 0.4, message: "shading" } },
      { id: "j2", kind: "refine", label: "warmer", progress: { phase: "failed", progress: 0, message: "", error: { code: "invalid_manifest", message: "bad", details: [{ path: "$.render.width", message: "not a multiple of 8" }] } } },
    ];
    render(<RenderPreview renders={[render0()]} selected={render0()} jobs={jobs} onSelect={() => undefined} onRefine={noop} onRerender={noop} onCancel={() => undefined} onDismiss={() => undefined} />);
    const stage = screen.getByRole("article", { name: /Render/ });
    expect(within(stage).getByText("PREVIEW")).toBeInTheDocument();
    const bar = screen.getByRole("progressbar", { name: "Progress of render: a mug" });
    expect(bar).toHaveAttribute("value", "0.4");
    expect(screen.getByRole("alert")).toHaveTextContent("Failed: bad $.render.width not a multiple of 8");
  });

  it("shows the engine's label for other engines", () => {
    const fibo = render0({ engine: "fibo", engine_label: "FIBO 8B" });
    render(<RenderPreview renders={[fibo]} selected={fibo} jobs={[]} onSelect={() => undefined} onRefine={noop} onRerender={noop} onCancel={() => undefined} onDismiss={() => undefined} />);
    expect(screen.queryByText("PREVIEW")).toBeNull();
    expect(screen.getAllByText("FIBO 8B").length).toBeGreaterThan(0);
  });

  it("refines with the typed instruction and shows a refusal in place", async () => {
    const onRefine = vi.fn().mockRejectedValueOnce(new Error("instruction not understood"));
    render(<RenderPreview renders={[render0()]} selected={render0()} jobs={[]} onSelect={() => undefined} onRefine={onRefine} onRerender={noop} onCancel={() => undefined} onDismiss={() => undefined} />);
    await userEvent.type(screen.getByRole("textbox", { name: "Refine instruction" }), "warmer");
    await userEvent.click(screen.getByRole("button", { name: "Refine" }));
    expect(onRefine).toHaveBeenCalledWith(expect.objectContaining({ id: render0().id }), "warmer");
    expect(await screen.findByRole("alert")).toHaveTextContent("instruction not understood");
  });
});

describe("BeforeAfter and DiffTable", () => {
  it("reveals the before image up to the slider", () => {
    render(<BeforeAfter before={{ src: "/a.png", label: "a" }} after={{ src: "/b.png", label: "b" }} />);
    const before = screen.getByRole("img", { name: "Before: a" });
    expect(before.style.clipPath).toBe("inset(0 50% 0 0)");
    fireEvent.change(screen.getByRole("slider", { name: "Before/after position" }), { target: { value: "80" } });
    expect(before.style.clipPath).toBe("inset(0 20% 0 0)");
  });

  it("lists changes by path", () => {
    render(<DiffTable caption="changes" changes={[{ path: "$.controls.lights[0].azimuth", kind: "changed", before: -70, after: 70 }, { path: "$.fibo.text_render[0]", kind: "added", after: { text: "SALE" } }]} />);
    const rows = screen.getAllByRole("row");
    expect(within(rows[1]).getAllByRole("cell").map((c) => c.textContent)).toEqual(["$.controls.lights[0].azimuth", "changed", "-70", "70"]);
    expect(within(rows[2]).getAllByRole("cell")[2]).toHaveTextContent("—");
  });
});

describe("IssueTable", () => {
  it("shows each bad row with its line and column", () => {
    render(<IssueTable caption="Rows with errors" issues={[{ row: 4, column: "prompt", message: "required value is missing" }]} />);
    const cells = within(screen.getByRole("table", { name: "Rows with errors" })).getAllByRole("cell");
    expect(cells.map((c) => c.textContent)).toEqual(["4", "prompt", "required value is missing"]);
  });
});

describe("ErrorBoundary", () => {
  it("shows the failure and a way back instead of a blank page", async () => {
    let broken = true;
    function Fragile() {
      if (broken) throw new Error("kaboom");
      return <p>all good</p>;
    }
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    render(<ErrorBoundary area="gallery"><Fragile /></ErrorBoundary>);
    expect(screen.getByRole("alert")).toHaveTextContent("The gallery stopped working");
    expect(screen.getByRole("alert")).toHaveTextContent("kaboom");
    broken = false;
    await act(async () => screen.getByRole("button", { name: "Try again" }).click());
    expect(screen.getByText("all good")).toBeInTheDocument();
    spy.mockRestore();
  });
});

describe("server errors in the editor", () => {
  it("are placed at their JSON paths in the current text", () => {
    const doc = JSON.stringify({ render: { engine: "preview", width: 1001 }, fibo: { objects: [{ description: "x" }] } }, null, 2);
    let state = EditorState.create({ doc, extensions: [serverErrorsField] });
    state = state.update({ effects: setServerErrors.of([
      { path: "$.render.width", message: "not a multiple of 8" },
      { path: "$.fibo.objects[0].location", message: "required" },
    ]) }).state;
    const [width, location] = serverDiagnostics(state);
    expect(doc.slice(width.from, width.to)).toBe("1001");
    expect(width.message).toBe("$.render.width: not a multiple of 8");
    // a missing property is shown at its object
    expect(doc.slice(location.from, location.to)).toBe("{");
  });
});
