import { defineConfig } from 'vitest/config'

// `npm run dev` serves the UI on :5173 and forwards the API and the WebSocket to pms-assistant.
const backend = process.env.PMS_BACKEND ?? 'http://localhost:8000'

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  server: {
    proxy: {
      '/api': backend,
      '/health': backend,
      '/ws': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
})
