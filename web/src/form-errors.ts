/**
 * The server's verdict on a form, field by field: messages keyed by the form's paths (`entity.creditCode`)
 * for the `error` of each `el-form-item`. A message goes away as soon as the person changes that field.
 */
import { reactive, watch } from 'vue';
import type { Problem } from './api.ts';
import { formErrorsOf } from './entities.ts';

function valueAt(model: unknown, path: string): string {
  let at: unknown = model;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return 'undefined';
    at = (at as Record<string, unknown>)[key];
  }
  return JSON.stringify(at) ?? 'undefined';
}

export function useServerErrors(model: object) {
  const errors = reactive<Record<string, string>>({});
  const valueWhenShown = new Map<string, string>();

  function clear() {
    for (const key of Object.keys(errors)) delete errors[key];
    valueWhenShown.clear();
  }

  /** Shows the problem's messages on their fields; returns how many found a field. */
  function show(problem: Problem, options: { prefix?: string; wholeBody?: string } = {}): number {
    clear();
    const found = formErrorsOf(problem, options);
    for (const [path, message] of Object.entries(found)) {
      errors[path] = message;
      valueWhenShown.set(path, valueAt(model, path));
    }
    return Object.keys(found).length;
  }

  watch(
    () => model,
    () => {
      for (const [path, before] of valueWhenShown) {
        if (valueAt(model, path) !== before) {
          delete errors[path];
          valueWhenShown.delete(path);
        }
      }
    },
    { deep: true },
  );

  return { errors, show, clear };
}

/** After a failed check, bring the first marked field into view and give it focus. */
export function focusFirstError(root: ParentNode = document): void {
  requestAnimationFrame(() => {
    const item = root.querySelector('.el-form-item.is-error');
    if (!item) return;
    item.scrollIntoView({ block: 'center' });
    const input = item.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), textarea');
    input?.focus({ preventScroll: true });
  });
}
