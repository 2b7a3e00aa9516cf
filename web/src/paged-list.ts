import { type Ref, ref } from 'vue';
import { api, messageOf, type Page } from './api.ts';

/**
 * A list page read in pages of `pageSize` (`limit`/`offset`): the rows, the total, the current page, and
 * the error of the last load in Chinese. `url` and `query` are read at each load, so filters apply.
 */
export function usePagedList<T>(
  url: () => string,
  query: () => Record<string, string | number | boolean | undefined> = () => ({}),
  pageSize = 20,
) {
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const loadError = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const result = await api.get<Page<T>>(url(), {
        query: { ...query(), limit: pageSize, offset: (page.value - 1) * pageSize },
      });
      rows.value = result.items;
      total.value = result.total;
      loadError.value = null;
    } catch (error) {
      loadError.value = messageOf(error);
    } finally {
      loading.value = false;
    }
  }

  function goTo(n: number): void {
    page.value = n;
    void load();
  }

  return { rows, total, page, pageSize, loading, loadError, load, goTo };
}
