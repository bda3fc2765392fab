import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';

/**
 * The Express instance the API runs on, with exact routing: `/API/...`, a trailing slash or any
 * other spelling of a route is not that route (404), so one path names one handler. Express
 * fixes these settings when its router is created, which Nest's adapter does at once: they must
 * be set on an instance of our own, before the adapter wraps it.
 */
export function strictExpressAdapter(): ExpressAdapter {
  const instance = express();
  instance.set('case sensitive routing', true);
  instance.set('strict routing', true);
  return new ExpressAdapter(instance);
}
