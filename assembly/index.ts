// The wasm module (asc's entry for every build in asconfig.json). Its exports are listed once,
// in assembly/manifest.mjs, from which assembly/codegen.mjs generates the wrappers re-exported
// here (`<name>_f32` / `<name>_f64` for each generic kernel) and the TypeScript table that
// src/core/core.ts binds them with (src/core/kernels.generated.ts).
// Nothing here allocates: the JS side owns every byte above __heap_base.
export * from "./exports.generated";
