import { DirectRoute } from '../../http/direct-routes';
import { AdmitRequestHandler } from './admit-request.handler';
import { serveAdmission } from './admit-request.serve';

/** POST /api/governance/admissions without Nest's router (see directRoutes). */
export function admitRequestRoute(handler: AdmitRequestHandler): DirectRoute {
  return {
    method: 'POST',
    path: '/api/governance/admissions',
    serve: (req, res) => serveAdmission((c) => handler.execute(c), req.body as unknown, res),
  };
}
