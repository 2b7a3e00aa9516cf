import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// The browser app is built into web/dist, which `ggzy serve` hands to @fastify/static.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Element Plus is one large chunk by nature; a split keeps the app's own code cacheable apart from it.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // ECharts loads only with the statistics pages; everything else shares one vendor chunk.
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/ },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  server: {
    // `vite --config web/vite.config.ts` during development talks to a local `ggzy serve`.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
