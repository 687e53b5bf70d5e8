import { useEffect, useRef, useState } from 'react';
import type { AugmentationSettings } from '../../../../app/domain/training';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import { ShuffleIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { base64ToBytes, chwToRgba } from './pixels';

type Preview = {
  channels: number;
  height: number;
  width: number;
  images: { imageId: number; original: string; augmented: string[] }[];
};

const IMAGES = 4;
const VARIANTS = 5;

/**
 * A grid of the user's own training images: each original next to a few augmented samples with the current
 * settings, asked again (after a short pause) whenever they change. Pixels arrive raw and are painted on canvases.
 */
export function AugmentPreview({
  projectId,
  augmentation,
  dataVersion,
}: {
  projectId: string;
  augmentation: AugmentationSettings;
  /** Bumped when the dataset changes, to fetch new images. */
  dataVersion: number;
}) {
  const t = useT().training.augment;
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const [seed, setSeed] = useState(1);
  const key = JSON.stringify(augmentation);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      setLoading(true);
      void call((api) =>
        api.training.augmentPreview({
          projectId,
          augmentation: JSON.parse(key) as AugmentationSettings,
          count: IMAGES,
          variants: VARIANTS,
          seed,
        }),
      ).then((r) => {
        if (!live) return;
        setLoading(false);
        if (r.ok) {
          setPreview(r.value);
          setError(null);
        } else setError(r.error);
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [projectId, key, seed, dataVersion]);

  return (
    <div className="augment-preview" aria-busy={loading}>
      <div className="augment-preview-header">
        <h5 className="train-minor-heading">{t.preview}</h5>
        <button
          type="button"
          className="button small"
          onClick={() => setSeed((s) => (s % 1_000_000) + 1)}
          disabled={!preview || preview.images.length === 0}
        >
          <ShuffleIcon width={14} height={14} />
          {t.shuffle}
        </button>
      </div>
      <ErrorMessage error={error} context={t.failed} />
      {!preview && !error && <p className="train-hint">{t.loading}</p>}
      {preview && preview.images.length === 0 && <p className="train-hint">{t.none}</p>}
      {preview && preview.images.length > 0 && (
        <div className="augment-grid" role="group" aria-label={t.previewLabel} data-testid="augment-grid">
          <div className="augment-row augment-columns" aria-hidden="true">
            <span className="augment-original">{t.original}</span>
            <span className="augment-samples">{t.augmented}</span>
          </div>
          {preview.images.map((image, row) => (
            <div className="augment-row" key={`${image.imageId}-${row}`}>
              <PixelCanvas
                pixels={image.original}
                preview={preview}
                label={t.originalOf(row + 1)}
                className="augment-original"
              />
              {image.augmented.map((pixels, i) => (
                <PixelCanvas key={i} pixels={pixels} preview={preview} label={t.sample(row + 1, i + 1)} />
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** One image painted from raw C×H×W pixels, shown larger with crisp pixels. */
function PixelCanvas({
  pixels,
  preview,
  label,
  className,
}: {
  pixels: string;
  preview: Preview;
  label: string;
  className?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { channels, height, width } = preview;
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    try {
      const rgba = chwToRgba(base64ToBytes(pixels), channels, height, width);
      context.putImageData(new ImageData(rgba, width, height), 0, 0);
    } catch {
      context.clearRect(0, 0, width, height);
    }
  }, [pixels, channels, height, width]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      className={`augment-cell${className ? ` ${className}` : ''}`}
    />
  );
}
