/**
 * The error thrown for an invalid model spec; the message names the layer (index and type) and the reason, so the
 * app can show it as is and highlight the layer.
 */

/** An invalid model spec. layerIndex is null for problems with the input or numClasses. */
export class SpecError extends Error {
  /** Builds "layer 3 (maxPool2d): output would be 0×0" (or "input: …" when layerIndex is null). */
  constructor(
    readonly layerIndex: number | null,
    readonly layerType: string | null,
    readonly reason: string,
  ) {
    super(layerIndex === null ? reason : `layer ${layerIndex} (${layerType}): ${reason}`);
    this.name = 'SpecError';
  }
}
