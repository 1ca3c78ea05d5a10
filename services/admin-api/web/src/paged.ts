import { useCallback, useEffect, useState } from 'react';
import { api, type Page } from './api.js';
import { describeError, useT } from './i18n.js';

/**
 * A list the API pages with `next`: the first page whenever `query` changes (after `debounceMs`),
 * more with `loadMore`, and the refusal in the admin's language.
 */
export function usePaged<T>(path: string, query: URLSearchParams, debounceMs = 0) {
  const { t } = useT();
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = query.toString();

  const load = useCallback(
    async (before: string | null) => {
      const params = new URLSearchParams(search);
      if (before) params.set('before', before);
      try {
        const page = await api<Page<T>>('GET', `${path}?${params}`);
        setItems((prev) => (before ? [...prev, ...page.items] : page.items));
        setNext(page.next);
        setError(null);
      } catch (e) {
        setError(describeError(t, e));
      }
    },
    [path, search, t],
  );

  useEffect(() => {
    const timer = setTimeout(() => void load(null), debounceMs);
    return () => clearTimeout(timer);
  }, [load, debounceMs]);

  return { items, next, error, reload: () => load(null), loadMore: () => (next ? load(next) : Promise.resolve()) };
}
