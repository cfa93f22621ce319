// A tiny static file server on 127.0.0.1 for the browser tests: URL prefixes map to
// directories, .wasm goes out as application/wasm. No COOP/COEP headers by default, on purpose:
// pages served from here are NOT cross-origin isolated, which is what most hosting gives;
// `{ isolated: true }` sends them (COOP same-origin, COEP require-corp), as the demo server does.
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { listenLocal } from "../helpers/local-server.js";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".gz": "application/gzip",
  ".map": "application/json",
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, hence threads). */
export const ISOLATION_HEADERS = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } as const;

/** Serve `routes` ({ "/": dir, "/data/": otherDir }); the longest matching prefix wins. */
export async function serveStatic(routes: Record<string, string>, options: { isolated?: boolean } = {}): Promise<StaticServer> {
  const extra = options.isolated ? ISOLATION_HEADERS : {};
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  const { origin, close } = await listenLocal((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    if (!prefix) return notFound(res, path);
    const root = routes[prefix];
    let file = normalize(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return notFound(res, path);
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const size = statSync(file).size;
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream", "content-length": size, "cache-control": "no-store", ...extra });
      createReadStream(file).pipe(res);
    } catch {
      notFound(res, path);
    }
  });
  return { origin, close };
}

function notFound(res: import("node:http").ServerResponse, path: string): void {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end(`not found: ${path}`);
}
