import { DirectRoute } from '../../http/direct-routes';
import { RawRoute } from '../../http/raw-routes';
import { AdmitRequestHandler } from './admit-request.handler';
import { serveAdmission } from './admit-request.serve';

const ADMISSIONS = '/api/governance/admissions';

/** POST /api/governance/admissions without Nest's router (see directRoutes). */
export function admitRequestRoute(handler: AdmitRequestHandler): DirectRoute {
  return {
    method: 'POST',
    path: ADMISSIONS,
    serve: (req, res) => serveAdmission((c) => handler.execute(c), req.body as unknown, res),
  };
}

/** The same route before Express, for the plain requests gateways send (see serveRawRoutes). */
export function admitRequestRawRoute(handler: AdmitRequestHandler): RawRoute {
  return {
    path: ADMISSIONS,
    serve: (body, res) => serveAdmission((c) => handler.execute(c), body, res),
  };
}
