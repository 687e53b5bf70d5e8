/**
 * Turns the raw pixels `training:augmentPreview` sends (base64 of C×H×W uint8, channel-major) into the RGBA rows
 * a canvas ImageData wants. The CSP allows no data: URLs for scripts and we need none: pixels are painted directly.
 */

/** Decodes base64 to bytes. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * C×H×W (C = 1 gray or 3 RGB) to H×W×4 RGBA, opaque. Throws when the byte count does not match the shape, so a
 * mismatch shows up instead of painting noise.
 */
export function chwToRgba(
  bytes: Uint8Array,
  channels: number,
  height: number,
  width: number,
): Uint8ClampedArray<ArrayBuffer> {
  const plane = height * width;
  if (channels !== 1 && channels !== 3) throw new Error(`Cannot paint ${channels} channels`);
  if (bytes.length !== channels * plane) {
    throw new Error(
      `Expected ${channels * plane} bytes for ${channels}×${height}×${width}, got ${bytes.length}`,
    );
  }
  const rgba = new Uint8ClampedArray(new ArrayBuffer(plane * 4));
  for (let i = 0; i < plane; i++) {
    const o = i * 4;
    if (channels === 1) {
      const v = bytes[i];
      rgba[o] = v;
      rgba[o + 1] = v;
      rgba[o + 2] = v;
    } else {
      rgba[o] = bytes[i];
      rgba[o + 1] = bytes[plane + i];
      rgba[o + 2] = bytes[2 * plane + i];
    }
    rgba[o + 3] = 255;
  }
  return rgba;
}
