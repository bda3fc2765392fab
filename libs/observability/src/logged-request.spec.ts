import { loggableRequest, withLoggableHeaders } from './logged-request';

describe('withLoggableHeaders', () => {
  it('keeps the names of every header but the values of harmless ones only', () => {
    const logged = withLoggableHeaders({
      method: 'GET',
      headers: {
        host: 'api:8080',
        'x-request-id': 'r-1',
        authorization: 'Bearer secret',
        'x-api-key': 'secret',
        'proxy-authorization': 'Bearer secret',
        cookie: 'key=secret',
        'x-auth-token': 'secret',
      },
    });
    expect(logged).toEqual({
      method: 'GET',
      headers: {
        host: 'api:8080',
        'x-request-id': 'r-1',
        authorization: '[not logged]',
        'x-api-key': '[not logged]',
        'proxy-authorization': '[not logged]',
        cookie: '[not logged]',
        'x-auth-token': '[not logged]',
      },
    });
  });
});

describe('loggableRequest', () => {
  it('takes method, url and the listed headers of a request, nothing else of it', () => {
    const req = {
      method: 'GET',
      url: '/api/governance/model-configs',
      headers: { host: 'api:8080', 'x-api-key': 'secret' },
      rawHeaders: ['x-api-key', 'secret'],
    };
    expect(loggableRequest(req)).toEqual({
      method: 'GET',
      url: '/api/governance/model-configs',
      headers: { host: 'api:8080', 'x-api-key': '[not logged]' },
    });
  });
});
