import { Hono } from 'hono';
import type { HonoEnv } from '../env';

/**
 * Interactive API reference. Swagger UI's files are copied from the swagger-ui-dist package
 * into the static assets at build time (web/public/docs-assets), so the page works offline and
 * under a strict same-origin policy.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LeadPulse API reference</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css">
<style>body{margin:0} .topbar{display:none}</style>
</head>
<body>
<div id="reference"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: false });
</script>
</body>
</html>`;

export const docsRoutes = new Hono<HonoEnv>().get('/docs', (c) => {
  c.header('Cache-Control', 'public, max-age=300');
  return c.html(PAGE);
});
