import { useCallback, useEffect, useMemo, useState } from 'react';
import type {
  ModelPresetList,
  ModelPresetName,
  NetworkDescription,
} from '../../../../app/domain/model-description';
import type {
  AugmentationSettings,
  ModelChoice,
  TrainingDefaults,
  TrainingSettings,
} from '../../../../app/domain/training';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { useProjectEventCount } from '../../bridge/use-project-event';
import {
  editableLayersOf,
  layerProblemOf,
  toEditorLayers,
  toSpecs,
  type EditorLayer,
  type LayerProblem,
} from './layer-editing';
import { rememberPreset } from './use-model-description';

/** The settings being edited: the numbers, the network choice and the editor's layers (kept while a preset is chosen). */
export interface SettingsDraft {
  settings: TrainingSettings;
  kind: 'preset' | 'custom';
  preset: ModelPresetName;
  layers: EditorLayer[];
  name: string;
}

/** Each project's draft in this window, so leaving the section and coming back keeps unsaved edits. */
const drafts = new Map<string, SettingsDraft>();

/** The draft built from what `training:defaults` answers (the remembered settings, else the preset's). */
function draftFrom(defaults: TrainingDefaults, presets: ModelPresetList): SettingsDraft {
  const model = defaults.settings.model;
  return {
    settings: defaults.settings,
    kind: model.kind,
    preset: model.kind === 'preset' ? model.preset : presets.recommended,
    layers: model.kind === 'custom' ? toEditorLayers(model.layers) : [],
    name: '',
  };
}

/** The model choice a draft trains. */
export function modelChoiceOf(draft: SettingsDraft): ModelChoice {
  return draft.kind === 'preset'
    ? { kind: 'preset', preset: draft.preset }
    : { kind: 'custom', layers: toSpecs(draft.layers) };
}

export interface SettingsController {
  presets: ModelPresetList | null;
  defaults: TrainingDefaults | null;
  draft: SettingsDraft | null;
  loadError: AppError | null;
  retry(): void;
  update(patch: Partial<Omit<TrainingSettings, 'model' | 'augmentation'>>): void;
  setAugmentation(patch: Partial<AugmentationSettings>): void;
  choosePreset(preset: ModelPresetName): void;
  /** Switches to the layer editor; the first time (or with `copy`), fills it with the chosen preset's layers. */
  chooseCustom(copy?: boolean): void;
  setLayers(layers: EditorLayer[]): void;
  setName(name: string): void;
  /** Back to the chosen preset's recommended values (keeps the network choice and the layers). */
  reset(): void;
  /** Fields whose text is not a valid value right now. */
  invalid: ReadonlySet<string>;
  setInvalid(field: string, invalid: boolean): void;
  /**
   * The chosen network built for the project (null while measuring); with a `problem` at layer k, the first k
   * layers only.
   */
  description: NetworkDescription | null;
  describing: boolean;
  /** Why the layer list does not fit (from `model:describe`), or another describe failure. */
  problem: LayerProblem | null;
  describeError: AppError | null;
  /** The settings Train sends, or null while something is invalid. */
  ready: TrainingSettings | null;
  /** Bumped when the project's dataset changes. */
  dataVersion: number;
}

