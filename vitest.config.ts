// The suite in four tiers (vitest projects), each a folder of test/:
//   unit     test/unit/    one module or kernel at a time, in process; mirrors src/ and assembly/
//   e2e      test/e2e/     what a user runs: the CLI, examples, docs snippets, the packed package, full training runs
//   browser  test/browser/ headless Chromium: Node ≡ browser bits, bundlers, the demo page
//   bench    test/bench/   smoke runs of bench/ (every row runs; no timing asserted)
// `npm test` runs them all; `npm run test:unit` (…:e2e, …:browser, …:bench) one tier.
// Where a test lives: docs/design.md, "Tests".
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The book's ch07/ch08 trained files ship as test fixtures (test/fixtures/book/README.md, MIT):
// the tests that check them run in any clone. A SCRATCHNET_BOOK_DIR of the user's own wins.
const BOOK_DIR = process.env.SCRATCHNET_BOOK_DIR ?? fileURLToPath(new URL("./test/fixtures/book/", import.meta.url));

const tier = (name: string, include: string[]) => ({ extends: true as const, test: { name, include } });

export default defineConfig({
  test: {
    // one loud line per missing prerequisite (Chromium, Fashion-MNIST, numpy); with $CI set, a failure
    globalSetup: ["test/helpers/global-setup.ts"],
    env: { SCRATCHNET_BOOK_DIR: BOOK_DIR },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // the suite shares two cores with wasm-heavy work; forks keep each file's wasm memory apart
    pool: "forks",
    // the default reporter for people, then one plain closing line for CI (see the reporter)
    reporters: ["default", "./test/helpers/closing-line-reporter.ts"],
    projects: [
      tier("unit", ["test/unit/**/*.test.ts"]),
      tier("e2e", ["test/e2e/**/*.test.ts"]),
      tier("browser", ["test/browser/**/*.test.ts"]),
      tier("bench", ["test/bench/**/*.test.ts"]),
    ],
  },
});
