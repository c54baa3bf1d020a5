import { describe, expect, it } from "vitest";
import { formatPath, getIn, locate, markRange, parsePath, setIn } from "./jsonpath";

const TEXT = `{
  "render": {"engine": "preview", "width": 1001},
  "fibo": {"objects": [{"description": "mug"}, {"description": "saucer"}]},
  "controls": {"lights": [{"role": "key", "azimuth": -45}]}
}`;

describe("JSON paths", () => {
  it("parses and formats the API's paths", () => {
    expect(parsePath("$.fibo.objects[1].description")).toEqual(["fibo", "objects", 1, "description"]);
    expect(parsePath("$['odd key'].x")).toEqual(["odd key", "x"]);
    expect(formatPath(["controls", "lights", 0, "azimuth"])).toBe("$.controls.lights[0].azimuth");
  });

  it("finds a value and its key in the text", () => {
    const span = locate(TEXT, "$.render.width")!;
    expect(TEXT.slice(span.from, span.to)).toBe("1001");
    expect(TEXT.slice(span.keyFrom, span.keyTo)).toBe('"width"');
    const second = locate(TEXT, "$.fibo.objects[1].description")!;
    expect(TEXT.slice(second.from, second.to)).toBe('"saucer"');
  });

  it("falls back to the deepest existing parent for a missing path", () => {
    const span = locate(TEXT, "$.render.height")!;
    expect(span.partial).toBe(true);
    expect(TEXT.slice(span.from, span.from + 1)).toBe("{");
    expect(TEXT.slice(span.keyFrom, span.keyTo)).toBe('"render"');
  });

  it("gives up on text that is not JSON", () => {
    expect(locate('{"a": [1, 2', "$.a")).toBeNull();
  });

  it("marks the key of an object value and the whole of a scalar", () => {
    const obj = markRange(TEXT, locate(TEXT, "$.controls.lights")!);
    expect(TEXT.slice(obj.from, obj.to)).toBe('"lights"');
    const num = markRange(TEXT, locate(TEXT, "$.controls.lights[0].azimuth")!);
    expect(TEXT.slice(num.from, num.to)).toBe("-45");
  });

  it("sets values without touching the original", () => {
    const value = { a: { b: [1, 2] } };
    const next = setIn(value, ["a", "b", 1], 5);
    expect(next).toEqual({ a: { b: [1, 5] } });
    expect(value.a.b[1]).toBe(2);
    expect(setIn({}, ["x", "y"], 1)).toEqual({ x: { y: 1 } });
    expect(getIn(next, ["a", "b", 1])).toBe(5);
    expect(getIn(next, ["a", "missing", 0])).toBeUndefined();
  });
});
