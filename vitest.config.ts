import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // one loud line per missing prerequisite (Chromium, Fashion-MNIST, numpy); with $CI set, a failure
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // the suite shares two cores with wasm-heavy work; forks keep each file's wasm memory apart
    pool: "forks",
    reporters: ["default"],
  },
});
