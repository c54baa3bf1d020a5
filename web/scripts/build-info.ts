// Records which sources a build was made from: build-info.json in the output folder holds a
// SHA-256 over the build's inputs, and tests/test_web_build.py recomputes it from the tree
// to catch committed assets that are older than the sources. Keep INPUTS and the hashing
// rule in step with that test.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import type { Plugin } from "vite";

/** Files and folders (relative to web/) that decide what the build contains. */
export const INPUTS = ["index.html", "package.json", "package-lock.json", "tsconfig.json",
  "vite.config.ts", "scripts/build-info.ts", "src"];

/** Tests and test helpers change nothing in the built app. */
export function isBuildInput(rel: string): boolean {
  return !/\.test\.tsx?$/.test(rel) && !rel.startsWith("src/test/");
}

function walk(root: string, rel: string, out: string[]): void {
  const full = join(root, rel);
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full)) walk(root, rel + "/" + name, out);
  } else if (isBuildInput(rel)) {
    out.push(rel);
  }
}

/** sha256 of "path\0sha256(content)\n" lines, paths relative to web/, sorted. */
export function inputsDigest(root: string): { sha256: string; files: number } {
  const files: string[] = [];
  for (const entry of INPUTS) walk(root, entry, files);
  files.sort();
  const total = createHash("sha256");
  for (const rel of files) {
    const content = createHash("sha256").update(readFileSync(join(root, rel))).digest("hex");
    total.update(`${rel.split(sep).join("/")}\0${content}\n`);
  }
  return { sha256: total.digest("hex"), files: files.length };
}

export function buildInfo(root: string): Plugin {
  return {
    name: "studioflow-build-info",
    apply: "build",
    generateBundle() {
      const digest = inputsDigest(root);
      const info = { inputs_sha256: digest.sha256, input_files: digest.files,
        note: "written by web/scripts/build-info.ts; checked by tests/test_web_build.py" };
      this.emitFile({ type: "asset", fileName: "build-info.json",
        source: JSON.stringify(info, null, 2) + "\n" });
    },
  };
}

