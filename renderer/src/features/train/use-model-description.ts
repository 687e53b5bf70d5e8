import { useEffect, useState } from 'react';
import type {
  ModelPresetList,
  ModelPresetName,
  NetworkDescription,
} from '../../../../app/domain/model-description';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { useProjectEventCount } from '../../bridge/use-project-event';

/** The preset each project last showed in this window, so leaving the tab and coming back keeps the choice. */
const chosen = new Map<string, ModelPresetName>();

/** Shows `preset` the next time the project's explorer opens (the training settings picked it). */
export function rememberPreset(projectId: string, preset: ModelPresetName): void {
  chosen.set(projectId, preset);
}

export interface NetworkState {
  presets: ModelPresetList | null;
  preset: ModelPresetName | null;
  /** The latest description; while another preset loads, still the previous one (see `loading`). */
  description: NetworkDescription | null;
  error: AppError | null;
  loading: boolean;
  choose(preset: ModelPresetName): void;
  retry(): void;
}

/**
 * Loads the presets (with the one recommended for the project) and describes the chosen one for the project.
 * Describes again when the project's labels change (the number of classes follows them).
 */
export function useNetwork(projectId: string): NetworkState {
  const [presets, setPresets] = useState<ModelPresetList | null>(null);
  const [preset, setPreset] = useState<ModelPresetName | null>(() => chosen.get(projectId) ?? null);
  const [description, setDescription] = useState<NetworkDescription | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const dataVersion = useProjectEventCount('dataset:changed', projectId);

  useEffect(() => {
    let live = true;
    void call((api) => api.model.presets({ projectId })).then((r) => {
      if (!live) return;
      if (r.ok) {
        setPresets(r.value);
        setPreset((p) => p ?? r.value.recommended);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [projectId, attempt]);

  useEffect(() => {
    if (!preset) return;
    let live = true;
    void call((api) => api.model.describe({ projectId, preset })).then((r) => {
      if (!live) return;
      if (r.ok) {
        setDescription(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [projectId, preset, attempt, dataVersion]);

  return {
    presets,
    preset,
    description,
    error,
    loading: !error && (!presets || !description || description.preset !== preset),
    choose(next) {
      chosen.set(projectId, next);
      setPreset(next);
    },
    retry() {
      setError(null);
      setAttempt((a) => a + 1);
    },
  };
}
