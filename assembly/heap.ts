// The module never allocates (`--runtime stub`): the JS side owns every byte above __heap_base
// (src/core/allocator.ts) and asks where that is.

/** First byte the JS allocator may use (everything below is the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
