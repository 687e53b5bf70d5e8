import type { ChangeEvent } from 'react';
import type { LabelInfo } from '../../../../app/domain/dataset';
import { useT } from '../../i18n/i18n';
import { markUpscaled, mediaUrl } from '../dataset/use-dataset';
import type { ImageInfo } from './use-evaluation';

/** One image's thumbnail (blank until its sha256 is known), as the Dataset grid shows it. */
export function ImageThumb({
  projectId,
  mediaBase,
  info,
  size,
}: {
  projectId: string;
  mediaBase: string | null;
  info: ImageInfo | undefined;
  size: number;
}) {
  return (
    <span className="eval-thumb" style={{ width: size, height: size }}>
      {info && mediaBase ? (
        <img
          src={mediaUrl(mediaBase, projectId, 'thumb', info.sha256)}
          alt=""
          decoding="async"
          draggable={false}
          onLoad={markUpscaled}
        />
      ) : null}
    </span>
  );
}

/** The label menu of one image: every project label, the first nine with their digit key. */
export function LabelSelect({
  labels,
  value,
  fileName,
  focusable,
  onPick,
}: {
  labels: LabelInfo[];
  /** The current label's name (null = unlabeled). */
  value: string | null;
  fileName: string;
  focusable: boolean;
  onPick(label: LabelInfo): void;
}) {
  const t = useT();
  const current = labels.find((l) => l.name === value);
  const change = (event: ChangeEvent<HTMLSelectElement>) => {
    const label = labels.find((l) => String(l.id) === event.target.value);
    if (label) onPick(label);
  };
  return (
    <select
      className="select eval-label-select"
      value={current ? String(current.id) : ''}
      aria-label={t.evaluation.cell.labelOf(fileName)}
      tabIndex={focusable ? 0 : -1}
      onChange={change}
    >
      {!current && <option value="">{value ?? t.evaluation.unlabeled}</option>}
      {labels.map((label, i) => (
        <option key={label.id} value={String(label.id)}>
          {i < 9 ? `${i + 1} · ${label.name}` : label.name}
        </option>
      ))}
    </select>
  );
}
