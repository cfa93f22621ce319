// Types of examples/book-scripts.mjs, for the TypeScript tests that read the table.
export interface BookScript {
  /** chNN/name.py, as in the book's repository. */
  script: string;
  /** examples/<example>.mjs */
  example?: string;
  /** The class a module-only script corresponds to. */
  module?: string;
  /** An empty placeholder in the book. */
  placeholder?: boolean;
  /** What a counterpart still waits for. */
  pending?: string;
  /** Arguments in quick mode (default ["--quick"]); "{out}" is the figure directory. */
  quick?: string[];
  /** An example that must run first in quick mode. */
  needs?: string;
}
export declare const BOOK_SCRIPTS: readonly BookScript[];
