import type { z } from 'zod';
import { datasetChannels } from './channels/dataset';
import { datasetMapChannels } from './channels/dataset-map';
import { dialogChannels } from './channels/dialog';
import { inspectChannels } from './channels/inspect';
import { modelExportChannels } from './channels/model-export';
import { predictionChannels } from './channels/prediction';
import { projectChannels } from './channels/projects';
import { runsChannels } from './channels/runs';
import { suggestionsChannels } from './channels/suggestions';
import { trainingChannels } from './channels/training';
import { trainingPackageChannels } from './channels/training-package';
import type { EventName, EventPayload } from './events';
import type { Result } from './result';

/** Every invoke channel, by `domain:verb` name. Main validates each payload against its schema. */
export const invokeChannels = {
  ...projectChannels,
  ...datasetChannels,
  ...trainingChannels,
  ...runsChannels,
  ...predictionChannels,
  ...modelExportChannels,
  ...dialogChannels,
  ...inspectChannels,
  ...suggestionsChannels,
  ...datasetMapChannels,
  ...trainingPackageChannels,
} as const;

type Channels = typeof invokeChannels;
/** Every invoke channel name. */
export type InvokeName = keyof Channels;
/** What the page sends on a channel (before defaults are applied). */
export type InvokeInput<C extends InvokeName> = z.input<Channels[C]['input']>;
/** What main's handler receives on a channel (validated, defaults applied). */
export type InvokeParsed<C extends InvokeName> = z.output<Channels[C]['input']>;
/** What a channel answers. */
export type InvokeOutput<C extends InvokeName> = NonNullable<Channels[C]['output']>;

/** True when `name` is a known invoke channel. */
export function isInvokeName(name: unknown): name is InvokeName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, name);
}

/** The two primitives a bridge needs: the preload implements them with ipcRenderer, tests with Playwright. */
export interface DesktopTransport {
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

type Domain<C extends string> = C extends `${infer D}:${string}` ? D : never;
type Verb<C extends string, D extends string> = C extends `${D}:${infer V}` ? V : never;

type MethodOf<C extends string> = C extends InvokeName
  ? (input: InvokeInput<C>) => Promise<Result<InvokeOutput<C>>>
  : never;

/** The API the page sees as `window.desktop`: one named method per operation, `desktop.projects.create(...)`. */
export type DesktopApi = {
  [D in Domain<InvokeName>]: {
    [V in Verb<InvokeName, D>]: MethodOf<`${D}:${V}`>;
  };
} & {
  /** Subscribes to a pushed event; returns the unsubscribe function. */
  on<E extends EventName>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Local paths of files dropped on the window (a DOM `File`). Electron's preload provides it through
   * webUtils.getPathForFile; a plain browser has no such thing, so it is optional.
   */
  files?: { pathForFile(file: unknown): string };
};

/** Builds the named-method API over a transport. The preload and the e2e bridge both use this. */
export function createDesktopApi(transport: DesktopTransport): DesktopApi {
  const api: Record<string, unknown> = {};
  for (const channel of Object.keys(invokeChannels)) {
    const [domain, verb] = channel.split(':') as [string, string];
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[verb] = (input: unknown) => transport.invoke(channel, input ?? {});
  }
  api.on = (channel: string, listener: (payload: unknown) => void) => transport.subscribe(channel, listener);
  return api as DesktopApi;
}
