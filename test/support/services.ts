import path from 'node:path';
import { createServices, type EventSink, type Services } from '../../main/services/services';
import { makeTempDir } from './temp-dir';

/** Real services over a temporary data folder (no mocks), plus the events they emitted. */
export function makeTestServices(): {
  services: Services;
  dataDir: string;
  events: unknown[][];
  cleanup: () => Promise<void>;
} {
  const temp = makeTempDir();
  const events: unknown[][] = [];
  const sink: EventSink = { emit: (channel, payload) => void events.push([channel, payload]) };
  const services = createServices(
    {
      dataDir: temp.dir,
      workersDir: path.resolve(__dirname, '../../out/workers'),
      mediaBaseUrl: 'http://127.0.0.1:0/media',
      version: '0.0.0-test',
    },
    sink,
  );
  return {
    services,
    dataDir: temp.dir,
    events,
    cleanup: async () => {
      await services.dispose();
      temp.cleanup();
    },
  };
}
