// `npm run demo`: the demo page with the library from source (src/), and the dev-server
// data endpoint (data-plugin.ts). `npx vite build --config web/vite.config.ts` writes a static
// copy to out/web (without the data endpoint: pick files or use a mirror there).
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { scratchnetData } from "./data-plugin.js";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("."),
  resolve: { alias: [{ find: /^scratchnet$/, replacement: here("../src/index.browser.ts") }] },
  plugins: [scratchnetData()],
  worker: { format: "es" },
  // found only through the worker; listing it avoids a page reload when Vite discovers it late
  optimizeDeps: { include: ["@assemblyscript/loader"] },
  server: { host: "127.0.0.1", port: 5173, fs: { allow: [here("..")] } },
  build: { outDir: here("../out/web"), emptyOutDir: true, target: "es2022" },
});
