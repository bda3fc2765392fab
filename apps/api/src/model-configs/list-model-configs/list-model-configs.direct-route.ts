import { DirectRoute } from '../../http/direct-routes';
import { ListModelConfigsHandler } from './list-model-configs.handler';
import { serveList } from './list-model-configs.serve';

/** GET /api/governance/model-configs without Nest's router (see directRoutes). */
export function listModelConfigsRoute(handler: ListModelConfigsHandler): DirectRoute {
  return {
    method: 'GET',
    path: '/api/governance/model-configs',
    serve: (req, res) => serveList((q) => handler.execute(q), req.query, res),
  };
}
