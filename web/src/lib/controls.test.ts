import { describe, expect, it } from "vitest";
import { schema } from "../test/schema";
import { readControls, setCamera, setLight, toggleLight } from "./controls";
import { rangeOf, subschema } from "./schema";

const bare = { schema_version: "1.0", fibo: {}, render: { engine: "preview" } };

describe("studio controls", () => {
  it("reads the schema's defaults when the manifest has no controls", () => {
    const values = readControls(bare, schema);
    const lightDefaults = subschema(schema, ["controls", "lights"]).default as { role: string; azimuth: number }[];
    expect(values.camera.focal_length_mm).toBe(subschema(schema, ["controls", "camera", "focal_length_mm"]).default);
    expect(Object.keys(values.lights).sort()).toEqual(lightDefaults.map((l) => l.role).sort());
    expect(values.lights.key?.azimuth).toBe(lightDefaults.find((l) => l.role === "key")!.azimuth);
    expect(values.background).toBe(subschema(schema, ["controls", "background", "color"]).default);
  });

  it("fills a light's missing values from the light schema", () => {
    const m = { ...bare, controls: { lights: [{ role: "rim" }] } };
    const rim = readControls(m, schema).lights.rim!;
    expect(rim.softness).toBe(subschema(schema, ["controls", "lights", 0, "softness"]).default);
    expect(readControls(m, schema).lights.key).toBeUndefined();
  });

  it("changes only the moved control", () => {
    const m = { ...bare, controls: { camera: { azimuth: 0, aperture: 8 } } };
    const next = setCamera(m, "azimuth", 30);
    expect(next.controls).toEqual({ camera: { azimuth: 30, aperture: 8 } });
    expect(m.controls.camera.azimuth).toBe(0);
  });

  it("writes out the default lights before changing one, so the others stay", () => {
    const next = setLight(bare, schema, "key", "azimuth", 70) as { controls: { lights: { role: string; azimuth: number }[] } };
    const roles = next.controls.lights.map((l) => l.role);
    expect(roles).toEqual((subschema(schema, ["controls", "lights"]).default as { role: string }[]).map((l) => l.role));
    expect(next.controls.lights.find((l) => l.role === "key")!.azimuth).toBe(70);
  });

  it("adds and removes a light", () => {
    const withRim = toggleLight(bare, schema, "rim", true);
    expect(readControls(withRim, schema).lights.rim).toBeDefined();
    expect(readControls(toggleLight(withRim, schema, "rim", false), schema).lights.rim).toBeUndefined();
  });

  it("takes slider ranges from the schema, through $ref", () => {
    expect(rangeOf(subschema(schema, ["controls", "camera", "azimuth"]))).toMatchObject({ min: -180, max: 180 });
    expect(rangeOf(subschema(schema, ["controls", "lights", 0, "color_temperature"]))).toMatchObject({ min: 1500, max: 12000 });
    // a keyword beside the $ref wins over the referenced one
    expect(subschema(schema, ["controls", "camera", "elevation"]).description).toMatch(/Camera height/);
  });
});
