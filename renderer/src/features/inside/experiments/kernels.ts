/** The playground's hand-made 3×3 filters (row-major) and the parsing of the typed grid. Pure; unit-tested. */

/** The classic filters, in the order the buttons show them. */
export const CLASSIC_KERNELS = {
  /** The seed article's edge detector. */
  laplacian: [0, 1, 0, 1, -4, 1, 0, 1, 0],
  sobelX: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  sobelY: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  blur: [1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
} as const satisfies Record<string, readonly number[]>;

/** The name of a classic filter. */
export type KernelName = keyof typeof CLASSIC_KERNELS;

/** The kernel limits of inspect:convolve. */
export const KERNEL_LIMIT = 100;

/** A typed cell as a number, or null when it is not a finite number within ±KERNEL_LIMIT ("1/9" is accepted). */
export function parseKernelCell(text: string): number | null {
  const t = text.trim().replace(/−/g, '-');
  if (t === '') return null;
  const fraction = /^(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(t);
  const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(t);
  if (!Number.isFinite(value) || Math.abs(value) > KERNEL_LIMIT) return null;
  return value;
}

/** The grid's nine cells as a kernel, or null while any is invalid. */
export function parseKernel(cells: readonly string[]): number[] | null {
  if (cells.length !== 9) return null;
  const values = cells.map(parseKernelCell);
  return values.every((v) => v !== null) ? (values as number[]) : null;
}

/** How a kernel value is written into the grid (1/9 stays readable). */
export function formatKernelCell(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const ninths = value * 9;
  if (Math.abs(ninths - Math.round(ninths)) < 1e-9) return `${Math.round(ninths)}/9`;
  return String(Math.round(value * 1000) / 1000);
}

/** The classic filter a kernel equals, if any (which button to show as pressed). */
export function matchKernel(kernel: readonly number[]): KernelName | null {
  for (const [name, k] of Object.entries(CLASSIC_KERNELS) as [KernelName, readonly number[]][])
    if (k.every((v, i) => Math.abs(v - kernel[i]) < 1e-9)) return name;
  return null;
}
