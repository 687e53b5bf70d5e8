/**
 * The documentation the app may open in the user's browser, by key. The page asks for a key; only main knows the
 * URLs (string literals in main/windows/doc-links.ts), so no page can make the app open an address of its choice.
 */
export const DOC_LINKS = [
  /** Running an exported ONNX model from Python. */
  'onnx-runtime-python',
  /** Running an exported ONNX model from JavaScript (Node.js, web). */
  'onnx-runtime-javascript',
  /** Loading an exported TensorFlow.js layers model. */
  'tfjs-load-model',
  /** Netron: looking at an exported model's graph. */
  'netron',
] as const;

/** One documentation link key. */
export type DocLink = (typeof DOC_LINKS)[number];
