import { ImagesIcon } from '../../../components/icons';
import { useT } from '../../../i18n/i18n';
import { pathsForDrop, useWindowDrop } from '../drop';

/**
 * Files dropped on the window are imported (`onPaths`); `onNoPaths` when the drop carried no file paths. Returns
 * the overlay to show while something is dragged over the window.
 */
export function useDropImport(onPaths: (paths: string[]) => void, onNoPaths: () => void) {
  const t = useT();
  const dragging = useWindowDrop((files) => {
    void pathsForDrop(files).then((paths) => {
      if (paths.length === 0) onNoPaths();
      else onPaths(paths);
    });
  });
  return (
    dragging && (
      <div className="drop-overlay" aria-hidden="true">
        <div className="drop-overlay-box">
          <ImagesIcon width={32} height={32} />
          <span>{t.dataset.dropHere}</span>
        </div>
      </div>
    )
  );
}
