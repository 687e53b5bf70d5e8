import type { EventName, EventPayload } from '../../app/ipc/events';
import { DatasetService } from './dataset/dataset-service';
import { DatasetMapService } from './dataset-map/dataset-map-service';
import type { DocLink } from '../../app/domain/doc-links';
import type { FileDialogs } from './dialogs';
import { ExportService } from './export/export-service';
import { InspectService } from './inspect/inspect-service';
import { ModelImportService } from './model-import/import-model-service';
import { PredictionService } from './prediction/prediction-service';
import { ProjectStore } from './project-store';
import { SuggestionsService } from './suggestions/suggestions-service';
import type { EvaluationApi, RunsApi, TrainingApi } from './training/api';
import { EvaluationService } from './training/evaluation-service';
import { RunsService } from './training/runs-service';
import { TrainingService } from './training/training-service';
import { TrainingPackageService } from './training-package/package-service';

/** Where services push events for the page (Electron: webContents.send; e2e: page.evaluate; CLI: nowhere). */
export interface EventSink {
  emit<E extends EventName>(channel: E, payload: EventPayload<E>): void;
}

/** Paths and URLs that differ between Electron, the CLI and tests. */
export interface ServiceConfig {
  dataDir: string;
  /** Folder holding the built worker scripts (out/workers). */
  workersDir: string;
  /** Base URL for project media, see AppInfo.mediaBaseUrl. */
  mediaBaseUrl: string;
  version: string;
  /** The OS file dialogs (Electron's; scripted in e2e tests; none in the CLI). */
  dialogs?: FileDialogs;
  /** Opens a documentation link in the user's browser (Electron's shell; none in the CLI and e2e tests). */
  openDocLink?: (link: DocLink) => Promise<void>;
}

/** Every backend service, built once per process and shared by IPC handlers and the CLI. */
export interface Services {
  config: ServiceConfig;
  events: EventSink;
  projects: ProjectStore;
  dataset: DatasetService;
  training: TrainingApi;
  runs: RunsApi;
  evaluation: EvaluationApi;
  prediction: PredictionService;
  modelExport: ExportService;
  /** "Look inside" a model: feature maps, filters, Grad-CAM, the shift and filter experiments (issue 10). */
  inspect: InspectService;
  /** The model's label suggestions for unlabeled images (issue 11). */
  suggestions: SuggestionsService;
  /** The 2-D map of the dataset from the model's embeddings (issue 11). */
  datasetMap: DatasetMapService;
  /** Training packages for PyTorch on another machine or a cluster (issue 15: export-training). */
  trainingPackage: TrainingPackageService;
  /** A model trained elsewhere (.cnnmodel, ONNX) brought back as a run (issue 15, import-model). */
  modelImport: ModelImportService;
  /** Releases databases, workers and timers. */
  dispose(): Promise<void>;
}

/** A sink that drops events (the CLI has no page). */
export const silentEvents: EventSink = { emit: () => undefined };

/** Builds the services over one data folder. */
export function createServices(config: ServiceConfig, events: EventSink = silentEvents): Services {
  const projects = new ProjectStore(config.dataDir);
  try {
    projects.ensureLayout();
  } catch {
    // A read-only data folder can still be looked at: listing and reading work; every write fails clearly (a
    // project's create checks the layout again, and SQLite and fs refuse the rest as storage-read-only).
  }
  const dataset = new DatasetService(projects, events);
  const training = new TrainingService(projects, events, { workersDir: config.workersDir });
  const runs = new RunsService(projects, training, events);
  const evaluation = new EvaluationService(projects, training, runs, config.workersDir);
  const prediction = new PredictionService(config.workersDir, { projects, runs, events, dataset });
  const inspect = new InspectService(config.workersDir, { projects, runs, training });
  const suggestions = new SuggestionsService({ projects, dataset, runs, training, prediction, events });
  const datasetMap = new DatasetMapService({
    projects,
    runs,
    prediction,
    events,
    workersDir: config.workersDir,
  });
  const services: Services = {
    config,
    events,
    projects,
    dataset,
    training,
    runs,
    evaluation,
    prediction,
    modelExport: undefined as unknown as ExportService, // set below: it needs the services
    inspect,
    suggestions,
    datasetMap,
    modelImport: new ModelImportService(projects, training, events),
    trainingPackage: new TrainingPackageService({ projects, training, runs, version: config.version }),
    async dispose() {
      await suggestions.dispose();
      await datasetMap.dispose();
      await prediction.dispose();
      await inspect.dispose();
      await training.dispose();
      await dataset.cancelAll();
      await projects.settleBackups(); // a backup a process exits during would be lost (its .partial is cleaned later)
      projects.closeAll();
    },
  };
  services.modelExport = new ExportService(services);
  return services;
}
