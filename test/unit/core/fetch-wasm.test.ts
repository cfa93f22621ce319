// How `init(url)` fetches the wasm (src/core/fetch-wasm.ts), against a real local HTTP server:
// streaming when the server says application/wasm, bytes when it does not, and an error that
// names the URL and the status when the file is not there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { init } from "../../../src/index.node.js";
import { fetchWasm } from "../../../src/core/fetch-wasm.js";
import { listenLocal, type LocalServer } from "../../helpers/local-server.js";

const WASM = readFileSync(fileURLToPath(new URL("../../../build/scratchnet.wasm", import.meta.url)));
let server: LocalServer;
let origin: string;

beforeAll(async () => {
  server = await listenLocal((req, res) => {
    if (req.url === "/good.wasm") res.writeHead(200, { "content-type": "application/wasm" }).end(WASM);
    else if (req.url === "/plain.wasm") res.writeHead(200, { "content-type": "application/octet-stream" }).end(WASM);
    else res.writeHead(404).end("no");
  });
  origin = server.origin;
});

afterAll(() => server.close());

describe("fetchWasm", () => {
  it("hands a correctly typed response to streaming compilation", async () => {
    const source = await fetchWasm(`${origin}/good.wasm`);
    expect(source).toBeInstanceOf(Response);
    const { instance } = await WebAssembly.instantiateStreaming(source as Response, {});
    expect(typeof instance.exports.heapBase).toBe("function");
  });

  it("reads the bytes when the server sends another content type", async () => {
    const source = await fetchWasm(new URL(`${origin}/plain.wasm`));
    expect(source).toBeInstanceOf(ArrayBuffer);
    expect(new Uint8Array(source as ArrayBuffer)).toEqual(new Uint8Array(WASM));
  });

  it("names the URL and the HTTP status when the file is missing", async () => {
    await expect(fetchWasm(`${origin}/nowhere/scratchnet.wasm`)).rejects.toThrow(
      new RegExp(`scratchnet\\.init: fetching the wasm from ${origin}/nowhere/scratchnet\\.wasm gave HTTP 404`),
    );
  });

  it("names the URL when nothing answers", async () => {
    await expect(fetchWasm("http://127.0.0.1:1/scratchnet.wasm")).rejects.toThrow(/could not fetch the wasm from http:\/\/127\.0\.0\.1:1\/scratchnet\.wasm/);
  });
});

describe("init in Node", () => {
  it("needs no argument (the file next to the package is compiled synchronously)", async () => {
    const core = await init();
    expect(core.memory).toBeInstanceOf(WebAssembly.Memory);
    expect(await init()).toBe(core);
  });
});
