import { useState } from 'react';
import type { Inspection, LayerActivations, TileAtlas } from '../../../../app/domain/inspect';
import { useT } from '../../i18n/i18n';
import { AtlasCanvas } from './atlas-canvas';
import { MapDetail } from './map-detail';
import type { ReceptiveField } from './receptive-field';

/** A layer's maps are drawn so the grid is at most this wide (CSS px). */
const GRID_WIDTH = 340;

/** The layers that have feature maps (spatial output). */
export function spatialLayers(
  layers: readonly LayerActivations[],
): (LayerActivations & { maps: TileAtlas })[] {
  return layers.filter((l): l is LayerActivations & { maps: TileAtlas } => l.maps !== null);
}

/**
 * Feature maps after every layer with a spatial output, one grid per layer with C×H×W under it. Clicking a map
 * opens it enlarged beside the input, where hovering a pixel shows its receptive field.
 */
export function MapsSection({
  inspection,
  fields,
}: {
  inspection: Inspection;
  /** Receptive field after each layer (by layer index); null while the geometry is loading. */
  fields: ReceptiveField[] | null;
}) {
  const t = useT().inside;
  const [open, setOpen] = useState<{ layerIndex: number; map: number } | null>(null);
  const layers = spatialLayers(inspection.layers);
  const opened = open && layers.find((l) => l.layerIndex === open.layerIndex);
  return (
    <section className="inside-card" aria-labelledby="inside-maps">
      <h3 className="inside-heading" id="inside-maps">
        {t.maps.heading}
      </h3>
      <p className="inside-text">{t.maps.body}</p>
      <p className="inside-muted">{t.maps.hint}</p>
      {opened && open && (
        <MapDetail
          layer={opened}
          map={Math.min(open.map, opened.maps.tiles - 1)}
          input={inspection.input}
          field={fields?.[opened.layerIndex] ?? null}
          onClose={() => setOpen(null)}
        />
      )}
      <ol className="inside-map-grids">
        {layers.map((layer) => {
          const [c, h, w] = layer.shape;
          const gridWidth = layer.maps.columns * (layer.maps.tileWidth + 1);
          const scale = Math.max(1, Math.min(4, Math.floor(GRID_WIDTH / Math.max(1, gridWidth))));
          const type = t.types[layer.type];
          return (
            <li
              key={layer.layerIndex}
              className={`inside-map-grid${open?.layerIndex === layer.layerIndex ? ' open' : ''}`}
              data-testid={`maps-${layer.layerIndex + 1}`}
            >
              <span className="inside-map-title">{t.maps.layer(layer.layerIndex + 1, type)}</span>
              <AtlasCanvas
                atlas={layer.maps}
                scale={scale}
                className="inside-map-atlas"
                label={t.maps.shapeLong(c, h, w)}
                onTile={(map) => setOpen({ layerIndex: layer.layerIndex, map })}
              />
              <span className="inside-shape">{t.maps.shape(c, h, w)}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
