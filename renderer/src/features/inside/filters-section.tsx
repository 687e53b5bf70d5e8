import type { LayerFilters } from '../../../../app/domain/inspect';
import { useT } from '../../i18n/i18n';
import { AtlasCanvas } from './atlas-canvas';
import { fitScale } from './atlas';

/** One conv layer's filters as an atlas of small images, scaled so a filter is about `target` px wide. */
function FilterGrid({
  filters,
  target,
  caption,
}: {
  filters: LayerFilters;
  target: number;
  caption: string;
}) {
  const { atlas } = filters;
  const scale = fitScale(atlas.tileWidth, atlas.tileHeight, target);
  return (
    <figure className="inside-filters" data-testid={`filters-${filters.layerIndex + 1}`}>
      <AtlasCanvas atlas={atlas} scale={scale} label={caption} className="inside-filter-atlas" />
      <figcaption className="inside-caption">{caption}</figcaption>
    </figure>
  );
}

/**
 * The learned filters: the first convolution's as small images (colour for an RGB model), deeper ones as a grid
 * with a note that they combine the maps before them.
 */
export function FiltersSection({ filters }: { filters: LayerFilters[] }) {
  const t = useT().inside.filters;
  const [first, ...deeper] = filters;
  if (!first) return null;
  const kernel = (f: LayerFilters) => `${f.shape[2]}×${f.shape[3]}`;
  return (
    <section className="inside-card" aria-labelledby="inside-filters">
      <h3 className="inside-heading" id="inside-filters">
        {t.heading}
      </h3>
      <p className="inside-text">{t.body}</p>
      <FilterGrid filters={first} target={36} caption={t.first(first.shape[0], kernel(first))} />
      {first.atlas.channels === 3 && <p className="inside-muted">{t.firstRgb}</p>}
      {deeper.length > 0 && (
        <>
          <p className="inside-text inside-note">{t.deeperNote}</p>
          <div className="inside-filter-row">
            {deeper.map((f) => (
              <FilterGrid
                key={f.layerIndex}
                filters={f}
                target={18}
                caption={t.deeper(f.layerIndex + 1, f.shape[0], f.shape[1], kernel(f))}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
