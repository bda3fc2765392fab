import { Injectable, PipeTransform } from '@nestjs/common';
import { MAX_IDENTIFIER_LENGTH, unstorableTextReason } from '@app/governance';
import { badRequest } from '../../http/api-error';

/**
 * The `:id` of a model-config route, refused before it reaches a read model when no config can
 * have it: longer than any stored id, or text PostgreSQL cannot hold (`%00`), which would fail
 * the statement instead of finding nothing. Express has already refused invalid
 * percent-encoding (400 "Failed to decode param").
 */
@Injectable()
export class ConfigIdPipe implements PipeTransform<string, string> {
  transform(id: string): string {
    if (id.length > MAX_IDENTIFIER_LENGTH) {
      throw badRequest(`Invalid id: must be at most ${MAX_IDENTIFIER_LENGTH} characters`);
    }
    const unstorable = unstorableTextReason(id);
    if (unstorable !== null) throw badRequest(`Invalid id: ${unstorable}`);
    return id;
  }
}
