import { useCallback, useEffect, useState } from 'react';

/**
 * Loads a value from the back end when the component mounts, and again on `reload()`. The
 * state is set only after the await, never synchronously inside the effect.
 */
export function useLoaded<T>(load: () => Promise<T>): [T | undefined, () => Promise<void>] {
  const [value, setValue] = useState<T | undefined>(undefined);
  const reload = useCallback(async () => {
    const next = await load();
    setValue(() => next);
  }, [load]);
  useEffect(() => {
    let live = true;
    void load().then((next) => {
      if (live) setValue(() => next);
    });
    return () => {
      live = false;
    };
  }, [load]);
  return [value, reload];
}
