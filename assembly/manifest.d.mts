// Types of assembly/manifest.mjs, for the TypeScript that reads it (test/unit/assembly/manifest.test.ts).

/** One source file's exports: `name(param: type, …): result` strings, compiled for `dtypes` (`[]`: once, untyped). */
export interface KernelModule {
  module: string;
  dtypes: ("f32" | "f64")[];
  doc: string;
  kernels: string[];
}

export declare const MODULES: readonly KernelModule[];
export declare const GEMM_PLAN: Readonly<Record<string, number>>;
