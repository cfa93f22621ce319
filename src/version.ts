// The library version, written into saved models. A test keeps it equal to package.json's
// (a constant rather than a JSON import, so the browser build needs no import attributes).
export const VERSION = "0.1.0";
