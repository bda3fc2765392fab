import { Controller, ExecutionContext, Type } from '@nestjs/common';
import { HealthController } from '@app/observability';
import { ApiError } from './api-error';
import { digestOf } from './bearer-auth';
import { BearerAuthGuard } from './bearer-auth.guard';

@Controller('anything')
class SomeNewController {}

function contextFor(controller: Type, headers: Record<string, string>, path: string) {
  const req = { path, headers, header: (name: string) => headers[name.toLowerCase()] };
  return {
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

describe('BearerAuthGuard', () => {
  const guard = new BearerAuthGuard([digestOf('the-key')]);

  it('protects a controller nobody listed as open, whatever its path', () => {
    for (const path of ['/anything', '/API/x', '/health', '/']) {
      expect(() => guard.canActivate(contextFor(SomeNewController, {}, path))).toThrow(ApiError);
    }
    const withKey = { authorization: 'Bearer the-key' };
    expect(guard.canActivate(contextFor(SomeNewController, withKey, '/anything'))).toBe(true);
  });

  it('leaves the health controller open', () => {
    expect(guard.canActivate(contextFor(HealthController, {}, '/health'))).toBe(true);
  });

  it('removes the key from the request once checked, so no log line can carry it', () => {
    const headers = { authorization: 'Bearer the-key' };
    guard.canActivate(contextFor(SomeNewController, headers, '/anything'));
    expect(headers).toEqual({});
  });
});
