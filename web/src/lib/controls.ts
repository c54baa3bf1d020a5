// The numeric studio controls of a manifest as the sliders see them: current values with
// the schema's defaults filled in, and immutable updates that touch only what was moved.
import type { Manifest } from "../api/client";
import { getIn, setIn } from "./jsonpath";
import { subschema, type Schema } from "./schema";

export const CAMERA_PROPS = ["azimuth", "elevation", "focal_length_mm", "aperture"] as const;
export const LIGHT_PROPS = ["azimuth", "elevation", "intensity", "softness", "color_temperature"] as const;
export const LIGHT_ROLES = ["key", "fill", "rim"] as const;

export type CameraProp = (typeof CAMERA_PROPS)[number];
export type LightProp = (typeof LIGHT_PROPS)[number];
export type LightRole = (typeof LIGHT_ROLES)[number];
export type Light = { role: string } & Partial<Record<LightProp, number>> & Record<string, unknown>;

export interface ControlValues {
  camera: Record<CameraProp, number>;
  lights: Partial<Record<LightRole, Record<LightProp, number>>>;
  background: string;
}

function num(v: unknown, fallback: unknown): number {
  return typeof v === "number" ? v : typeof fallback === "number" ? fallback : 0;
}

/** The manifest's lights, or the schema's default lights when it has none. */
export function lightsOf(manifest: Manifest | null, schema: Schema): Light[] {
  const own = getIn(manifest, ["controls", "lights"]);
  if (Array.isArray(own)) return own as Light[];
  const defaults = subschema(schema, ["controls", "lights"]).default;
  return Array.isArray(defaults) ? (defaults as Light[]) : [];
}

export function readControls(manifest: Manifest | null, schema: Schema): ControlValues {
  const camera = {} as Record<CameraProp, number>;
  for (const prop of CAMERA_PROPS) {
    camera[prop] = num(getIn(manifest, ["controls", "camera", prop]), subschema(schema, ["controls", "camera", prop]).default);
  }
  const lights: ControlValues["lights"] = {};
  for (const light of lightsOf(manifest, schema)) {
    const role = light.role as LightRole;
    if (!LIGHT_ROLES.includes(role) || lights[role]) continue;
    const values = {} as Record<LightProp, number>;
    for (const prop of LIGHT_PROPS) values[prop] = num(light[prop], subschema(schema, ["controls", "lights", 0, prop]).default);
    lights[role] = values;
  }
  const bg = getIn(manifest, ["controls", "background", "color"]);
  const bgDefault = subschema(schema, ["controls", "background", "color"]).default;
  return { camera, lights, background: typeof bg === "string" ? bg : typeof bgDefault === "string" ? bgDefault : "#FFFFFF" };
}

export function setCamera(manifest: Manifest, prop: CameraProp, value: number): Manifest {
  return setIn(manifest, ["controls", "camera", prop], value);
}

export function setBackground(manifest: Manifest, color: string): Manifest {
  return setIn(manifest, ["controls", "background", "color"], color.toUpperCase());
}

/** Set one property of the light with ``role`` (the schema's default lights are written out
 * first when the manifest has none, so the others keep their place). */
export function setLight(manifest: Manifest, schema: Schema, role: LightRole, prop: LightProp, value: number): Manifest {
  const lights = lightsOf(manifest, schema).map((l) => ({ ...l }));
  let light = lights.find((l) => l.role === role);
  if (!light) {
    light = { role };
    lights.push(light);
  }
  light[prop] = value;
  return setIn(manifest, ["controls", "lights"], lights);
}

export function toggleLight(manifest: Manifest, schema: Schema, role: LightRole, on: boolean): Manifest {
  const lights = lightsOf(manifest, schema);
  const has = lights.some((l) => l.role === role);
  if (on === has) return manifest;
  const next = on ? [...lights, { role }] : lights.filter((l) => l.role !== role);
  return setIn(manifest, ["controls", "lights"], next);
}

