import { NotFoundException } from '@nestjs/common';
import { GovernanceError } from '@app/governance';
import { ApiError } from './api-error';
import { errorResponseOf } from './error-response';

describe('errorResponseOf', () => {
  it('maps API and domain errors with their message', () => {
    expect(errorResponseOf(new ApiError('not_found', 'Model config not found'))).toEqual({
      status: 404,
      message: 'Model config not found',
      internal: false,
    });
    expect(errorResponseOf(new GovernanceError('identity_conflict', 'exists'))).toMatchObject({
      status: 409,
      message: 'exists',
    });
  });

  it('answers an unparsable body with "Invalid JSON"', () => {
    const parseFailure = Object.assign(new SyntaxError('Unexpected token'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    expect(errorResponseOf(parseFailure)).toEqual({
      status: 400,
      message: 'Invalid JSON',
      internal: false,
    });
  });

  it('hides the cause of anything unexpected', () => {
    expect(errorResponseOf(new TypeError('x is undefined'))).toEqual({
      status: 500,
      message: 'Internal server error',
      internal: true,
    });
    expect(errorResponseOf(new NotFoundException('Cannot GET /nope'))).toMatchObject({
      status: 404,
    });
  });

  it('answers a body that is not what its Content-Encoding says with a 400', () => {
    for (const code of ['Z_DATA_ERROR', 'Z_BUF_ERROR', 'ERR__ERROR_FORMAT_PADDING_2']) {
      const zlib = Object.assign(new Error('incorrect header check'), { code, errno: -3 });
      expect(errorResponseOf(zlib)).toMatchObject({ status: 400, internal: false });
    }
  });

  it('answers unsupported encodings and charsets with a 415', () => {
    for (const type of ['encoding.unsupported', 'charset.unsupported']) {
      expect(errorResponseOf(Object.assign(new Error('x'), { type }))).toMatchObject({
        status: 415,
        internal: false,
      });
    }
  });
});
