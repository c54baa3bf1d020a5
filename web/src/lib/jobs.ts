// A job the studio started and follows, with what the user asked for.
import type { ExportFormatName } from "../api/client";
import type { JobProgress } from "../api/events";

export interface JobEntry {
  id: string;
  kind: string; // render | refine | rerender
  label: string; // the prompt, instruction or "re-render of …"
  progress: JobProgress;
}

/** The export route's formats (the type is the generated enum, so a format the API drops
 * fails the type check). */
export const EXPORT_FORMATS: readonly { value: ExportFormatName; label: string }[] = [
  { value: "png", label: "PNG (8-bit)" },
  { value: "png16", label: "PNG (16-bit)" },
  { value: "tiff", label: "TIFF" },
  { value: "exr", label: "OpenEXR" },
  { value: "jpeg", label: "JPEG" },
  { value: "webp", label: "WebP" },
];

export const shortId = (id: string) => id.slice(-8).toLowerCase();

/** A fresh seed in the schema's range (0..2^32-1). */
export const randomSeed = () => Math.floor(Math.random() * 0xffffffff);
