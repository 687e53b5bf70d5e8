import { InvalidArgumentError } from 'commander';
import type { ColorMode } from '../../app/domain/project';
import { PROJECT_LIMITS } from '../../app/domain/project';

/** Parses `--size PX`: the square network input, within the project limits. */
export function parseSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < PROJECT_LIMITS.minInputSize || n > PROJECT_LIMITS.maxInputSize) {
    throw new InvalidArgumentError(
      `must be a whole number of pixels from ${PROJECT_LIMITS.minInputSize} to ${PROJECT_LIMITS.maxInputSize}`,
    );
  }
  return n;
}

/** Parses `--color gray|rgb`. */
export function parseColor(value: string): ColorMode {
  if (value !== 'gray' && value !== 'rgb') throw new InvalidArgumentError('must be gray or rgb');
  return value;
}
