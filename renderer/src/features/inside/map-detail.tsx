import { useEffect, useRef, useState } from 'react';
import type { LayerActivations, TileAtlas } from '../../../../app/domain/inspect';
import { useT } from '../../i18n/i18n';
import { AtlasCanvas } from './atlas-canvas';
import { fitScale } from './atlas';
import { regionOf, type ReceptiveField } from './receptive-field';

/**
 * One feature map enlarged beside the input image. Hovering a pixel of the map outlines, on the input, the region
 * that pixel sees (its receptive field, from the layers' window, stride and padding).
 */
export function MapDetail({
  layer,
  map,
  input,
  field,
  onClose,
}: {
  layer: LayerActivations & { maps: TileAtlas };
  map: number;
  input: TileAtlas;
  field: ReceptiveField | null;
  onClose(): void;
}) {
  const t = useT().inside;
  const [hover, setHover] = useState<{ y: number; x: number } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const layerIndex = layer.layerIndex;
  // A map clicked far down the grids opens above them: bring it into view.
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [layerIndex, map]);
  const mapScale = detailScale(layer.maps);
  const inputScale = detailScale(input);
  const [inH, inW] = [input.tileHeight, input.tileWidth];
  const region = field && hover ? regionOf(field, hover.y, hover.x, inH, inW) : null;
  const range = layer.maps.ranges[map];
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
  return (
    <div className="inside-detail" data-testid="map-detail" ref={ref}>
      <div className="inside-detail-head">
        <strong>{t.maps.enlarged(layer.layerIndex + 1, map + 1, t.types[layer.type])}</strong>
        {range && <span className="inside-muted">{t.maps.range(fmt(range[0]), fmt(range[1]))}</span>}
        <button type="button" className="button small" onClick={onClose}>
          {t.maps.close}
        </button>
      </div>
      <div className="inside-detail-body">
        <figure className="inside-detail-figure">
          <div className="inside-stack">
            <AtlasCanvas
              atlas={layer.maps}
              tile={map}
              scale={mapScale}
              className="inside-detail-map"
              onHover={setHover}
            />
            {hover && (
              <span
                className="inside-pixel-mark"
                style={{
                  left: hover.x * mapScale,
                  top: hover.y * mapScale,
                  width: mapScale,
                  height: mapScale,
                }}
              />
            )}
          </div>
        </figure>
        <figure className="inside-detail-figure">
          <div className="inside-stack">
            <AtlasCanvas atlas={input} scale={inputScale} label={t.input.alt} />
            {region && region.width > 0 && region.height > 0 && (
              <span
                className="inside-field-mark"
                data-testid="receptive-field"
                style={{
                  left: region.x * inputScale,
                  top: region.y * inputScale,
                  width: region.width * inputScale,
                  height: region.height * inputScale,
                }}
              />
            )}
          </div>
        </figure>
        <div className="inside-detail-text">
          <strong>{t.maps.receptive}</strong>
          <p className="inside-text">{t.maps.receptiveBody}</p>
          {field && (
            <p className="inside-muted" role="status">
              {field.whole
                ? t.maps.receptiveWhole
                : hover && region
                  ? t.maps.receptiveAt(hover.y, hover.x, region.height, region.width, region.y, region.x)
                  : `${t.maps.receptiveSize(field.size[0], field.size[1])} ${t.maps.hover}`}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

/** Scale of the enlarged views: about `target` px on the longer side. */
function detailScale(atlas: TileAtlas, target = 224): number {
  return fitScale(atlas.tileWidth, atlas.tileHeight, target);
}
