/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { buildInfo } from "./scripts/build-info.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
// the API `studioflow serve` runs while developing with `npm run dev`
const api = process.env.STUDIOFLOW_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react(), buildInfo(root)],
  build: {
    // shipped inside the Python package, served by studioflow.api.routes.ui
    outDir: "../src/studioflow/web_dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { "/v1": api, "/healthz": api } },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    // its ESM build imports without file extensions, which only a bundler resolves
    server: { deps: { inline: ["codemirror-json-schema"] } },
  },
});
