// A small top-down plan of the set: the product in the middle (its front facing down), the
// camera where its azimuth puts it, and each light where it stands. Light azimuths are seen
// from the camera, so a light's place on the plan is the camera's azimuth plus its own.
import type { ControlValues, LightRole } from "../lib/controls";

const SIZE = 220;
const C = SIZE / 2;
const R = 74;

const LIGHT_COLOR: Record<LightRole, string> = { key: "#f2b53a", fill: "#7fb4e6", rim: "#d77be0" };

/** Plan position of something at ``azimuth`` (0 = front/bottom, negative = frame left),
 * drawn closer to the product the higher it stands. */
export function planPoint(azimuth: number, elevation: number, radius = R): { x: number; y: number } {
  const a = (azimuth * Math.PI) / 180;
  const r = radius * Math.max(0.15, Math.cos((elevation * Math.PI) / 180));
  return { x: C + r * Math.sin(a), y: C + r * Math.cos(a) };
}

/** Kelvin to a display colour (warm below daylight, cool above). */
export function kelvinTint(k: number): string {
  const t = Math.max(-1, Math.min(1, (k - 5600) / 4000));
  const r = Math.round(255 - Math.max(0, t) * 90);
  const g = Math.round(235 - Math.abs(t) * 40);
  const b = Math.round(200 + t * 55);
  return `rgb(${r},${g},${Math.min(255, b)})`;
}

function describe(values: ControlValues): string {
  const parts = [`camera at ${Math.round(values.camera.azimuth)}° azimuth, ${Math.round(values.camera.elevation)}° elevation`];
  for (const role of ["key", "fill", "rim"] as LightRole[]) {
    const l = values.lights[role];
    if (l) parts.push(`${role} light at ${Math.round(l.azimuth)}° azimuth, ${Math.round(l.elevation)}° elevation`);
  }
  return "Top-down view of the set: " + parts.join("; ");
}

export function StudioDiagram({ values }: { values: ControlValues }) {
  const cam = values.camera;
  const camPos = planPoint(cam.azimuth, cam.elevation, R + 14);
  // horizontal field of view of a full-frame lens
  const fov = 2 * Math.atan(36 / (2 * Math.max(8, cam.focal_length_mm)));
  const toward = Math.atan2(C - camPos.y, C - camPos.x);
  const cone = 46;
  const coneA = { x: camPos.x + cone * Math.cos(toward - fov / 2), y: camPos.y + cone * Math.sin(toward - fov / 2) };
  const coneB = { x: camPos.x + cone * Math.cos(toward + fov / 2), y: camPos.y + cone * Math.sin(toward + fov / 2) };
  const camDeg = (toward * 180) / Math.PI;
  return (
    <svg
      className="diagram"
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      role="img"
      aria-label={describe(values)}
      data-testid="studio-diagram"
    >
      <rect x="0" y="0" width={SIZE} height={SIZE} rx="10" fill="var(--panel-2)" />
      <circle cx={C} cy={C} r={R} fill="none" stroke="var(--line)" strokeDasharray="3 4" />
      <text x="6" y={C + 4} className="diagram-label">L</text>
      <text x={SIZE - 14} y={C + 4} className="diagram-label">R</text>
      <rect x={C - 12} y={C - 9} width="24" height="18" rx="3" fill={values.background} stroke="var(--fg-dim)" />
      <line x1={C - 12} y1={C + 9} x2={C + 12} y2={C + 9} stroke="var(--accent)" strokeWidth="2" />
      {(["key", "fill", "rim"] as LightRole[]).map((role) => {
        const l = values.lights[role];
        if (!l) return null;
        const p = planPoint(cam.azimuth + l.azimuth, l.elevation);
        const size = 5 + l.softness * 9;
        return (
          <g key={role} data-role={role} opacity={0.35 + 0.65 * l.intensity}>
            <line x1={p.x} y1={p.y} x2={C} y2={C} stroke={LIGHT_COLOR[role]} strokeWidth="1.5" strokeDasharray="4 3" />
            <circle cx={p.x} cy={p.y} r={size} fill={kelvinTint(l.color_temperature)} stroke={LIGHT_COLOR[role]} strokeWidth="2.5" />
            <text x={p.x} y={p.y - size - 3} textAnchor="middle" className="diagram-label">{role}</text>
          </g>
        );
      })}
      <g data-role="camera">
        <polygon points={`${camPos.x},${camPos.y} ${coneA.x},${coneA.y} ${coneB.x},${coneB.y}`} fill="var(--accent)" opacity="0.15" />
        <g transform={`translate(${camPos.x} ${camPos.y}) rotate(${camDeg})`}>
          <rect x="-9" y="-7" width="14" height="14" rx="2" fill="var(--fg)" />
          <polygon points="5,-4 11,-7 11,7 5,4" fill="var(--fg)" />
        </g>
        <text
          x={Math.min(SIZE - 20, Math.max(20, camPos.x))}
          y={Math.min(SIZE - 3, Math.max(10, camPos.y + (camPos.y > C ? 19 : -12)))}
          textAnchor="middle"
          className="diagram-label"
        >
          camera
        </text>
      </g>
    </svg>
  );
}
