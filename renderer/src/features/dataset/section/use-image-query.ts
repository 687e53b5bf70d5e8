import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { ImageFilter, ImageSortKey } from '../../../../../app/domain/dataset';
import { ImagePager } from '../image-pager';

/**
 * The grid's query (filter, order) and the pager that loads it; the pager's query follows the state. `version`
 * changes whenever the pager has new pages or a new total.
 */
export function useImageQuery(projectId: string) {
  const [filter, setFilter] = useState<ImageFilter>({ kind: 'all' });
  const [sort, setSort] = useState<ImageSortKey>('added');
  const [descending, setDescending] = useState(false);
  const [pager] = useState(() => new ImagePager({ projectId, filter, sort, descending }));
  const subscribe = useCallback((listener: () => void) => pager.subscribe(listener), [pager]);
  const version = useSyncExternalStore(subscribe, () => pager.version);

  useEffect(() => {
    const q = pager.currentQuery;
    if (q.filter === filter && q.sort === sort && q.descending === descending) return;
    pager.setQuery({ projectId, filter, sort, descending });
  }, [pager, projectId, filter, sort, descending]);

  return {
    filter,
    setFilter,
    sort,
    setSort,
    descending,
    setDescending,
    pager,
    version,
    total: pager.total ?? 0,
  };
}