/** Loads the presets and the training defaults, keeps the draft, and describes the chosen network as it changes. */
export function useTrainingSettings(projectId: string): SettingsController {
  const [presets, setPresets] = useState<ModelPresetList | null>(null);
  const [defaults, setDefaults] = useState<TrainingDefaults | null>(null);
  const [draft, setDraftState] = useState<SettingsDraft | null>(() => drafts.get(projectId) ?? null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const dataVersion = useProjectEventCount('dataset:changed', projectId);
  const [invalid, setInvalidState] = useState<ReadonlySet<string>>(new Set());
  /** The latest `model:describe` answer and the request it answers (a changed request means measuring). */
  const [described, setDescribed] = useState<{
    key: string;
    /** With a problem at layer k, the description of the first k layers (their shapes still show). */
    description: NetworkDescription | null;
    problem: LayerProblem | null;
    error: AppError | null;
  } | null>(null);
  const [copyError, setCopyError] = useState<AppError | null>(null);

  const setDraft = useCallback(
    (next: (d: SettingsDraft) => SettingsDraft) =>
      setDraftState((prev) => {
        if (!prev) return prev;
        const value = next(prev);
        drafts.set(projectId, value);
        return value;
      }),
    [projectId],
  );

  // Presets and defaults; a dataset change reloads the defaults for the class lists, keeping the draft.
  useEffect(() => {
    let live = true;
    void Promise.all([
      call((api) => api.model.presets({ projectId })),
      call((api) => api.training.defaults({ projectId })),
    ]).then(([p, d]) => {
      if (!live) return;
      if (!p.ok || !d.ok) return setLoadError(!p.ok ? p.error : !d.ok ? d.error : null);
      setLoadError(null);
      setPresets(p.value);
      setDefaults(d.value);
      setDraftState((prev) => {
        const value = prev ?? drafts.get(projectId) ?? draftFrom(d.value, p.value);
        drafts.set(projectId, value);
        return value;
      });
    });
    return () => {
      live = false;
    };
  }, [projectId, attempt, dataVersion]);

  // The chosen network, described for the project; the layer editor's list is measured after a short pause.
  const kind = draft?.kind;
  const preset = draft?.preset;
  const layersKey = useMemo(() => (draft ? JSON.stringify(toSpecs(draft.layers)) : ''), [draft]);
  const requestKey = !kind ? '' : kind === 'custom' ? `custom:${layersKey}` : `preset:${preset}`;
  const emptyEditor = kind === 'custom' && layersKey === '[]';
  const versionKey = `${requestKey}#${dataVersion}#${attempt}`;
  useEffect(() => {
    if (!kind || !preset || emptyEditor) return;
    let live = true;
    const layers = kind === 'custom' ? (JSON.parse(layersKey) as ReturnType<typeof toSpecs>) : null;
    const timer = setTimeout(
      () => {
        void call((api) =>
          api.model.describe(
            layers ? { projectId, model: { kind: 'custom', layers } } : { projectId, preset },
          ),
        ).then(async (r) => {
          if (!live) return;
          const found = !r.ok && r.error.code === 'invalid-payload' ? layerProblemOf(r.error.details) : null;
          let description = r.ok ? r.value : null;
          // The layers before the one that does not fit still have shapes: measure them on their own.
          const k = found?.layerIndex ?? 0;
          if (layers && found && k > 0 && k < layers.length) {
            const prefix = await call((api) =>
              api.model.describe({ projectId, model: { kind: 'custom', layers: layers.slice(0, k) } }),
            );
            if (!live) return;
            if (prefix.ok) description = prefix.value;
          }
          setDescribed({
            key: versionKey,
            description,
            problem: found,
            error: r.ok || found ? null : r.error,
          });
        });
      },
      layers ? 200 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [projectId, kind, preset, layersKey, emptyEditor, versionKey]);
  // While a new request is on its way the previous answer stays on screen (no flicker), marked as measuring.
  const describing = !emptyEditor && !!kind && described?.key !== versionKey;
  // Editing layers keeps the last measurement on screen until the new one arrives; another network does not.
  const sameModel =
    described !== null &&
    (described.key.split('#')[0] === requestKey ||
      (kind === 'custom' && described.key.startsWith('custom:')));
  const description = emptyEditor || !sameModel ? null : described.description;
  const problem = emptyEditor || !sameModel ? null : described.problem;
  const describeError = copyError ?? (emptyEditor || !sameModel ? null : described.error);

  const choosePreset = useCallback(
    (next: ModelPresetName) => {
      rememberPreset(projectId, next);
      setDraft((d) => ({ ...d, kind: 'preset', preset: next }));
    },
    [projectId, setDraft],
  );

  const chooseCustom = useCallback(
    (copy = false) => {
      const current = drafts.get(projectId);
      if (!current) return;
      if (!copy && current.layers.length > 0) return setDraft((d) => ({ ...d, kind: 'custom' }));
      // Copy the preset's layers (without its classifier, which main adds back for the project's classes).
      void call((api) => api.model.describe({ projectId, preset: current.preset })).then((r) => {
        setCopyError(r.ok ? null : r.error);
        if (!r.ok) return;
        setDraft((d) => ({ ...d, kind: 'custom', layers: toEditorLayers(editableLayersOf(r.value.spec)) }));
      });
    },
    [projectId, setDraft],
  );

  const ready = useMemo(() => {
    if (!draft || !defaults) return null;
    if (invalid.size > 0 || defaults.classNames.length < 2) return null;
    if (
      draft.kind === 'custom' &&
      (draft.layers.length === 0 || problem !== null || describing || !description)
    )
      return null;
    return { ...draft.settings, model: modelChoiceOf(draft) };
  }, [draft, defaults, invalid, problem, describing, description]);

  return {
    presets,
    defaults,
    draft,
    loadError,
    retry: () => setAttempt((a) => a + 1),
    update: (patch) => setDraft((d) => ({ ...d, settings: { ...d.settings, ...patch } })),
    setAugmentation: (patch) =>
      setDraft((d) => ({
        ...d,
        settings: { ...d.settings, augmentation: { ...d.settings.augmentation, ...patch } },
      })),
    choosePreset,
    chooseCustom,
    setLayers: (layers) => setDraft((d) => ({ ...d, layers })),
    setName: (name) => setDraft((d) => ({ ...d, name })),
    reset() {
      void call((api) => api.training.defaults({ projectId })).then((r) => {
        if (!r.ok) return setLoadError(r.error);
        // The defaults answer the remembered settings; the preset's own values are what "reset" promises.
        const base = r.value.settings;
        setInvalidState(new Set());
        setDraft((d) => ({ ...d, settings: { ...base, model: modelChoiceOf(d) } }));
      });
    },
    invalid,
    setInvalid: useCallback((field: string, bad: boolean) => {
      setInvalidState((prev) => {
        if (prev.has(field) === bad) return prev;
        const next = new Set(prev);
        if (bad) next.add(field);
        else next.delete(field);
        return next;
      });
    }, []),
    description,
    describing,
    problem,
    describeError,
    ready,
    dataVersion,
  };
}
