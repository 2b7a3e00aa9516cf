import { ref, watch } from 'vue';

/**
 * 适老化 large-text mode (GB/T 37668; 工业和信息化部《互联网网站适老化通用设计规范》): scales the root
 * font size, which every rem-sized style follows, and is remembered in this browser.
 */
const STORAGE_KEY = 'ggzy.largeText';
export const NORMAL_ROOT_SIZE = '16px';
export const LARGE_ROOT_SIZE = '20px';

function readStored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false; // storage blocked (private mode policies): the toggle still works for this page
  }
}

export const largeText = ref(readStored());

function apply(on: boolean): void {
  const root = document.documentElement;
  root.style.fontSize = on ? LARGE_ROOT_SIZE : NORMAL_ROOT_SIZE;
  root.classList.toggle('large-text', on);
}

apply(largeText.value);
watch(largeText, (on) => {
  apply(on);
  try {
    localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
  } catch {
    // not remembered, but applied: nothing more to do
  }
});

export function toggleLargeText(): void {
  largeText.value = !largeText.value;
}
