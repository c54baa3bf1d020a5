// What the studio asks the server, one function per call, over the generated client.
import { authHeaders } from "./auth";
import {
  ApiError,
  call,
  client,
  toApiError,
  type BatchForm,
  type BatchOut,
  type BatchPage,
  type DryRunOut,
  type ResultsOut,
  type ChangeOut,
  type EngineOut,
  type ErrorDetail,
  type JobAccepted,
  type JobOut,
  type LineageOut,
  type Manifest,
  type PresetOut,
  type RenderIn,
  type RenderOut,
  type RenderPage,
  type TemplateOut,
} from "./client";

export type JsonSchema = Record<string, unknown>;

export const getSchema = () =>
  call(() => client.GET("/v1/schema")) as Promise<JsonSchema>;

export const getEngines = (): Promise<EngineOut[]> => call(() => client.GET("/v1/engines"));

export const translate = (prompt: string, base?: Manifest): Promise<Manifest> =>
  call(() => client.POST("/v1/translate", { body: { prompt, base: base ?? null } }));

export const validate = (manifest: unknown): Promise<{ valid: boolean; errors: ErrorDetail[] }> =>
  call(() => client.POST("/v1/validate", { body: manifest as never }));

export const compile = (manifest: Manifest): Promise<Manifest> =>
  call(() => client.POST("/v1/compile", { body: manifest }));

export const submitRender = (body: RenderIn): Promise<JobAccepted> =>
  call(() => client.POST("/v1/renders", { body }));

export const refine = (id: string, instruction: string, seed?: number): Promise<JobAccepted> =>
  call(() =>
    client.POST("/v1/renders/{render_id}/refine", {
      params: { path: { render_id: id } },
      body: { instruction, seed: seed ?? null },
    }),
  );

export const rerender = (id: string): Promise<JobAccepted> =>
  call(() => client.POST("/v1/renders/{render_id}/rerender", { params: { path: { render_id: id } } }));

export const getRender = (id: string): Promise<RenderOut> =>
  call(() => client.GET("/v1/renders/{render_id}", { params: { path: { render_id: id } } }));

export interface HistoryQuery {
  q?: string;
  sku?: string;
  cursor?: string | null;
  limit?: number;
}

export const listRenders = ({ q, sku, cursor, limit }: HistoryQuery): Promise<RenderPage> =>
  call(() =>
    client.GET("/v1/renders", {
      params: { query: { q: q || undefined, sku: sku || undefined, cursor: cursor || undefined, limit } },
    }),
  );

export const getLineage = (id: string): Promise<LineageOut> =>
  call(() => client.GET("/v1/renders/{render_id}/lineage", { params: { path: { render_id: id } } }));

export const getDiff = (a: string, b: string): Promise<ChangeOut[]> =>
  call(() => client.GET("/v1/renders/{a}/diff/{b}", { params: { path: { a, b } } }));

export const getJob = (id: string): Promise<JobOut> =>
  call(() => client.GET("/v1/jobs/{job_id}", { params: { path: { job_id: id } } }));

export const cancelJob = (id: string): Promise<JobOut> =>
  call(() => client.DELETE("/v1/jobs/{job_id}", { params: { path: { job_id: id } } }));

/** The export route's URL for a render (formats from the export module). */
export const exportUrl = (id: string, format: string): string =>
  `/v1/renders/${encodeURIComponent(id)}/export?format=${encodeURIComponent(format)}`;

/** A manifest in the look of a reference image (POST /v1/inspire, multipart). */
export const inspire = (image: File, prompt?: string): Promise<Manifest> => {
  const form = new FormData();
  form.append("image", image);
  if (prompt) form.append("prompt", prompt);
  return call(() =>
    client.POST("/v1/inspire", { body: {} as never, bodySerializer: () => form }),
  );
};

// batches ---------------------------------------------------------------------------------
export type BatchOptions = Omit<BatchForm, "file" | "dry_run">;

function batchForm(file: File, options: Partial<BatchOptions>, dryRun: boolean): FormData {
  const form = new FormData();
  form.append("file", file);
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && value !== null && value !== "") form.append(name, String(value));
  }
  form.append("dry_run", String(dryRun));
  return form;
}

/** The saved templates (brand kits), by name. */
export const getTemplates = (): Promise<TemplateOut[]> =>
  call(() => client.GET("/v1/templates")).then((page) => page.items);

/** The marketplace presets, sized for ``engine`` (default: the server's default engine). */
export const getPresets = (engine?: string): Promise<PresetOut[]> =>
  call(() => client.GET("/v1/presets", { params: { query: { engine: engine || undefined } } })).then((page) => page.items);

/** Check every row of a CSV without rendering anything. */
export const checkBatch = (file: File, options: Partial<BatchOptions>): Promise<DryRunOut> =>
  call(() =>
    client.POST("/v1/batches", { body: {} as never, bodySerializer: () => batchForm(file, options, true) }),
  ) as Promise<DryRunOut>;

export const startBatch = (file: File, options: Partial<BatchOptions>): Promise<BatchOut> =>
  call(() =>
    client.POST("/v1/batches", { body: {} as never, bodySerializer: () => batchForm(file, options, false) }),
  ) as Promise<BatchOut>;

export const getBatch = (id: string): Promise<BatchOut> =>
  call(() => client.GET("/v1/batches/{batch_id}", { params: { path: { batch_id: id } } }));

export const listBatches = (limit = 10): Promise<BatchPage> =>
  call(() => client.GET("/v1/batches", { params: { query: { limit } } }));

export const cancelBatch = (id: string): Promise<BatchOut> =>
  call(() => client.DELETE("/v1/batches/{batch_id}", { params: { path: { batch_id: id } } }));

export const batchResults = (id: string): Promise<ResultsOut> =>
  call(() => client.GET("/v1/batches/{batch_id}/results.json", { params: { path: { batch_id: id } } }));

/** Save a file the API serves (with the API key, if any) under the name it gives. */
export async function download(url: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { headers: authHeaders() });
  } catch (exc) {
    throw new ApiError(0, "network_error", `cannot reach the StudioFlow server (${String(exc)})`);
  }
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => null));
  const name = /filename="?([^";]+)"?/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
}
