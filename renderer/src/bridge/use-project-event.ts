import { useEffect, useState } from 'react';
import type { EventName, EventPayload } from '../../../app/ipc/events';
import { desktop } from './desktop';

/** The event channels whose payload names a project. */
export type ProjectEventName = {
  [E in EventName]: EventPayload<E> extends { projectId: string } ? E : never;
}[EventName];

/**
 * How many `channel` events about `projectId` arrived since the page mounted: a dependency for effects that load
 * again when the project's data changes (`dataset:changed`) or its runs do (`training:status`).
 */
export function useProjectEventCount(channel: ProjectEventName, projectId: string): number {
  const [count, setCount] = useState(0);
  useEffect(
    () =>
      desktop().on(channel, (event) => {
        if (event.projectId === projectId) setCount((c) => c + 1);
      }),
    [channel, projectId],
  );
  return count;
}
