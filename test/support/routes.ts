import { NestExpressApplication } from '@nestjs/platform-express';

export interface DiscoveredRoute {
  method: string;
  /** Express's template, e.g. `/api/governance/model-configs/:id` */
  path: string;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * Every method and path the running app routes, read from Express itself, so a suite over "all
 * routes" also covers the ones added after it was written. Catch-all middleware is left out.
 */
export function discoverRoutes(app: NestExpressApplication): DiscoveredRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  const routes: DiscoveredRoute[] = [];
  for (const layer of express.router.stack) {
    const { route } = layer;
    if (!route || typeof route.path !== 'string' || route.path.includes('*')) continue;
    for (const method of Object.keys(route.methods)) {
      routes.push({ method: method.toUpperCase(), path: route.path });
    }
  }
  return routes;
}

/** The template with every `:param` replaced by `value`. */
export const concretePath = (template: string, value: string): string =>
  template.replace(/:[A-Za-z_]\w*/g, encodeURIComponent(value));
