import { identityConflictMessage } from './identity-conflict-message';

describe('identityConflictMessage', () => {
  it('names model, provider and global scope as Bifrost does', () => {
    expect(
      identityConflictMessage({
        modelName: 'gpt-4o',
        provider: 'openai',
        scope: 'global',
        scopeId: null,
      }),
    ).toBe("Model config for model 'gpt-4o' with provider 'openai' (global) already exists");
  });

  it('leaves the provider out for an all-providers config and quotes the scope id', () => {
    expect(
      identityConflictMessage({
        modelName: '*',
        provider: null,
        scope: 'virtual_key',
        scopeId: 'vk-1',
      }),
    ).toBe("Model config for model '*' (virtual_key 'vk-1') already exists");
  });
});
