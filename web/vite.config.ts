// `npm run demo`: the demo page with the library from source (src/), and the dev-server
// data endpoint (data-plugin.ts). `npx vite build --config web/vite.config.ts` writes a static
// copy to out/web (without the data endpoint: pick files or use a mirror there).
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { scratchnetData } from "./data-plugin.js";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Cross-origin isolation: with these the page (and its worker) get SharedArrayBuffer, so
// scratchnet's init() runs the threaded build on the machine's cores. Everything the demo loads
// is same-origin or fetched with CORS, which require-corp allows.
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: here("."),
  resolve: { alias: [{ find: /^scratchnet$/, replacement: here("../src/index.browser.ts") }] },
  plugins: [scratchnetData()],
  worker: { format: "es" },
  // found only through the worker; listing it avoids a page reload when Vite discovers it late
  optimizeDeps: { include: ["@assemblyscript/loader"] },
  server: { host: "127.0.0.1", port: 5173, fs: { allow: [here("..")] }, headers: isolation },
  preview: { headers: isolation },
  build: { outDir: here("../out/web"), emptyOutDir: true, target: "es2022" },
});
