import type { z } from 'zod';

/** One invoke channel: a runtime schema for its payload and a compile-time type for its answer. */
export interface InvokeChannel<Input extends z.ZodType, Output> {
  input: Input;
  /** Phantom field: carries the output type only. */
  output?: Output;
}

/** Declares an invoke channel whose payload `input` validates and whose answer is `Output`. */
export function invoke<Output>() {
  return <Input extends z.ZodType>(input: Input): InvokeChannel<Input, Output> => ({ input });
}

/** One event channel pushed from main to the page: a compile-time payload type only. */
export interface EventChannel<Payload> {
  payload?: Payload;
}

/** Declares an event channel carrying `Payload`. */
export function event<Payload>(): EventChannel<Payload> {
  return {};
}
