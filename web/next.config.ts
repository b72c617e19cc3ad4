import type { NextConfig } from 'next';

// Static export served by the Worker as assets (same origin as the API, so no CORS).
const config: NextConfig = {
  output: 'export',
  images: { unoptimized: true },
  trailingSlash: false,
  reactStrictMode: true,
};

export default config;
