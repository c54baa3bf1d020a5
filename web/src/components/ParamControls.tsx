// Sliders and pickers for the manifest's numeric studio controls, with a live top-down plan.
// Ranges and defaults come from the schema. A change is reported at once (onChange, the JSON
// follows) and again when the control is released (onCommit, e.g. to re-render).
import { useId, useRef, type KeyboardEvent } from "react";
import type { Manifest } from "../api/client";
import {
  readControls,
  setBackground,
  setCamera,
  setLight,
  toggleLight,
  type CameraProp,
  type LightProp,
  type LightRole,
} from "../lib/controls";
import { rangeOf, subschema, type Schema } from "../lib/schema";
import { StudioDiagram } from "./StudioDiagram";

interface Props {
  manifest: Manifest | null;
  schema: Schema;
  onChange: (next: Manifest) => void;
  onCommit: (next: Manifest) => void;
  renderOnRelease: boolean;
  onRenderOnReleaseChange: (on: boolean) => void;
  disabled?: boolean;
  error?: string | null;
}

/** Log scale for values that span decades (focal length, f-number). */
const LOG_PROPS = new Set(["focal_length_mm", "aperture"]);

const CAMERA_LABELS: Record<CameraProp, string> = {
  azimuth: "Camera azimuth",
  elevation: "Camera elevation",
  focal_length_mm: "Focal length",
  aperture: "Aperture",
};
const LIGHT_LABELS: Record<LightProp, string> = {
  azimuth: "azimuth",
  elevation: "elevation",
  intensity: "intensity",
  softness: "softness",
  color_temperature: "colour temperature",
};

function format(prop: string, v: number): string {
  if (prop === "azimuth" || prop === "elevation") return `${Math.round(v)}°`;
  if (prop === "focal_length_mm") return `${Math.round(v)} mm`;
  if (prop === "aperture") return `f/${v.toFixed(1).replace(/\.0$/, "")}`;
  if (prop === "color_temperature") return `${Math.round(v)} K`;
  return v.toFixed(2);
}

/** A rounded value: whole degrees, kelvin in 50s, one decimal for f-numbers. */
function tidy(prop: string, v: number): number {
  if (prop === "color_temperature") return Math.round(v / 50) * 50;
  if (prop === "aperture") return Math.round(v * 10) / 10;
  if (prop === "intensity" || prop === "softness") return Math.round(v * 100) / 100;
  return Math.round(v);
}

interface SliderProps {
  label: string;
  prop: string;
  value: number;
  schema: Schema;
  disabled?: boolean;
  onInput: (v: number) => void;
  onRelease: () => void;
}

function Slider({ label, prop, value, schema, disabled, onInput, onRelease }: SliderProps) {
  const id = useId();
  const { min, max } = rangeOf(schema);
  const log = LOG_PROPS.has(prop) && min > 0;
  const toSlider = (v: number) => (log ? Math.log(v) : v);
  const fromSlider = (s: number) => tidy(prop, log ? Math.exp(s) : s);
  const unit = prop === "intensity" || prop === "softness";
  const step = log ? (Math.log(max) - Math.log(min)) / 400 : unit ? 0.01 : prop === "color_temperature" ? 50 : 1;
  const release = (e?: KeyboardEvent) => {
    if (e && (e.key === "Tab" || e.key === "Shift")) return;
    onRelease();
  };
  return (
    <div className="slider" title={schema.description}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="range"
        min={toSlider(min)}
        max={toSlider(max)}
        step={step}
        value={toSlider(value)}
        disabled={disabled}
        aria-valuetext={format(prop, value)}
        onChange={(e) => onInput(fromSlider(Number(e.target.value)))}
        onPointerUp={() => release()}
        onKeyUp={release}
      />
      <output htmlFor={id}>{format(prop, value)}</output>
    </div>
  );
}

export function ParamControls(props: Props) {
  const { manifest, schema, onChange, onCommit, disabled } = props;
  const values = readControls(manifest, schema);
  const current = manifest ?? null;
  // the manifest after the latest input, for the release that follows it
  const latest = useRef(current);
  latest.current = current;
  const apply = (next: Manifest) => {
    latest.current = next;
    onChange(next);
  };
  const commit = () => {
    if (latest.current) onCommit(latest.current);
  };
  const off = disabled || !current;

  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Studio controls</h2>
      <StudioDiagram values={values} />
      <fieldset>
        <legend>Camera</legend>
        {(Object.keys(CAMERA_LABELS) as CameraProp[]).map((prop) => (
          <Slider
            key={prop}
            label={CAMERA_LABELS[prop]}
            prop={prop}
            value={values.camera[prop]}
            schema={subschema(schema, ["controls", "camera", prop])}
            disabled={off}
            onInput={(v) => current && apply(setCamera(current, prop, v))}
            onRelease={commit}
          />
        ))}
      </fieldset>
      {(["key", "fill", "rim"] as LightRole[]).map((role) => {
        const light = values.lights[role];
        const title = `${role[0].toUpperCase()}${role.slice(1)} light`;
        return (
          <fieldset key={role}>
            <legend>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={Boolean(light)}
                  disabled={off}
                  onChange={(e) => {
                    if (!current) return;
                    const next = toggleLight(current, schema, role, e.target.checked);
                    apply(next);
                    onCommit(next);
                  }}
                />
                {title}
              </label>
            </legend>
            {light &&
              (Object.keys(LIGHT_LABELS) as LightProp[]).map((prop) => (
                <Slider
                  key={prop}
                  label={`${title} ${LIGHT_LABELS[prop]}`}
                  prop={prop}
                  value={light[prop]}
                  schema={subschema(schema, ["controls", "lights", 0, prop])}
                  disabled={off}
                  onInput={(v) => current && apply(setLight(current, schema, role, prop, v))}
                  onRelease={commit}
                />
              ))}
          </fieldset>
        );
      })}
      <fieldset>
        <legend>Background</legend>
        <div className="slider">
          <label htmlFor="bg-color">Background colour</label>
          <input
            id="bg-color"
            type="color"
            value={values.background.toLowerCase()}
            disabled={off}
            onChange={(e) => {
              if (!current) return;
              const next = setBackground(current, e.target.value);
              apply(next);
            }}
            onBlur={commit}
          />
          <output>{values.background.toUpperCase()}</output>
        </div>
      </fieldset>
      <label className="inline toggle">
        <input
          type="checkbox"
          checked={props.renderOnRelease}
          onChange={(e) => props.onRenderOnReleaseChange(e.target.checked)}
        />
        Re-render on release
      </label>
      {props.error && (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </section>
  );
}
