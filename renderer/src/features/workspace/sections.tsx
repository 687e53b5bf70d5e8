import type { ComponentType, ReactNode } from 'react';
import type { ProjectSummary } from '../../../../app/domain/project';
import { ChartIcon, CheckCircleIcon, ExportIcon, ImagesIcon, TargetIcon } from '../../components/icons';
import { DatasetSection } from '../dataset/dataset-section';
import { EvaluateSection } from '../evaluate/evaluate-section';
import { ExportSection } from '../export/export-section';
import { PredictSection } from '../predict/predict-section';
import { TrainSection } from '../train/train-section';

/** The sections of an open project, in tab order. */
export type SectionKey = 'dataset' | 'train' | 'evaluate' | 'predict' | 'export';

/** Each section's icon and component; a feature replaces its empty component with the real one. */
export const SECTIONS: readonly {
  key: SectionKey;
  icon: ReactNode;
  /** `onSection` switches to another section (e.g. an empty state's "Go to Train"). */
  Component: ComponentType<{ project: ProjectSummary; onSection(section: SectionKey): void }>;
}[] = [
  { key: 'dataset', icon: <ImagesIcon />, Component: DatasetSection },
  { key: 'train', icon: <ChartIcon />, Component: TrainSection },
  { key: 'evaluate', icon: <CheckCircleIcon />, Component: EvaluateSection },
  { key: 'predict', icon: <TargetIcon />, Component: PredictSection },
  { key: 'export', icon: <ExportIcon />, Component: ExportSection },
];
