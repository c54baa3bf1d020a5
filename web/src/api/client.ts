// The typed API client: openapi-fetch over the paths GENERATED from the OpenAPI document
// (src/generated/api.d.ts). Every call either returns the typed body or throws ApiError.
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/api";
import { authHeaders } from "./auth";

type Schemas = components["schemas"];
export type RenderOut = Schemas["RenderOut"];
export type RenderPage = Schemas["RenderPage"];
export type JobOut = Schemas["JobOut"];
export type JobAccepted = Schemas["JobAccepted"];
export type LineageOut = Schemas["LineageOut"];
export type ChangeOut = Schemas["ChangeOut"];
export type EngineOut = Schemas["EngineOut"];
export type ErrorDetail = Schemas["ErrorDetailOut"];
export type RenderIn = Schemas["RenderIn"];
export type BatchOut = Schemas["BatchOut"];
export type BatchPage = Schemas["BatchPage"];
export type DryRunOut = Schemas["DryRunOut"];
export type RowIssue = Schemas["RowIssue"];
export type ResultsOut = Schemas["ResultsOut"];
export type ItemResult = Schemas["ItemResult"];
export type ExportFormatName = Schemas["ExportFormatName"];
export type BatchForm = Schemas["Body_create_batch_v1_batches_post"];
export type TemplateOut = Schemas["TemplateOut"];
export type PresetOut = Schemas["PresetOut"];
export type Manifest = Record<string, unknown>;

/** An API error in its one shape: code, message and details at JSON paths. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function toApiError(status: number, body: unknown): ApiError {
  const err = (body as { error?: { code?: string; message?: string; details?: ErrorDetail[] } })?.error;
  if (err && typeof err.message === "string") {
    return new ApiError(status, err.code ?? `http_${status}`, err.message, err.details ?? []);
  }
  return new ApiError(status, `http_${status}`, `the server answered ${status}`);
}

function origin(): string {
  return typeof window !== "undefined" ? window.location.origin : "http://localhost";
}

export const client = createClient<paths>({ baseUrl: origin() });
client.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders())) request.headers.set(name, value);
    return request;
  },
});

/** The body of an openapi-fetch result, or an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error);
  }
  return result.data as T;
}

/** Network failures (server gone) become ApiErrors too, so the UI has one thing to show. */
export async function call<T>(run: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result;
  try {
    result = await run();
  } catch (exc) {
    if (exc instanceof ApiError) throw exc;
    throw new ApiError(0, "network_error", `cannot reach the StudioFlow server (${String(exc)})`);
  }
  return unwrap(result);
}
