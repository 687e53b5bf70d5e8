import type { HandlerTable } from '../handler-table';

type InspectChannel = Extract<keyof HandlerTable, `inspect:${string}`>;

/** IPC handlers of "Look inside" (see services/inspect/inspect-service.ts). */
export function inspectHandlers(): Pick<HandlerTable, InspectChannel> {
  return {
    'inspect:image': (s, { projectId, source, label, ...model }) =>
      s.inspect.inspect(projectId, model, source, label),
    'inspect:shift': (s, { projectId, source, offsets, flip, ...model }) =>
      s.inspect.shift(projectId, model, source, offsets, flip),
    'inspect:convolve': (s, { projectId, source, kernel, ...model }) =>
      s.inspect.convolve(projectId, model, source, kernel),
  };
}
