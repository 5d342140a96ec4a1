// Vite config of the playground: a static site with relative URLs, so web/dist works from any
// file host (a sub-folder included). The library is imported from its source, `src/index.ts`;
// the Digits view's data is made from the `mnist` package at build time (vite-digits.ts).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { mnistDigits } from "./vite-digits.ts";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  plugins: [mnistDigits()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1" },
  logLevel: "warn",
});
