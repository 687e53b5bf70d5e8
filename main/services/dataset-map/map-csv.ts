/**
 * The embed command's CSV: `imageId,file,label,x,y`, one row per point of the map (file = the image's first source
 * path, label = its current label, empty when unlabeled; x, y in [0, 1]). Cells are formula-safe and quoted as the
 * Predict batch CSV's (csvCell); CRLF line ends (RFC 4180).
 */
import type { DatasetMap } from '../../../app/domain/dataset-map';
import { csvCell } from '../prediction/batch-output';

export const EMBED_CSV_HEADER = ['imageId', 'file', 'label', 'x', 'y'];

export function mapCsv(map: DatasetMap, info: Map<number, { file: string; label: string }>): string {
  const rows = [EMBED_CSV_HEADER.join(',')];
  for (let i = 0; i < map.count; i++) {
    const id = map.imageIds[i];
    const { file, label } = info.get(id) ?? { file: '', label: '' };
    rows.push(
      [String(id), csvCell(file), csvCell(label), map.x[i].toFixed(6), map.y[i].toFixed(6)].join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
