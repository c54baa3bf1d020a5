import { ApiError, type ErrorDetail } from "../api/client";

/** One line for a failure: the message and, when there are any, the details with paths. */
export function describeError(exc: unknown): string {
  if (exc instanceof ApiError) {
    const details = exc.details.map((d) => `${d.path}: ${d.message}`).join("; ");
    return details ? `${exc.message} — ${details}` : exc.message;
  }
  return exc instanceof Error ? exc.message : String(exc);
}

/** The details of an error that point into a manifest ($...), for the editor. */
export function manifestDetails(exc: unknown): ErrorDetail[] {
  return exc instanceof ApiError ? exc.details.filter((d) => d.path.startsWith("$")) : [];
}

export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** The text as a manifest object, or null when it is not a JSON object. */
export function parseManifest(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
