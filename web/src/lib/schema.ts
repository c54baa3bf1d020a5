// Reading the manifest JSON Schema (GET /v1/schema) for ranges, defaults and help text, so
// the UI restates nothing of it.
import type { Segment } from "./jsonpath";

export type Schema = Record<string, unknown> & {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
  description?: string;
  enum?: unknown[];
  type?: string | string[];
};

function pointer(root: Schema, ref: string): Schema {
  if (!ref.startsWith("#/")) return {};
  let cur: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    cur = (cur as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return (cur as Schema) ?? {};
}

/** The schema with its $ref resolved; keywords next to the $ref win (2020-12). */
export function resolve(root: Schema, node: Schema | undefined): Schema {
  if (!node) return {};
  if (!node.$ref) return node;
  const { $ref, ...rest } = node;
  return { ...resolve(root, pointer(root, $ref)), ...rest };
}

/** The (resolved) subschema at a manifest path, e.g. ["controls", "camera", "azimuth"]. */
export function subschema(root: Schema, segs: Segment[]): Schema {
  let node = resolve(root, root);
  for (const seg of segs) {
    node = resolve(root, typeof seg === "number" ? node.items : node.properties?.[seg]);
  }
  return node;
}

export interface Range {
  min: number;
  max: number;
  integer: boolean;
}

export function rangeOf(node: Schema): Range {
  const min = node.minimum ?? node.exclusiveMinimum ?? 0;
  return { min, max: node.maximum ?? min + 100, integer: node.type === "integer" };
}
